package io.specwatch.ingest.otlp;

import com.google.protobuf.Any;
import com.google.rpc.Code;
import com.google.rpc.RetryInfo;
import io.grpc.StatusRuntimeException;
import io.grpc.protobuf.StatusProto;
import java.time.Duration;

/** The gRPC errors the OTLP spec asks for, with the details clients look at. */
final class GrpcReplies {
  private GrpcReplies() {}

  /**
   * RESOURCE_EXHAUSTED with a {@code RetryInfo} detail: OTLP clients retry RESOURCE_EXHAUSTED
   * only when the server says how long to wait, so without it the data would be dropped.
   */
  static StatusRuntimeException pipelineFull(Duration retryAfter) {
    com.google.rpc.Status status = com.google.rpc.Status.newBuilder()
        .setCode(Code.RESOURCE_EXHAUSTED_VALUE)
        .setMessage("specwatch's pipeline is full; retry after " + retryAfter.toMillis() + " ms")
        .addDetails(Any.pack(RetryInfo.newBuilder()
            .setRetryDelay(com.google.protobuf.Duration.newBuilder()
                .setSeconds(retryAfter.getSeconds()).setNanos(retryAfter.getNano()))
            .build()))
        .build();
    return StatusProto.toStatusRuntimeException(status);
  }
}
