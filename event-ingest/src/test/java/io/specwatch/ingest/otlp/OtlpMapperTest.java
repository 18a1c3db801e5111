package io.specwatch.ingest.otlp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.ByteString;
import io.opentelemetry.proto.collector.logs.v1.ExportLogsServiceRequest;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.ArrayValue;
import io.opentelemetry.proto.common.v1.InstrumentationScope;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.common.v1.KeyValueList;
import io.opentelemetry.proto.logs.v1.LogRecord;
import io.opentelemetry.proto.logs.v1.ResourceLogs;
import io.opentelemetry.proto.logs.v1.ScopeLogs;
import io.opentelemetry.proto.logs.v1.SeverityNumber;
import io.opentelemetry.proto.resource.v1.Resource;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.opentelemetry.proto.trace.v1.Span;
import io.opentelemetry.proto.trace.v1.Status;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The OTLP-to-document mapping, field by field, for each kind: the exact documents below are the
 * ones docs/otlp.md shows, so the reference cannot drift from the code.
 */
class OtlpMapperTest {
  static final String TRACE = "5b8efff798038103d269b633813fc60c";
  static final String SPAN = "eee19b7ec3c1b174";
  static final String PARENT = "051581bf3cb55c13";
  /** 2026-03-02T09:00:00.123456789Z */
  static final long T0 = 1_772_442_000_123_456_789L;

  static ByteString id(String hex) {
    return ByteString.copyFrom(HexFormat.of().parseHex(hex));
  }

  static KeyValue kv(String key, AnyValue v) {
    return KeyValue.newBuilder().setKey(key).setValue(v).build();
  }

  static AnyValue str(String s) {
    return AnyValue.newBuilder().setStringValue(s).build();
  }

  static AnyValue num(long n) {
    return AnyValue.newBuilder().setIntValue(n).build();
  }

  static Resource resource() {
    return Resource.newBuilder().addAttributes(kv("service.name", str("checkout"))).build();
  }

  static InstrumentationScope scope() {
    return InstrumentationScope.newBuilder().setName("shop.audit").setVersion("1.4.0")
        .addAttributes(kv("team", str("payments"))).build();
  }

  static List<String> documents(DocumentBatch batch) {
    List<String> docs = new ArrayList<>();
    for (int i = 0; i < batch.size(); i++) {
      docs.add(new String(batch.buffer(), batch.start(i), batch.length(i), StandardCharsets.UTF_8));
    }
    return docs;
  }

  static DocumentBatch mapLogs(LogRecord... records) {
    ExportLogsServiceRequest request = ExportLogsServiceRequest.newBuilder()
        .addResourceLogs(ResourceLogs.newBuilder().setResource(resource())
            .addScopeLogs(ScopeLogs.newBuilder().setScope(scope()).addAllLogRecords(List.of(records))))
        .build();
    DocumentBatch batch = new DocumentBatch(1 << 20);
    OtlpMapper.mapLogs(request, OtlpPosition.OTLP_HTTP, 7, batch);
    return batch;
  }

  static DocumentBatch mapSpans(Span... spans) {
    ExportTraceServiceRequest request = ExportTraceServiceRequest.newBuilder()
        .addResourceSpans(ResourceSpans.newBuilder().setResource(resource())
            .addScopeSpans(ScopeSpans.newBuilder().setScope(scope()).addAllSpans(List.of(spans))))
        .build();
    DocumentBatch batch = new DocumentBatch(1 << 20);
    OtlpMapper.mapSpans(request, OtlpPosition.OTLP_GRPC, 9, batch);
    return batch;
  }

