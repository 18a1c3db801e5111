package io.specwatch.ingest.otlp;

import io.specwatch.ingest.otlp.IngestStats.Refusal;
import java.util.EnumSet;
import java.util.Set;

/**
 * Where a request arrived: protocol and endpoint, as the receivers' counters and metric labels
 * name them. A fixed set, so a client cannot create label values: a path or gRPC method the
 * receivers do not serve is {@code other}.
 */
public enum IngestEndpoint {
  HTTP_LOGS("http", "/v1/logs", OtlpPosition.OTLP_HTTP),
  HTTP_TRACES("http", "/v1/traces", OtlpPosition.OTLP_HTTP),
  HTTP_EVENTS("http", "/v1/events", OtlpPosition.HTTP_EVENTS),
  /** Any other path on the HTTP port: answered 404. */
  HTTP_OTHER("http", "other", null),
  GRPC_LOGS("grpc", "LogsService/Export", OtlpPosition.OTLP_GRPC),
  GRPC_TRACES("grpc", "TraceService/Export", OtlpPosition.OTLP_GRPC),
  /** Any other gRPC method: answered UNIMPLEMENTED by gRPC. */
  GRPC_OTHER("grpc", "other", null);

  private final String protocol;
  private final String label;
  private final String source;

  IngestEndpoint(String protocol, String label, String source) {
    this.protocol = protocol;
    this.label = label;
    this.source = source;
  }

  /** {@code http} or {@code grpc}: the {@code protocol} metric label. */
  public String protocol() {
    return protocol;
  }

  /** The path or gRPC method, or {@code other}: the {@code endpoint} metric label. */
  public String label() {
    return label;
  }

  /** The {@code source} its documents' positions carry ({@link OtlpPosition}); null for other. */
  public String source() {
    return source;
  }

  /** The HTTP path this endpoint serves, or null (not HTTP, or other). */
  public String path() {
    return protocol.equals("http") && source != null ? label : null;
  }

  /**
   * The refusals this endpoint can answer with: what a metrics binder registers up front, so
   * every series exists at 0 before the first refusal (a rate over a series that appears at 1
   * would miss that first one).
   */
  public Set<Refusal> possibleRefusals() {
    if (this == HTTP_OTHER) {
      return EnumSet.of(Refusal.NOT_FOUND, Refusal.STOPPING);
    }
    if (this == GRPC_OTHER) {
      return EnumSet.of(Refusal.NOT_FOUND);
    }
    Set<Refusal> all = EnumSet.allOf(Refusal.class);
    all.remove(Refusal.NOT_FOUND);
    if (protocol.equals("grpc")) {
      all.remove(Refusal.METHOD_NOT_ALLOWED); // gRPC has no methods but its own
    }
    return all;
  }
}
