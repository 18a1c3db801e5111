package io.specwatch.ingest.otlp;

import io.opentelemetry.proto.collector.logs.v1.ExportLogsServiceRequest;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.specwatch.ingest.otlp.IngestStats.RecordRejection;
import java.util.concurrent.atomic.AtomicLong;

/**
 * What both OTLP transports (and {@code /v1/events}) do with a decoded request: map it to
 * documents, publish them as one batch, count the records by endpoint, and say what the reply
 * must report. Shared so the transports cannot drift apart. The request-level answer (and its
 * refusal count, e.g. {@code pipeline_full}) is the transport's.
 */
public final class OtlpIngest {
  /**
   * The verdict on one request.
   *
   * @param full nothing was published: reply 429 / RESOURCE_EXHAUSTED so the client retries
   * @param published entries published (documents, and malformed ones the spec will report)
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

  public Result logs(ExportLogsServiceRequest request, IngestEndpoint endpoint) {
    DocumentBatch batch = new DocumentBatch(maxDocumentBytes);
    OtlpMapper.mapLogs(request, endpoint.source(), requestSeq.incrementAndGet(), batch);
    return publish(batch, endpoint);
  }

  public Result spans(ExportTraceServiceRequest request, IngestEndpoint endpoint) {
    DocumentBatch batch = new DocumentBatch(maxDocumentBytes);
    OtlpMapper.mapSpans(request, endpoint.source(), requestSeq.incrementAndGet(), batch);
    return publish(batch, endpoint);
  }

  /** Publishes a batch built elsewhere (the plain events endpoint), with the same accounting. */
  public Result publish(DocumentBatch batch, IngestEndpoint endpoint) {
    BatchPublisher.Result r = publisher.publish(batch);
    if (r.outcome() == BatchPublisher.Outcome.FULL) {
      return new Result(true, 0, 0, "");
    }
    int published = batch.size() - r.dropped();
    stats.countPublished(endpoint, published);
    stats.countRecordsRejected(endpoint, RecordRejection.REJECTED, batch.rejected());
    stats.countRecordsRejected(endpoint, RecordRejection.MALFORMED, batch.flagged());
    stats.countRecordsRejected(endpoint, RecordRejection.DROPPED, r.dropped());
    int rejected = batch.rejected() + r.dropped();
    String message = batch.errorMessage();
    if (r.dropped() > 0) {
      String dropped = r.dropped() + " record(s) dropped: the pipeline stayed full after the "
          + "request's first records were published";
      message = message.isEmpty() ? dropped : message + "; " + dropped;
    }
    return new Result(false, published, rejected, message);
  }

  /** The next request number, for receivers that build their batch themselves. */
  public long nextRequest() {
    return requestSeq.incrementAndGet();
  }

  public int maxDocumentBytes() {
    return maxDocumentBytes;
  }
}
