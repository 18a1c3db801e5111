package io.specwatch.ingest.otlp;

import io.opentelemetry.proto.collector.logs.v1.ExportLogsServiceRequest;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.common.v1.InstrumentationScope;
import io.opentelemetry.proto.logs.v1.LogRecord;
import io.opentelemetry.proto.logs.v1.ResourceLogs;
import io.opentelemetry.proto.logs.v1.ScopeLogs;
import io.opentelemetry.proto.resource.v1.Resource;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.opentelemetry.proto.trace.v1.Span;
import io.opentelemetry.proto.trace.v1.Status;

/**
 * Turns OTLP log records, spans and span events into one JSON document each, with field names
 * a spec can use as they are ({@code docs/otlp.md} is the reference, with an example per kind).
 * Fields that are unset in OTLP (a zero time, an empty string, a missing id) are left out, which
 * a spec reads as missing; {@code kind}, {@code attributes}, {@code resource} and {@code scope}
 * are always there.
 *
 * <p>A record that cannot be mapped (an id of the wrong length, a value nested too deeply, a
 * document over the size limit) is rejected alone: the rest of the request goes on, and the
 * reply reports it as OTLP's partial success.
 */
public final class OtlpMapper {
  private OtlpMapper() {}

  /** Every log record of the request, in request order. */
  public static void mapLogs(ExportLogsServiceRequest request, String source, long requestSeq,
      DocumentBatch batch) {
    int record = 0;
    for (ResourceLogs rl : request.getResourceLogsList()) {
      for (ScopeLogs sl : rl.getScopeLogsList()) {
        for (LogRecord log : sl.getLogRecordsList()) {
          record++;
          try {
            mapLog(log, rl.getResource(), sl.getScope(), source, requestSeq, record, batch);
          } catch (TraceIds.BadId | AnyValueWriter.TooDeep e) {
            batch.reject("log record " + record + ": " + e.getMessage());
          }
        }
      }
    }
  }

  /**
   * Every span of the request, each preceded by its events: events happen while the span runs
   * and the span's own time is its end, so this order keeps event time from going backwards.
   */
  public static void mapSpans(ExportTraceServiceRequest request, String source, long requestSeq,
      DocumentBatch batch) {
    int record = 0;
    for (ResourceSpans rs : request.getResourceSpansList()) {
      for (ScopeSpans ss : rs.getScopeSpansList()) {
        for (Span span : ss.getSpansList()) {
          record++;
          String traceId;
          String spanId;
          String parentId;
          try {
            traceId = TraceIds.hex(span.getTraceId(), "trace_id", TraceIds.TRACE_ID_BYTES);
            spanId = TraceIds.hex(span.getSpanId(), "span_id", TraceIds.SPAN_ID_BYTES);
            parentId = TraceIds.hex(span.getParentSpanId(), "parent_span_id", TraceIds.SPAN_ID_BYTES);
          } catch (TraceIds.BadId e) {
            // The span and its events are one OTLP item: reject it once.
            batch.reject("span " + record + ": " + e.getMessage());
            continue;
          }
          SpanIds ids = new SpanIds(traceId, spanId, parentId);
          try {
            for (Span.Event event : span.getEventsList()) {
              mapSpanEvent(event, span, ids, rs.getResource(), ss.getScope(), batch);
              batch.commit(position(source, requestSeq, batch, ids));
            }
            mapSpan(span, ids, rs.getResource(), ss.getScope(), batch);
            batch.commit(position(source, requestSeq, batch, ids));
          } catch (AnyValueWriter.TooDeep e) {
            batch.reject("span " + record + ": " + e.getMessage());
          }
        }
      }
    }
  }

  private record SpanIds(String trace, String span, String parent) {}

  private static OtlpPosition position(String source, long requestSeq, DocumentBatch batch,
      SpanIds ids) {
    return new OtlpPosition(source, requestSeq, batch.size() + 1, ids.trace, ids.span);
  }

  private static void mapLog(LogRecord log, Resource resource, InstrumentationScope scope,
      String source, long requestSeq, int record, DocumentBatch batch)
      throws TraceIds.BadId, AnyValueWriter.TooDeep {
    String traceId = TraceIds.hex(log.getTraceId(), "trace_id", TraceIds.TRACE_ID_BYTES);
    String spanId = TraceIds.hex(log.getSpanId(), "span_id", TraceIds.SPAN_ID_BYTES);
    JsonBytesWriter w = batch.begin();
    w.beginObject();
    w.name("kind");
    w.value("log");
    // Java SDK log records often carry only the observed time (time_unix_nano = 0).
    long time = UnixNanos.isSet(log.getTimeUnixNano()) ? log.getTimeUnixNano()
        : log.getObservedTimeUnixNano();
    timeField(w, "time", time);
    timeField(w, "observed_time", log.getObservedTimeUnixNano());
    if (log.getSeverityNumberValue() != 0) {
      w.name("severity_number");
      w.value(log.getSeverityNumberValue());
    }
    stringField(w, "severity_text", log.getSeverityText());
    if (log.hasBody()) {
      w.name("body");
      AnyValueWriter.write(w, log.getBody());
    }
    stringField(w, "event_name", log.getEventName());
    w.name("attributes");
    AnyValueWriter.writeAttributes(w, log.getAttributesList());
    idFields(w, traceId, spanId, null);
    resourceAndScope(w, resource, scope);
    w.endObject();
    batch.commit(new OtlpPosition(source, requestSeq, batch.size() + 1, traceId, spanId));
  }