  @Test
  void aLogRecordMapsEveryFieldToOneDocument() {
    LogRecord log = LogRecord.newBuilder()
        .setTimeUnixNano(T0)
        .setObservedTimeUnixNano(T0 + 1_000_000_000L)
        .setSeverityNumber(SeverityNumber.SEVERITY_NUMBER_INFO)
        .setSeverityText("INFO")
        .setBody(str("order placed"))
        .setEventName("order.placed")
        .addAttributes(kv("order.id", str("o-1")))
        .addAttributes(kv("order.total", num(4200)))
        .setTraceId(id(TRACE))
        .setSpanId(id(SPAN))
        .setFlags(1) // trace flags: not mapped, a spec has no use for them
        .build();
    DocumentBatch batch = mapLogs(log);
    assertEquals(List.of("{\"kind\":\"log\",\"time\":\"2026-03-02T09:00:00.123456789Z\","
        + "\"observed_time\":\"2026-03-02T09:00:01.123456789Z\",\"severity_number\":9,"
        + "\"severity_text\":\"INFO\",\"body\":\"order placed\",\"event_name\":\"order.placed\","
        + "\"attributes\":{\"order.id\":\"o-1\",\"order.total\":4200},"
        + "\"trace_id\":\"" + TRACE + "\",\"span_id\":\"" + SPAN + "\","
        + "\"resource\":{\"service.name\":\"checkout\"},"
        + "\"scope\":{\"name\":\"shop.audit\",\"version\":\"1.4.0\",\"attributes\":{\"team\":\"payments\"}}}"),
        documents(batch));
    assertEquals(new OtlpPosition("otlp-http", 7, 1, TRACE, SPAN), batch.position(0));
    assertEquals(0, batch.rejected());
  }

  @Test
  void aLogRecordWithoutTimeFallsBackToTheObservedTimeAndLeavesUnsetFieldsOut() {
    LogRecord log = LogRecord.newBuilder().setObservedTimeUnixNano(T0).build();
    DocumentBatch batch = mapLogs(log);
    assertEquals(List.of("{\"kind\":\"log\",\"time\":\"2026-03-02T09:00:00.123456789Z\","
        + "\"observed_time\":\"2026-03-02T09:00:00.123456789Z\",\"attributes\":{},"
        + "\"resource\":{\"service.name\":\"checkout\"},"
        + "\"scope\":{\"name\":\"shop.audit\",\"version\":\"1.4.0\",\"attributes\":{\"team\":\"payments\"}}}"),
        documents(batch));
    assertEquals(new OtlpPosition("otlp-http", 7, 1, null, null), batch.position(0));
  }

  @Test
  void aLogRecordWithNoTimeAtAllHasNoTimeField() {
    DocumentBatch batch = mapLogs(LogRecord.newBuilder().setBody(str("x")).build());
    assertTrue(!documents(batch).get(0).contains("time"), documents(batch).get(0));
  }

  @Test
  void anyValuesMapToTheirNaturalJson() {
    AnyValue kvlist = AnyValue.newBuilder().setKvlistValue(KeyValueList.newBuilder()
        .addValues(kv("sku", str("A-1"))).addValues(kv("qty", num(2)))).build();
    AnyValue array = AnyValue.newBuilder().setArrayValue(ArrayValue.newBuilder()
        .addValues(num(1)).addValues(str("two")).addValues(kvlist)).build();
    LogRecord log = LogRecord.newBuilder().setTimeUnixNano(T0)
        .setBody(kvlist)
        .addAttributes(kv("s", str("quote \" backslash \\ newline \n tab \t ctl \u0001 é 😀")))
        .addAttributes(kv("b", AnyValue.newBuilder().setBoolValue(true).build()))
        .addAttributes(kv("i", num(-9_007_199_254_740_993L)))
        .addAttributes(kv("d", AnyValue.newBuilder().setDoubleValue(12.5).build()))
        .addAttributes(kv("d_integral", AnyValue.newBuilder().setDoubleValue(3.0).build()))
        .addAttributes(kv("nan", AnyValue.newBuilder().setDoubleValue(Double.NaN).build()))
        .addAttributes(kv("inf", AnyValue.newBuilder().setDoubleValue(Double.NEGATIVE_INFINITY).build()))
        .addAttributes(kv("bytes", AnyValue.newBuilder()
            .setBytesValue(ByteString.copyFrom(new byte[] {0, 1, 2, (byte) 255})).build()))
        .addAttributes(kv("array", array))
        .addAttributes(kv("empty", AnyValue.getDefaultInstance()))
        .build();
    String doc = documents(mapLogs(log)).get(0);
    assertTrue(doc.contains("\"body\":{\"sku\":\"A-1\",\"qty\":2}"), doc);
    assertTrue(doc.contains("\"attributes\":{"
        + "\"s\":\"quote \\\" backslash \\\\ newline \\u000a tab \\u0009 ctl \\u0001 é 😀\","
        + "\"b\":true,\"i\":-9007199254740993,\"d\":12.5,\"d_integral\":3,\"nan\":\"NaN\","
        + "\"inf\":\"-Infinity\",\"bytes\":\"AAEC/w==\","
        + "\"array\":[1,\"two\",{\"sku\":\"A-1\",\"qty\":2}],\"empty\":null}"), doc);
  }

