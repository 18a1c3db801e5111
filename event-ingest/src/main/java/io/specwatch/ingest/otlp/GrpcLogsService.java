package io.specwatch.ingest.otlp;

import io.grpc.stub.StreamObserver;
import io.opentelemetry.proto.collector.logs.v1.ExportLogsPartialSuccess;
import io.opentelemetry.proto.collector.logs.v1.ExportLogsServiceRequest;
import io.opentelemetry.proto.collector.logs.v1.ExportLogsServiceResponse;
import io.opentelemetry.proto.collector.logs.v1.LogsServiceGrpc;
import java.time.Duration;

/** OTLP/gRPC {@code LogsService/Export}: each log record becomes a document. */
public final class GrpcLogsService extends LogsServiceGrpc.LogsServiceImplBase {
  private final OtlpIngest ingest;
  private final IngestStats stats;
  private final Duration retryAfter;

  public GrpcLogsService(OtlpIngest ingest, IngestStats stats, Duration retryAfter) {
    this.ingest = ingest;
    this.stats = stats;
    this.retryAfter = retryAfter;
  }

  @Override
  public void export(ExportLogsServiceRequest request,
      StreamObserver<ExportLogsServiceResponse> reply) {
    stats.request();
    OtlpIngest.Result r = ingest.logs(request, OtlpPosition.OTLP_GRPC);
    if (r.full()) {
      reply.onError(GrpcReplies.pipelineFull(retryAfter));
      return;
    }
    ExportLogsServiceResponse.Builder response = ExportLogsServiceResponse.newBuilder();
    if (r.rejected() > 0) {
      response.setPartialSuccess(ExportLogsPartialSuccess.newBuilder()
          .setRejectedLogRecords(r.rejected()).setErrorMessage(r.errorMessage()));
    }
    reply.onNext(response.build());
    reply.onCompleted();
  }
}
