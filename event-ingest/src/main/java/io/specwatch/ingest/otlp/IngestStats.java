package io.specwatch.ingest.otlp;

import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.atomic.LongAdder;

/**
 * Counters of what the network receivers took and turned away, by reason: what a metrics binder
 * exposes (e.g. {@code specwatch_ingest_rejected_total{reason="too_large"}}). Thread-safe;
 * request threads only add.
 */
public final class IngestStats {
  /** Why a request, or a record inside one, was not taken. */
  public enum Rejection {
    /** 400: the body is not valid protobuf / JSON, or a JSONL line is not a JSON object. */
    MALFORMED("malformed"),
    /** 413: over the request limit, compressed or decompressed. */
    TOO_LARGE("too_large"),
    /** 401: bearer token missing or wrong. */
    UNAUTHORIZED("unauthorized"),
    /** 415: a content type or content encoding the endpoint does not take. */
    UNSUPPORTED_MEDIA_TYPE("unsupported_media_type"),
    /** 404 / 405: no such endpoint or not a POST. */
    NOT_FOUND("not_found"),
    /** 429 / RESOURCE_EXHAUSTED: the pipeline had no room; the client retries. */
    PIPELINE_FULL("pipeline_full"),
    /** 503 / UNAVAILABLE: the receiver is stopping; the client retries elsewhere or later. */
    STOPPING("stopping"),
    /** A record inside an accepted request that could not be mapped (partial success). */
    RECORD_REJECTED("record_rejected"),
    /**
     * Records of an accepted request that could not be published because the pipeline stayed
     * full past the commit timeout after the request's first documents went in (see
     * {@link BatchPublisher}); reported to the client as rejected, never silently lost.
     */
    RECORD_DROPPED("record_dropped");

    private final String label;

    Rejection(String label) {
      this.label = label;
    }

    /** The metric label value. */
    public String label() {
      return label;
    }
  }

  private final LongAdder requests = new LongAdder();
  private final LongAdder documents = new LongAdder();
  private final Map<Rejection, LongAdder> rejections = new EnumMap<>(Rejection.class);

  public IngestStats() {
    for (Rejection r : Rejection.values()) {
      rejections.put(r, new LongAdder());
    }
  }

  public void request() {
    requests.increment();
  }

  public void published(int n) {
    documents.add(n);
  }

  public void rejected(Rejection reason, long n) {
    rejections.get(reason).add(n);
  }

  /** Requests received on every endpoint, whatever their outcome. */
  public long requests() {
    return requests.sum();
  }

  /** Documents published into the pipeline. */
  public long documents() {
    return documents.sum();
  }

  /** Requests (or, for the record reasons, records) turned away for this reason. */
  public long rejected(Rejection reason) {
    return rejections.get(reason).sum();
  }
}
