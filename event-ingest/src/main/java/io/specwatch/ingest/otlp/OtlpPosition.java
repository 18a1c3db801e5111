package io.specwatch.ingest.otlp;

import io.specwatch.core.Position;
import io.specwatch.core.json.JsonText;

/**
 * Where a document received over the network came from: which receiver, which request (numbered
 * from 1 per server run), which record of it (from 1, in the order documents were published),
 * and, when the record has them, its trace and span ids. A violation carries its position's
 * members, so an alert links to the exact trace:
 *
 * <pre>"source":"otlp-grpc","request":7,"record":3,"trace_id":"5b8e...","span_id":"051581bf3cb55c13"</pre>
 *
 * @param source {@code otlp-http}, {@code otlp-grpc} or {@code http-events}
 * @param traceId lower-case hex (OTLP), the event's own top-level {@code trace_id} string
 *     ({@code /v1/events}), or null
 * @param spanId likewise
 */
public record OtlpPosition(String source, long request, int record, String traceId, String spanId)
    implements Position {
  public static final String OTLP_HTTP = "otlp-http";
  public static final String OTLP_GRPC = "otlp-grpc";
  public static final String HTTP_EVENTS = "http-events";

  /**
   * True when the record has a trace id: the engine then keeps this position for each deadline
   * the document arms, and the deadline's violation carries it as {@code armed_at}, so its alert
   * links to the trace that started the wait (the checkout that never committed), not to the
   * unrelated document whose time moved the watermark past the expiry.
   */
  @Override
  public boolean carriesTraceContext() {
    return traceId != null;
  }

  @Override
  public void appendJsonMembers(StringBuilder sb) {
    sb.append("\"source\":");
    JsonText.appendString(sb, source);
    sb.append(",\"request\":").append(request).append(",\"record\":").append(record);
    if (traceId != null) {
      sb.append(",\"trace_id\":");
      JsonText.appendString(sb, traceId);
    }
    if (spanId != null) {
      sb.append(",\"span_id\":");
      JsonText.appendString(sb, spanId);
    }
  }
}