  private static void mapSpan(Span span, SpanIds ids, Resource resource, InstrumentationScope scope,
      DocumentBatch batch) throws AnyValueWriter.TooDeep {
    JsonBytesWriter w = batch.begin();
    w.beginObject();
    w.name("kind");
    w.value("span");
    // A span is exported once it ends, so its end is when its outcome became a fact.
    long time = UnixNanos.isSet(span.getEndTimeUnixNano()) ? span.getEndTimeUnixNano()
        : span.getStartTimeUnixNano();
    timeField(w, "time", time);
    stringField(w, "name", span.getName());
    w.name("span_kind");
    w.value(spanKind(span.getKind()));
    timeField(w, "start_time", span.getStartTimeUnixNano());
    timeField(w, "end_time", span.getEndTimeUnixNano());
    if (UnixNanos.isSet(span.getStartTimeUnixNano()) && UnixNanos.isSet(span.getEndTimeUnixNano())) {
      w.name("duration_ms");
      w.value(UnixNanos.millisBetween(span.getStartTimeUnixNano(), span.getEndTimeUnixNano()));
    }
    w.name("status");
    w.beginObject();
    w.name("code");
    w.value(statusCode(span.getStatus().getCode()));
    stringField(w, "message", span.getStatus().getMessage());
    w.endObject();
    w.name("attributes");
    AnyValueWriter.writeAttributes(w, span.getAttributesList());
    idFields(w, ids.trace, ids.span, ids.parent);
    stringField(w, "trace_state", span.getTraceState());
    if (span.getLinksCount() > 0) {
      w.name("links");
      w.beginArray();
      for (Span.Link link : span.getLinksList()) {
        w.beginObject();
        // A link to a malformed context is not worth losing the span for: its ids are left out.
        idFields(w, hexOrNull(link.getTraceId(), TraceIds.TRACE_ID_BYTES),
            hexOrNull(link.getSpanId(), TraceIds.SPAN_ID_BYTES), null);
        w.name("attributes");
        AnyValueWriter.writeAttributes(w, link.getAttributesList());
        w.endObject();
      }
      w.endArray();
    }
    resourceAndScope(w, resource, scope);
    w.endObject();
  }

  private static void mapSpanEvent(Span.Event event, Span span, SpanIds ids, Resource resource,
      InstrumentationScope scope, DocumentBatch batch) throws AnyValueWriter.TooDeep {
    JsonBytesWriter w = batch.begin();
    w.beginObject();
    w.name("kind");
    w.value("span_event");
    timeField(w, "time", event.getTimeUnixNano());
    stringField(w, "name", event.getName());
    w.name("attributes");
    AnyValueWriter.writeAttributes(w, event.getAttributesList());
    stringField(w, "span_name", span.getName());
    w.name("span_attributes");
    AnyValueWriter.writeAttributes(w, span.getAttributesList());
    idFields(w, ids.trace, ids.span, ids.parent);
    resourceAndScope(w, resource, scope);
    w.endObject();
  }

  private static String hexOrNull(com.google.protobuf.ByteString id, int bytes) {
    try {
      return TraceIds.hex(id, "link id", bytes);
    } catch (TraceIds.BadId e) {
      return null;
    }
  }

  private static void idFields(JsonBytesWriter w, String traceId, String spanId, String parentId) {
    if (traceId != null) {
      w.name("trace_id");
      w.value(traceId);
    }
    if (spanId != null) {
      w.name("span_id");
      w.value(spanId);
    }
    if (parentId != null) {
      w.name("parent_span_id");
      w.value(parentId);
    }
  }

  private static void resourceAndScope(JsonBytesWriter w, Resource resource,
      InstrumentationScope scope) throws AnyValueWriter.TooDeep {
    w.name("resource");
    AnyValueWriter.writeAttributes(w, resource.getAttributesList());
    w.name("scope");
    w.beginObject();
    stringField(w, "name", scope.getName());
    stringField(w, "version", scope.getVersion());
    w.name("attributes");
    AnyValueWriter.writeAttributes(w, scope.getAttributesList());
    w.endObject();
  }

  private static void timeField(JsonBytesWriter w, String name, long unixNanos) {
    if (UnixNanos.isSet(unixNanos)) {
      w.name(name);
      w.value(UnixNanos.format(unixNanos));
    }
  }

  private static void stringField(JsonBytesWriter w, String name, String value) {
    if (!value.isEmpty()) {
      w.name(name);
      w.value(value);
    }
  }

  /** {@code SPAN_KIND_SERVER} as {@code server}; an unknown future value as its number. */
  static String spanKind(Span.SpanKind kind) {
    return switch (kind) {
      case SPAN_KIND_INTERNAL -> "internal";
      case SPAN_KIND_SERVER -> "server";
      case SPAN_KIND_CLIENT -> "client";
      case SPAN_KIND_PRODUCER -> "producer";
      case SPAN_KIND_CONSUMER -> "consumer";
      case SPAN_KIND_UNSPECIFIED -> "unspecified";
      default -> "unknown";
    };
  }

  /** {@code STATUS_CODE_ERROR} as {@code error}. */
  static String statusCode(Status.StatusCode code) {
    return switch (code) {
      case STATUS_CODE_OK -> "ok";
      case STATUS_CODE_ERROR -> "error";
      case STATUS_CODE_UNSET -> "unset";
      default -> "unknown";
    };
  }
}
