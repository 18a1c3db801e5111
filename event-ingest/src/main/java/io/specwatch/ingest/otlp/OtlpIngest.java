package io.specwatch.ingest.otlp;

import io.opentelemetry.proto.collector.logs.v1.ExportLogsServiceRequest;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import java.util.concurrent.atomic.AtomicLong;

/**
 * What both OTLP transports do with a decoded request: map it to documents, publish them as one
 * batch, and say what the reply must report. Shared by the HTTP and gRPC receivers so the two
 * cannot drift apart.
 */
public final class OtlpIngest {
  /**
   * The verdict on one request.
   *
   * @param full nothing was published: reply 429 / RESOURCE_EXHAUSTED so the client retries
   * @param rejected records not taken (mapping errors, or dropped after the commit timeout):
   *     OTLP's {@code rejected_log_records} / {@code rejected_spans}
   * @param errorMessage why, for OTLP's {@code error_message}; empty when nothing was rejected
   */
  public record Result(boolean full, int published, int rejected, String errorMessage) {}

  private final BatchPublisher publisher;
  private final IngestStats stats;
  private final int maxDocumentBytes;
  private final AtomicLong requestSeq;

  /** @param requestSeq numbers requests across every receiver of one server, from 1 */
  public OtlpIngest(BatchPublisher publisher, IngestStats stats, int maxDocumentBytes,
      AtomicLong requestSeq) {
    this.publisher = publisher;
    this.stats = stats;
    this.maxDocumentBytes = maxDocumentBytes;
    this.requestSeq = requestSeq;
  }

  public Result logs(ExportLogsServiceRequest request, String source) {
    DocumentBatch batch = new DocumentBatch(maxDocumentBytes);
    OtlpMapper.mapLogs(request, source, requestSeq.incrementAndGet(), batch);
    return publish(batch);
  }

  public Result spans(ExportTraceServiceRequest request, String source) {
    DocumentBatch batch = new DocumentBatch(maxDocumentBytes);
    OtlpMapper.mapSpans(request, source, requestSeq.incrementAndGet(), batch);
    return publish(batch);
  }

  /** Publishes a batch built elsewhere (the plain events endpoint), with the same accounting. */
  public Result publish(DocumentBatch batch) {
    BatchPublisher.Result r = publisher.publish(batch);
    if (r.outcome() == BatchPublisher.Outcome.FULL) {
      stats.rejected(IngestStats.Rejection.PIPELINE_FULL, 1);
      return new Result(true, 0, 0, "");
    }
    stats.rejected(IngestStats.Rejection.RECORD_REJECTED, batch.rejected());
    int rejected = batch.rejected() + r.dropped();
    String message = batch.errorMessage();
    if (r.dropped() > 0) {
      String dropped = r.dropped() + " record(s) dropped: the pipeline stayed full after the "
          + "request's first records were published";
      message = message.isEmpty() ? dropped : message + "; " + dropped;
    }
    return new Result(false, batch.size() - r.dropped(), rejected, message);
  }

  /** The next request number, for receivers that build their batch themselves. */
  public long nextRequest() {
    return requestSeq.incrementAndGet();
  }

  public int maxDocumentBytes() {
    return maxDocumentBytes;
  }
}