  @Test
  void aSpanMapsEveryFieldAndItsEventsComeFirst() {
    Span span = Span.newBuilder()
        .setTraceId(id(TRACE)).setSpanId(id(SPAN)).setParentSpanId(id(PARENT))
        .setTraceState("vendor=1")
        .setName("stock.reserve")
        .setKind(Span.SpanKind.SPAN_KIND_SERVER)
        .setStartTimeUnixNano(T0)
        .setEndTimeUnixNano(T0 + 250_000_000L)
        .addAttributes(kv("checkout.id", str("c-1")))
        .setStatus(Status.newBuilder().setCode(Status.StatusCode.STATUS_CODE_ERROR).setMessage("out of stock"))
        .addEvents(Span.Event.newBuilder().setTimeUnixNano(T0 + 100_000_000L).setName("retry")
            .addAttributes(kv("attempt", num(2))))
        .addLinks(Span.Link.newBuilder().setTraceId(id("0af7651916cd43dd8448eb211c80319c"))
            .setSpanId(id("b7ad6b7169203331")).addAttributes(kv("why", str("batch"))))
        .build();
    DocumentBatch batch = mapSpans(span);
    String resourceAndScope = "\"resource\":{\"service.name\":\"checkout\"},"
        + "\"scope\":{\"name\":\"shop.audit\",\"version\":\"1.4.0\",\"attributes\":{\"team\":\"payments\"}}}";
    assertEquals(List.of(
        "{\"kind\":\"span_event\",\"time\":\"2026-03-02T09:00:00.223456789Z\",\"name\":\"retry\","
            + "\"attributes\":{\"attempt\":2},\"span_name\":\"stock.reserve\","
            + "\"span_attributes\":{\"checkout.id\":\"c-1\"},"
            + "\"trace_id\":\"" + TRACE + "\",\"span_id\":\"" + SPAN + "\",\"parent_span_id\":\"" + PARENT + "\","
            + resourceAndScope,
        "{\"kind\":\"span\",\"time\":\"2026-03-02T09:00:00.373456789Z\",\"name\":\"stock.reserve\","
            + "\"span_kind\":\"server\",\"start_time\":\"2026-03-02T09:00:00.123456789Z\","
            + "\"end_time\":\"2026-03-02T09:00:00.373456789Z\",\"duration_ms\":250,"
            + "\"status\":{\"code\":\"error\",\"message\":\"out of stock\"},"
            + "\"attributes\":{\"checkout.id\":\"c-1\"},"
            + "\"trace_id\":\"" + TRACE + "\",\"span_id\":\"" + SPAN + "\",\"parent_span_id\":\"" + PARENT + "\","
            + "\"trace_state\":\"vendor=1\","
            + "\"links\":[{\"trace_id\":\"0af7651916cd43dd8448eb211c80319c\",\"span_id\":\"b7ad6b7169203331\","
            + "\"attributes\":{\"why\":\"batch\"}}],"
            + resourceAndScope),
        documents(batch));
    assertEquals(new OtlpPosition("otlp-grpc", 9, 1, TRACE, SPAN), batch.position(0));
    assertEquals(new OtlpPosition("otlp-grpc", 9, 2, TRACE, SPAN), batch.position(1));
  }

