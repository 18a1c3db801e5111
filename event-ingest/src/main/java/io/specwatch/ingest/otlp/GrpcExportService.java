package io.specwatch.ingest.otlp;

import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Parser;
import io.grpc.MethodDescriptor;
import io.grpc.ServerServiceDefinition;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.ServerCalls;
import io.grpc.stub.StreamObserver;
import io.opentelemetry.proto.collector.logs.v1.ExportLogsPartialSuccess;
import io.opentelemetry.proto.collector.logs.v1.ExportLogsServiceRequest;
import io.opentelemetry.proto.collector.logs.v1.ExportLogsServiceResponse;
import io.opentelemetry.proto.collector.logs.v1.LogsServiceGrpc;
import io.opentelemetry.proto.collector.trace.v1.ExportTracePartialSuccess;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceResponse;
import io.opentelemetry.proto.collector.trace.v1.TraceServiceGrpc;
import io.specwatch.ingest.otlp.IngestStats.Refusal;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.time.Duration;
import java.util.function.Function;

/**
 * OTLP/gRPC {@code LogsService/Export} (each log record becomes a document) and
 * {@code TraceService/Export} (each span and span event). The request arrives as bytes and is
 * parsed here, not by gRPC: a body that is not OTLP protobuf (or gzip that does not inflate)
 * then gets INVALID_ARGUMENT with the parser's reason, as the OTLP specification asks for bad
 * data, instead of gRPC's bare UNKNOWN, and a body over the limit once inflated gets
 * RESOURCE_EXHAUSTED without RetryInfo (so it is not retried); both are counted.
 */
public final class GrpcExportService {
  private GrpcExportService() {}

  /** The request as received: its bytes, or why they could not be read. */
  private record Received(byte[] bytes, Status unreadable) {}

  /** Reads the (already inflated, size-checked) message bytes; never throws. */
  private static final MethodDescriptor.Marshaller<Received> RECEIVED =
      new MethodDescriptor.Marshaller<>() {
        @Override
        public InputStream stream(Received value) {
          return new ByteArrayInputStream(value.bytes()); // server side: never asked
        }

        @Override
        public Received parse(InputStream stream) {
          try {
            return new Received(stream.readAllBytes(), null);
          } catch (StatusRuntimeException e) {
            // gRPC's limit on the inflated size, enforced while we read
            return new Received(null, e.getStatus());
          } catch (IOException e) {
            return new Received(null, Status.INVALID_ARGUMENT.withDescription(
                "unreadable request body: " + e.getMessage()));
          }
        }
      };

  public static ServerServiceDefinition logs(OtlpIngest ingest, Duration retryAfter) {
    return define(LogsServiceGrpc.SERVICE_NAME, LogsServiceGrpc.getExportMethod(),
        ExportLogsServiceRequest.parser(), retryAfter, request -> {
          OtlpIngest.Result r = ingest.logs(request, IngestEndpoint.GRPC_LOGS);
          if (r.full()) {
            return null;
          }
          ExportLogsServiceResponse.Builder response = ExportLogsServiceResponse.newBuilder();
          if (r.rejected() > 0) {
            response.setPartialSuccess(ExportLogsPartialSuccess.newBuilder()
                .setRejectedLogRecords(r.rejected()).setErrorMessage(r.errorMessage()));
          }
          return response.build();
        });
  }

  public static ServerServiceDefinition traces(OtlpIngest ingest, Duration retryAfter) {
    return define(TraceServiceGrpc.SERVICE_NAME, TraceServiceGrpc.getExportMethod(),
        ExportTraceServiceRequest.parser(), retryAfter, request -> {
          OtlpIngest.Result r = ingest.spans(request, IngestEndpoint.GRPC_TRACES);
          if (r.full()) {
            return null;
          }
          ExportTraceServiceResponse.Builder response = ExportTraceServiceResponse.newBuilder();
          if (r.rejected() > 0) {
            response.setPartialSuccess(ExportTracePartialSuccess.newBuilder()
                .setRejectedSpans(r.rejected()).setErrorMessage(r.errorMessage()));
          }
          return response.build();
        });
  }

  /**
   * One unary export method over raw bytes. {@code export} answers the parsed request, or null
   * when the pipeline was full (then RESOURCE_EXHAUSTED with RetryInfo).
   */
  private static <Q, R> ServerServiceDefinition define(String service,
      MethodDescriptor<Q, R> generated, Parser<Q> parser, Duration retryAfter,
      Function<Q, R> export) {
    MethodDescriptor<Received, R> method =
        generated.toBuilder(RECEIVED, generated.getResponseMarshaller()).build();
    return ServerServiceDefinition.builder(service)
        .addMethod(method, ServerCalls.asyncUnaryCall(
            (Received received, StreamObserver<R> reply) -> {
              Q request;
              if (received.unreadable() != null) {
                Status s = received.unreadable();
                GrpcCallStats.refusedBecause(s.getCode() == Status.Code.RESOURCE_EXHAUSTED
                    ? Refusal.TOO_LARGE : Refusal.MALFORMED);
                reply.onError(s.asRuntimeException());
                return;
              }
              try {
                request = parser.parseFrom(received.bytes());
              } catch (InvalidProtocolBufferException e) {
                GrpcCallStats.refusedBecause(Refusal.MALFORMED);
                reply.onError(Status.INVALID_ARGUMENT.withDescription(
                    "invalid OTLP protobuf body: " + e.getMessage()).asRuntimeException());
                return;
              }
              GrpcCallStats.handled();
              R response = export.apply(request);
              if (response == null) {
                GrpcCallStats.refusedBecause(Refusal.PIPELINE_FULL);
                reply.onError(GrpcReplies.pipelineFull(retryAfter));
                return;
              }
              reply.onNext(response);
              reply.onCompleted();
            }))
        .build();
  }
}
