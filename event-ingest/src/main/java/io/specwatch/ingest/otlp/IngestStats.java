package io.specwatch.ingest.otlp;

import java.util.concurrent.atomic.LongAdder;

/**
 * Counters of what the network receivers took and turned away, per {@link IngestEndpoint}:
 * requests received, requests refused by {@link Refusal reason}, documents published, and
 * records of accepted requests not taken, by {@link RecordRejection reason}. What a metrics
 * binder exposes (deploy's {@code IngestMeters}:
 * {@code specwatch_ingest_requests_refused_total{protocol,endpoint,reason}} and friends).
 * Thread-safe; request threads only add. The key space is fixed, so the counters are plain
 * arrays and a hostile client cannot make them grow.
 */
public final class IngestStats {
  /** Why a whole request was refused: what its client was answered. */
  public enum Refusal {
    /** HTTP 400 / gRPC INTERNAL: the body is not valid protobuf, JSON or gzip. */
    MALFORMED("malformed"),
    /** HTTP 413 / gRPC RESOURCE_EXHAUSTED from gRPC's own message limit: over a size limit. */
    TOO_LARGE("too_large"),
    /** HTTP 401 / gRPC UNAUTHENTICATED: bearer token missing or wrong. */
    UNAUTHORIZED("unauthorized"),
    /** HTTP 415 / gRPC UNIMPLEMENTED for a compression it lacks: a type or encoding not taken. */
    UNSUPPORTED_MEDIA_TYPE("unsupported_media_type"),
    /** HTTP 404 / gRPC UNIMPLEMENTED: no such path or method. */
    NOT_FOUND("not_found"),
    /** HTTP 405: not a POST. */
    METHOD_NOT_ALLOWED("method_not_allowed"),
    /** HTTP 429 / gRPC RESOURCE_EXHAUSTED with RetryInfo: the pipeline had no room; retry. */
    PIPELINE_FULL("pipeline_full"),
    /** HTTP 503 / gRPC UNAVAILABLE: the receiver is stopping; retry later. */
    STOPPING("stopping"),
    /** HTTP 500 / gRPC UNKNOWN: a bug in specwatch, never bad input (and logged). */
    INTERNAL_ERROR("internal_error");

    private final String label;

    Refusal(String label) {
      this.label = label;
    }

    /** The {@code reason} metric label. */
    public String label() {
      return label;
    }
  }

  /** Why a record (a log record, span, or {@code /v1/events} line) of a taken request was not. */
  public enum RecordRejection {
    /**
     * It could not be made a document (an id of the wrong length, a value nested too deeply, an
     * OTLP record over the document limit): not published, reported as OTLP partial success or in
     * the {@code /v1/events} reply.
     */
    REJECTED("rejected"),
    /**
     * A {@code /v1/events} line that is not one JSON object, or is over the document limit: the
     * client is told, and it is published as {@code check} reads such a line, so the spec reports
     * a {@code malformed} violation.
     */
    MALFORMED("malformed"),
    /**
     * Published neither way: the pipeline stayed full past the commit timeout after the
     * request's first documents went in ({@link BatchPublisher}); reported to the client.
     */
    DROPPED("dropped");

    private final String label;

    RecordRejection(String label) {
      this.label = label;
    }

    /** The {@code reason} metric label. */
    public String label() {
      return label;
    }
  }

  private static final int ENDPOINTS = IngestEndpoint.values().length;

  private final LongAdder[] requests = adders(ENDPOINTS);
  private final LongAdder[] documents = adders(ENDPOINTS);
  private final LongAdder[] refused = adders(ENDPOINTS * Refusal.values().length);
  private final LongAdder[] records = adders(ENDPOINTS * RecordRejection.values().length);

  private static LongAdder[] adders(int n) {
    LongAdder[] a = new LongAdder[n];
    for (int i = 0; i < n; i++) {
      a[i] = new LongAdder();
    }
    return a;
  }

  private static int at(IngestEndpoint e, Enum<?> reason, int reasons) {
    return e.ordinal() * reasons + reason.ordinal();
  }

  public void countRequest(IngestEndpoint e) {
    requests[e.ordinal()].increment();
  }

  public void countRefusal(IngestEndpoint e, Refusal reason) {
    refused[at(e, reason, Refusal.values().length)].increment();
  }

  public void countPublished(IngestEndpoint e, int n) {
    documents[e.ordinal()].add(n);
  }

  public void countRecordsRejected(IngestEndpoint e, RecordRejection reason, long n) {
    records[at(e, reason, RecordRejection.values().length)].add(n);
  }

  /** Requests received on this endpoint, whatever their outcome. */
  public long requests(IngestEndpoint e) {
    return requests[e.ordinal()].sum();
  }

  /** Requests refused on this endpoint for this reason. */
  public long refused(IngestEndpoint e, Refusal reason) {
    return refused[at(e, reason, Refusal.values().length)].sum();
  }

  /** Requests refused for this reason on every endpoint. */
  public long refused(Refusal reason) {
    long sum = 0;
    for (IngestEndpoint e : IngestEndpoint.values()) {
      sum += refused(e, reason);
    }
    return sum;
  }

  /** Documents published into the pipeline from this endpoint. */
  public long documents(IngestEndpoint e) {
    return documents[e.ordinal()].sum();
  }

  /** Documents published from every endpoint. */
  public long documents() {
    long sum = 0;
    for (IngestEndpoint e : IngestEndpoint.values()) {
      sum += documents(e);
    }
    return sum;
  }

  /** Records of taken requests on this endpoint that were not taken, for this reason. */
  public long recordsRejected(IngestEndpoint e, RecordRejection reason) {
    return records[at(e, reason, RecordRejection.values().length)].sum();
  }

  /** Records not taken for this reason on every endpoint. */
  public long recordsRejected(RecordRejection reason) {
    long sum = 0;
    for (IngestEndpoint e : IngestEndpoint.values()) {
      sum += recordsRejected(e, reason);
    }
    return sum;
  }
}