  @Test
  void aMinimalSpanHasItsKindAndStatusButNoEmptyFields() {
    Span span = Span.newBuilder().setTraceId(id(TRACE)).setSpanId(id(SPAN)).setName("s")
        .setStartTimeUnixNano(T0).build();
    assertEquals(List.of("{\"kind\":\"span\",\"time\":\"2026-03-02T09:00:00.123456789Z\",\"name\":\"s\","
        + "\"span_kind\":\"unspecified\",\"start_time\":\"2026-03-02T09:00:00.123456789Z\","
        + "\"status\":{\"code\":\"unset\"},\"attributes\":{},"
        + "\"trace_id\":\"" + TRACE + "\",\"span_id\":\"" + SPAN + "\",\"resource\":{\"service.name\":\"checkout\"},"
        + "\"scope\":{\"name\":\"shop.audit\",\"version\":\"1.4.0\",\"attributes\":{\"team\":\"payments\"}}}"),
        documents(mapSpans(span)));
  }

  @Test
  void allZeroIdsAreAbsentAndWrongLengthIdsRejectOnlyTheirRecord() {
    LogRecord zeroIds = LogRecord.newBuilder().setTimeUnixNano(T0)
        .setTraceId(ByteString.copyFrom(new byte[16])).setSpanId(ByteString.copyFrom(new byte[8])).build();
    LogRecord badTrace = LogRecord.newBuilder().setTimeUnixNano(T0)
        .setTraceId(ByteString.copyFrom(new byte[] {1, 2, 3})).build();
    LogRecord good = LogRecord.newBuilder().setTimeUnixNano(T0).setEventName("ok").build();
    DocumentBatch batch = mapLogs(zeroIds, badTrace, good);
    assertEquals(2, batch.size());
    assertTrue(!documents(batch).get(0).contains("trace_id"));
    assertTrue(documents(batch).get(1).contains("\"event_name\":\"ok\""));
    assertEquals(new OtlpPosition("otlp-http", 7, 2, null, null), batch.position(1));
    assertEquals(1, batch.rejected());
    assertEquals("1 record(s) rejected: log record 2: trace_id must be 16 bytes, was 3",
        batch.errorMessage());
  }

  @Test
  void aValueNestedTooDeeplyRejectsItsRecordAndLeavesNoBytesBehind() {
    AnyValue deep = str("bottom");
    for (int i = 0; i < AnyValueWriter.MAX_DEPTH + 5; i++) {
      deep = AnyValue.newBuilder().setArrayValue(ArrayValue.newBuilder().addValues(deep)).build();
    }
    DocumentBatch batch = mapLogs(LogRecord.newBuilder().setBody(deep).build(),
        LogRecord.newBuilder().setEventName("after").build());
    assertEquals(1, batch.rejected());
    assertTrue(batch.errorMessage().contains("nested deeper than 64 levels"), batch.errorMessage());
    assertEquals(1, batch.size());
    assertEquals(0, batch.start(0), "the rejected record's bytes were dropped");
    assertTrue(documents(batch).get(0).contains("\"event_name\":\"after\""));
  }

  @Test
  void aRecordOverTheDocumentLimitIsRejectedAlone() {
    ExportLogsServiceRequest request = ExportLogsServiceRequest.newBuilder()
        .addResourceLogs(ResourceLogs.newBuilder().addScopeLogs(ScopeLogs.newBuilder()
            .addLogRecords(LogRecord.newBuilder().setBody(str("x".repeat(500))))
            .addLogRecords(LogRecord.newBuilder().setBody(str("small")))))
        .build();
    DocumentBatch batch = new DocumentBatch(200);
    OtlpMapper.mapLogs(request, OtlpPosition.OTLP_HTTP, 1, batch);
    assertEquals(1, batch.size());
    assertEquals(1, batch.rejected());
    assertTrue(batch.errorMessage().contains("exceeds the limit of 200 bytes"), batch.errorMessage());
    assertTrue(documents(batch).get(0).contains("small"));
  }
}
