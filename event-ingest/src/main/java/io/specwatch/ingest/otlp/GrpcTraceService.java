package io.specwatch.ingest.otlp;

import io.grpc.stub.StreamObserver;
import io.opentelemetry.proto.collector.trace.v1.ExportTracePartialSuccess;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceResponse;
import io.opentelemetry.proto.collector.trace.v1.TraceServiceGrpc;
import java.time.Duration;

/** OTLP/gRPC {@code TraceService/Export}: each span and each span event becomes a document. */
public final class GrpcTraceService extends TraceServiceGrpc.TraceServiceImplBase {
  private final OtlpIngest ingest;
  private final IngestStats stats;
  private final Duration retryAfter;

  public GrpcTraceService(OtlpIngest ingest, IngestStats stats, Duration retryAfter) {
    this.ingest = ingest;
    this.stats = stats;
    this.retryAfter = retryAfter;
  }

  @Override
  public void export(ExportTraceServiceRequest request,
      StreamObserver<ExportTraceServiceResponse> reply) {
    stats.request();
    OtlpIngest.Result r = ingest.spans(request, OtlpPosition.OTLP_GRPC);
    if (r.full()) {
      reply.onError(GrpcReplies.pipelineFull(retryAfter));
      return;
    }
    ExportTraceServiceResponse.Builder response = ExportTraceServiceResponse.newBuilder();
    if (r.rejected() > 0) {
      response.setPartialSuccess(ExportTracePartialSuccess.newBuilder()
          .setRejectedSpans(r.rejected()).setErrorMessage(r.errorMessage()));
    }
    reply.onNext(response.build());
    reply.onCompleted();
  }
}
