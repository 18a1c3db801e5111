package io.specwatch.ingest.otlp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.opentelemetry.proto.collector.logs.v1.ExportLogsServiceRequest;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;

/** OTLP/JSON: hex ids (not protobuf's base64), lowerCamelCase or snake_case, unknown fields. */
class OtlpJsonTest {
  static byte[] utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  @Test
  void hexIdsAreReadAsTheirBytesAndComeOutAsTheSameHex() throws Exception {
    byte[] body = utf8("""
        {"resourceSpans":[{"scopeSpans":[{"spans":[{
          "traceId":"5B8EFFF798038103D269B633813FC60C","spanId":"eee19b7ec3c1b174",
          "parentSpanId":"051581bf3cb55c13","name":"x","kind":"SPAN_KIND_CLIENT",
          "startTimeUnixNano":"1772442000000000000","endTimeUnixNano":1772442000100000000,
          "links":[{"traceId":"0af7651916cd43dd8448eb211c80319c","spanId":"b7ad6b7169203331"}],
          "notInOtlpYet":{"a":[1,2]}}]}]}]}
        """);
    ExportTraceServiceRequest.Builder b = ExportTraceServiceRequest.newBuilder();
    OtlpJson.merge(body, body.length, b);
    var span = b.getResourceSpans(0).getScopeSpans(0).getSpans(0);
    assertEquals("5b8efff798038103d269b633813fc60c", HexFormat.of().formatHex(span.getTraceId().toByteArray()));
    assertEquals("051581bf3cb55c13", HexFormat.of().formatHex(span.getParentSpanId().toByteArray()));
    assertEquals("b7ad6b7169203331", HexFormat.of().formatHex(span.getLinks(0).getSpanId().toByteArray()));
    DocumentBatch batch = new DocumentBatch(1 << 20);
    OtlpMapper.mapSpans(b.build(), OtlpPosition.OTLP_HTTP, 1, batch);
    String doc = new String(batch.buffer(), batch.start(0), batch.length(0), StandardCharsets.UTF_8);
    assertTrue(doc.contains("\"span_kind\":\"client\",\"start_time\":\"2026-03-02T09:00:00.000000000Z\","
        + "\"end_time\":\"2026-03-02T09:00:00.100000000Z\",\"duration_ms\":100"), doc);
    assertTrue(doc.contains("\"trace_id\":\"5b8efff798038103d269b633813fc60c\",\"span_id\":\"eee19b7ec3c1b174\""), doc);
  }

  @Test
  void snakeCaseFieldNamesAreAcceptedToo() throws Exception {
    byte[] body = utf8("{\"resource_logs\":[{\"scope_logs\":[{\"log_records\":[{\"trace_id\":\"0af7651916cd43dd8448eb211c80319c\","
        + "\"event_name\":\"e\",\"body\":{\"kvlistValue\":{\"values\":[{\"key\":\"k\",\"value\":{\"intValue\":\"7\"}}]}}}]}]}]}");
    ExportLogsServiceRequest.Builder b = ExportLogsServiceRequest.newBuilder();
    OtlpJson.merge(body, body.length, b);
    DocumentBatch batch = new DocumentBatch(1 << 20);
    OtlpMapper.mapLogs(b.build(), OtlpPosition.OTLP_HTTP, 1, batch);
    String doc = new String(batch.buffer(), batch.start(0), batch.length(0), StandardCharsets.UTF_8);
    assertTrue(doc.contains("\"body\":{\"k\":7},\"event_name\":\"e\""), doc);
    assertTrue(doc.contains("\"trace_id\":\"0af7651916cd43dd8448eb211c80319c\""), doc);
  }

  @Test
  void badJsonAndBadHexSayWhy() {
    byte[] torn = utf8("{\"resourceLogs\":[");
    OtlpJson.MalformedJson e = assertThrows(OtlpJson.MalformedJson.class,
        () -> OtlpJson.merge(torn, torn.length, ExportLogsServiceRequest.newBuilder()));
    assertTrue(e.getMessage().startsWith("invalid JSON"), e.getMessage());
    byte[] badHex = utf8("{\"resourceSpans\":[{\"scopeSpans\":[{\"spans\":[{\"spanId\":\"zz\"}]}]}]}");
    e = assertThrows(OtlpJson.MalformedJson.class,
        () -> OtlpJson.merge(badHex, badHex.length, ExportTraceServiceRequest.newBuilder()));
    assertEquals("`spanId` must be a hex string, was \"zz\"", e.getMessage());
    byte[] wrongType = utf8("{\"resourceSpans\":{\"x\":1}}");
    e = assertThrows(OtlpJson.MalformedJson.class,
        () -> OtlpJson.merge(wrongType, wrongType.length, ExportTraceServiceRequest.newBuilder()));
    assertTrue(e.getMessage().startsWith("invalid OTLP/JSON"), e.getMessage());
  }
}
