package io.specwatch.ingest.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.logs.Logger;
import io.opentelemetry.api.logs.Severity;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.TraceFlags;
import io.opentelemetry.api.trace.TraceState;
import io.opentelemetry.context.Context;
import io.opentelemetry.exporter.otlp.http.logs.OtlpHttpLogRecordExporter;
import io.opentelemetry.exporter.otlp.http.trace.OtlpHttpSpanExporter;
import io.opentelemetry.exporter.otlp.logs.OtlpGrpcLogRecordExporter;
import io.opentelemetry.exporter.otlp.trace.OtlpGrpcSpanExporter;
import io.opentelemetry.sdk.common.CompletableResultCode;
import io.opentelemetry.sdk.logs.SdkLoggerProvider;
import io.opentelemetry.sdk.logs.export.BatchLogRecordProcessor;
import io.opentelemetry.sdk.logs.export.LogRecordExporter;
import io.opentelemetry.sdk.resources.Resource;
import io.opentelemetry.sdk.trace.export.SpanExporter;
import io.specwatch.core.LinePosition;
import io.specwatch.core.Violation;
import io.specwatch.core.ViolationKind;
import io.specwatch.core.engine.Monitor;
import io.specwatch.core.program.Program;
import io.specwatch.ingest.otlp.IngestStats.Refusal;
import io.specwatch.ingest.otlp.OtlpPosition;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Real senders: the OpenTelemetry Java SDK's OTLP exporters (HTTP and gRPC; gzip on all but the
 * gRPC span exporter) send logs and spans to a running receiver over a real pipeline. The
 * violations must equal what {@code check}'s engine ({@link Monitor}) raises over the equivalent
 * documents; each one's position must carry the trace and span ids of the record that raised
 * it, and each deadline's {@code armed_at} those of the record that armed it.
 */
class SdkExportersTest {
  static final Path EXAMPLE = Path.of("..", "examples", "checkout-sidecar");
  static final Pattern LINE = Pattern.compile("\"line\":(\\d+)");
  static final Pattern TRACE_ID = Pattern.compile("\"trace_id\":\"([0-9a-f]{32})\"");
  static final Pattern SPAN_ID = Pattern.compile("\"span_id\":\"([0-9a-f]{16})\"");

  static SpanExporter spanExporter(String transport, ReceiverFixture fx) {
    return transport.equals("http")
        ? OtlpHttpSpanExporter.builder().setEndpoint(fx.httpBase() + "/v1/traces")
            .setCompression("gzip").build()
        : OtlpGrpcSpanExporter.builder().setEndpoint("http://127.0.0.1:" + fx.server.grpcPort())
            .build();
  }

  static LogRecordExporter logExporter(String transport, ReceiverFixture fx) {
    return transport.equals("http")
        ? OtlpHttpLogRecordExporter.builder().setEndpoint(fx.httpBase() + "/v1/logs")
            .setCompression("gzip").build()
        : OtlpGrpcLogRecordExporter.builder().setEndpoint("http://127.0.0.1:" + fx.server.grpcPort())
            .setCompression("gzip").build();
  }

  /** A violation as JSON without its position, which is the one thing transports change. */
  static String withoutPosition(Violation v) {
    return new Violation(v.spec(), v.kind(), v.rule(), v.entity(), v.key(), null, v.time(),
        v.message(), v.state()).toJson();
  }

  static String group(Pattern p, String s) {
    Matcher m = p.matcher(s);
    assertTrue(m.find(), () -> p + " not in " + s);
    return m.group(1);
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"http", "grpc"})
  void theSdksSpansBecomeTheExamplesDocumentsAndRaiseItsExpectedViolations(String transport)
      throws Exception {
    List<Program> programs = ReceiverFixture.compile("checkout.sw",
        Files.readString(EXAMPLE.resolve("checkout.sw")));
    List<Violation> violations;
    List<TeePublisher.Published> published;
    try (ReceiverFixture fx = ReceiverFixture.start(programs, IngestServerConfig.defaults())) {
      assertTrue(new CheckoutScenario(spanExporter(transport, fx)).run(), "the export failed");
      violations = fx.finish();
      published = fx.published.published();
    }
    List<String> documents = published.stream().map(TeePublisher.Published::json).toList();
    // Kept for whoever updates the example after a mapping change.
    Files.createDirectories(Path.of("target"));
    Files.write(Path.of("target", "checkout-sidecar-events." + transport + ".jsonl"), documents);
    // The same documents, member order aside (the SDK orders attributes by run-dependent hashes).
    assertEquals(JsonTrees.parseAll(nonBlankLines(EXAMPLE.resolve("events.jsonl"))),
        JsonTrees.parseAll(documents));

    List<String> expected = nonBlankLines(EXAMPLE.resolve("expected.jsonl"));
    assertEquals(expected.stream().map(l -> LINE.matcher(l).replaceFirst("\"line\":null")).toList(),
        violations.stream().map(SdkExportersTest::withoutPosition).toList());
    for (int i = 0; i < violations.size(); i++) {
      int line = Integer.parseInt(group(LINE, expected.get(i)));
      OtlpPosition pos = (OtlpPosition) violations.get(i).position();
      assertEquals("otlp-" + transport, pos.source());
      assertEquals(line, pos.record(), "one export request: the record number is the line");
      String doc = documents.get(line - 1);
      assertEquals(group(TRACE_ID, doc), pos.traceId());
      assertEquals(group(SPAN_ID, doc), pos.spanId());
      assertTrue(violations.get(i).toJson().contains("\"trace_id\":\"" + pos.traceId() + "\""));
    }
    assertDeadlinesLinkToTheReserveSpanThatArmedThem(transport, violations, documents);
  }

  /**
   * A deadline's position is, by the language contract, the document whose time moved the
   * watermark past the expiry: another checkout's span, an unrelated trace. Its {@code armed_at}
   * is the reserve span that started the wait, whose commit never came: the trace an alert must
   * link to. Other kinds carry no {@code armed_at}.
   */
  static void assertDeadlinesLinkToTheReserveSpanThatArmedThem(String transport,
      List<Violation> violations, List<String> documents) {
    List<String> deadlineKeys = new ArrayList<>();
    for (Violation v : violations) {
      if (v.kind() != ViolationKind.DEADLINE) {
        assertNull(v.armedAt(), v::toJson);
        continue;
      }
      deadlineKeys.add(v.key());
      int reserve = -1;
      for (int d = 0; d < documents.size(); d++) {
        String doc = documents.get(d);
        if (doc.contains("\"name\":\"stock.reserve\"") && doc.contains("\"checkout.id\":\"" + v.key() + "\"")
            && !doc.contains("\"code\":\"error\"")) {
          reserve = d;
        }
      }
      assertTrue(reserve >= 0, "no reserve span for " + v.key());
      String reserveDoc = documents.get(reserve);
      OtlpPosition armed = (OtlpPosition) v.armedAt();
      assertNotNull(armed, () -> "a deadline over OTLP spans carries armed_at: " + v.toJson());
      assertEquals(CheckoutScenario.traceId(Integer.parseInt(v.key().substring(2))), armed.traceId());
      assertEquals(group(TRACE_ID, reserveDoc), armed.traceId());
      assertEquals(group(SPAN_ID, reserveDoc), armed.spanId());
      assertEquals(reserve + 1, armed.record());
      assertNotEquals(armed.traceId(), ((OtlpPosition) v.position()).traceId(),
          "the position is the unrelated document that moved the watermark");
      assertTrue(v.toJson().contains(",\"armed_at\":{\"source\":\"otlp-" + transport
          + "\",\"request\":" + armed.request() + ",\"record\":" + (reserve + 1) + ",\"trace_id\":\""
          + armed.traceId() + "\",\"span_id\":\"" + armed.spanId() + "\"}"), v::toJson);
    }
    assertEquals(List.of("c-1003", "c-1005"), deadlineKeys,
        "c-1003 never settles; c-1005's commit had the wrong quantity, so it never settles either");
  }

  static final String ORDERS = """
      spec orders
      input { time time }
      entity Order key attributes["order.id"] {
        status: enum { New, Placed, Paid, Shipped }
        total: int
        paid: int
        ends when status == Shipped
      }
      event placed  for Order when kind == "log" and event_name == "order.placed" { total: int = attributes["order.total"] }
      event paid    for Order when kind == "log" and event_name == "order.paid" { amount: int = attributes.amount }
      event shipped for Order when kind == "log" and event_name == "order.shipped"
      on placed(e) requires status == New { status = Placed; total = e.total }
      on paid(e) requires status == Placed { status = Paid; paid = e.amount }
      on shipped requires status == Paid { status = Shipped }
      /// Customers never pay more than the order total.
      invariant no_overpayment: paid <= total
      deadline ship_sla: after paid expect shipped within 1h
      """;

  /** 2026-03-02T09:00:00Z */
  static final Instant T0 = Instant.parse("2026-03-02T09:00:00Z");

  static String traceOf(int record) {
    return String.format("0af7651916cd43dd8448eb211c8%05d", record);
  }

  static String spanOf(int record) {
    return String.format("b7ad6b71692%05d", record);
  }

  /**
   * Emits the orders scenario as log records. Record 3 has only an observed time (as many
   * logging bridges send); every record is emitted inside a span, so it carries trace ids.
   */
  static boolean emitOrders(LogRecordExporter exporter) {
    SdkLoggerProvider provider = SdkLoggerProvider.builder()
        .setResource(Resource.create(Attributes.of(AttributeKey.stringKey("service.name"), "shop")))
        .addLogRecordProcessor(BatchLogRecordProcessor.builder(exporter)
            .setScheduleDelay(1, TimeUnit.HOURS).build())
        .build();
    Logger logger = provider.get("shop.orders");
    emit(logger, 1, "order.placed", "o-1", 0, false, Attributes.of(AttributeKey.longKey("order.total"), 100L));
    emit(logger, 2, "order.paid", "o-1", 1, false, Attributes.of(AttributeKey.longKey("amount"), 150L));
    emit(logger, 3, "order.placed", "o-2", 2, true, Attributes.of(AttributeKey.longKey("order.total"), 50L));
    emit(logger, 4, "order.paid", "o-2", 3, false, Attributes.of(AttributeKey.longKey("amount"), 50L));
    emit(logger, 5, "order.shipped", "o-3", 4, false, Attributes.empty());
    emit(logger, 6, "order.placed", "o-4", 7200, false, Attributes.of(AttributeKey.longKey("order.total"), 10L));
    CompletableResultCode flushed = provider.forceFlush().join(60, TimeUnit.SECONDS);
    provider.shutdown().join(60, TimeUnit.SECONDS);
    return flushed.isSuccess();
  }

  private static void emit(Logger logger, int record, String event, String order, long second,
      boolean observedOnly, Attributes attributes) {
    SpanContext span = SpanContext.create(traceOf(record), spanOf(record), TraceFlags.getSampled(),
        TraceState.getDefault());
    var b = logger.logRecordBuilder()
        .setContext(Context.root().with(Span.wrap(span)))
        .setEventName(event)
        .setSeverity(Severity.INFO)
        .setBody(event + " " + order)
        .setAllAttributes(attributes)
        .setAttribute("order.id", order);
    if (observedOnly) {
      b.setObservedTimestamp(T0.plusSeconds(second));
    } else {
      b.setTimestamp(T0.plusSeconds(second));
    }
    b.emit();
  }

  /** The same six records as plain documents, written independently of the mapper. */
  static final List<String> EQUIVALENT_DOCUMENTS = List.of(
      "{\"kind\":\"log\",\"time\":\"2026-03-02T09:00:00Z\",\"event_name\":\"order.placed\",\"attributes\":{\"order.id\":\"o-1\",\"order.total\":100}}",
      "{\"kind\":\"log\",\"time\":\"2026-03-02T09:00:01Z\",\"event_name\":\"order.paid\",\"attributes\":{\"order.id\":\"o-1\",\"amount\":150}}",
      "{\"kind\":\"log\",\"time\":\"2026-03-02T09:00:02Z\",\"event_name\":\"order.placed\",\"attributes\":{\"order.id\":\"o-2\",\"order.total\":50}}",
      "{\"kind\":\"log\",\"time\":\"2026-03-02T09:00:03Z\",\"event_name\":\"order.paid\",\"attributes\":{\"order.id\":\"o-2\",\"amount\":50}}",
      "{\"kind\":\"log\",\"time\":\"2026-03-02T09:00:04Z\",\"event_name\":\"order.shipped\",\"attributes\":{\"order.id\":\"o-3\"}}",
      "{\"kind\":\"log\",\"time\":\"2026-03-02T11:00:00Z\",\"event_name\":\"order.placed\",\"attributes\":{\"order.id\":\"o-4\",\"order.total\":10}}");

  static List<Violation> checkOverEquivalentDocuments(List<Program> programs) {
    Monitor monitor = new Monitor(programs);
    List<Violation> out = new ArrayList<>();
    for (int i = 0; i < EQUIVALENT_DOCUMENTS.size(); i++) {
      byte[] doc = EQUIVALENT_DOCUMENTS.get(i).getBytes(StandardCharsets.UTF_8);
      monitor.accept(doc, 0, doc.length, new LinePosition(i + 1), out::add);
    }
    return out;
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"http", "grpc"})
  void theSdksLogRecordsRaiseWhatCheckRaisesOverTheEquivalentDocuments(String transport)
      throws Exception {
    List<Program> programs = ReceiverFixture.compile("orders.sw", ORDERS);
    List<Violation> expected = checkOverEquivalentDocuments(programs);
    assertEquals(4, expected.size(), "the scenario raises an invariant, a transition and two deadlines");
    List<Violation> actual;
    try (ReceiverFixture fx = ReceiverFixture.start(programs, IngestServerConfig.defaults())) {
      assertTrue(emitOrders(logExporter(transport, fx)), "the export failed");
      actual = fx.finish();
    }
    assertEquals(expected.stream().map(SdkExportersTest::withoutPosition).toList(),
        actual.stream().map(SdkExportersTest::withoutPosition).toList());
    for (int i = 0; i < actual.size(); i++) {
      int line = (int) ((LinePosition) expected.get(i).position()).line();
      OtlpPosition pos = (OtlpPosition) actual.get(i).position();
      assertEquals(line, pos.record());
      assertEquals(traceOf(line), pos.traceId());
      assertEquals(spanOf(line), pos.spanId());
    }
    // The two ship_sla deadlines fire at record 6; each links to the payment log that armed it.
    List<String> armedBy = actual.stream().filter(v -> v.kind() == ViolationKind.DEADLINE)
        .map(v -> v.key() + " " + ((OtlpPosition) v.armedAt()).traceId() + " "
            + ((OtlpPosition) v.armedAt()).spanId()).toList();
    assertEquals(List.of("o-1 " + traceOf(2) + " " + spanOf(2), "o-2 " + traceOf(4) + " " + spanOf(4)),
        armedBy);
  }

  @Test
  void theSdkExporterBacksOffOn429AndItsRetryArrivesOnce() throws Exception {
    List<Program> programs = ReceiverFixture.compile("orders.sw", ORDERS);
    try (ReceiverFixture held = ReceiverFixture.startHeld(programs, IngestServerConfig.defaults())) {
      // Four shipments of unknown orders are four violations: the evaluator waits in the held
      // sink on the first, and the 4-slot ring is full.
      StringBuilder fill = new StringBuilder();
      for (int i = 1; i <= 4; i++) {
        fill.append("{\"kind\":\"log\",\"time\":\"2026-03-02T08:00:00Z\",\"event_name\":\"order.shipped\","
            + "\"attributes\":{\"order.id\":\"x-").append(i).append("\"}}\n");
      }
      java.net.http.HttpResponse<String> r = java.net.http.HttpClient.newHttpClient().send(
          java.net.http.HttpRequest.newBuilder(java.net.URI.create(held.httpBase() + "/v1/events"))
              .header("Content-Type", "application/x-ndjson")
              .POST(java.net.http.HttpRequest.BodyPublishers.ofString(fill.toString())).build(),
          java.net.http.HttpResponse.BodyHandlers.ofString());
      assertEquals(200, r.statusCode(), r.body());
      ReceiverFixture.await(() -> held.pipeline.backlog() == 4, () -> "ring not full");
      Thread sender = new Thread(() -> emitOrders(logExporter("http", held)), "sdk");
      sender.start();
      ReceiverFixture.await(() -> held.server.stats().refused(Refusal.PIPELINE_FULL) >= 1,
          () -> "the SDK was never told 429");
      held.openSink();
      sender.join(TimeUnit.SECONDS.toMillis(60));
      assertTrue(!sender.isAlive());
      List<Violation> all = held.finish();
      List<String> keys = all.stream().map(Violation::key).toList();
      assertEquals(List.of("x-1", "x-2", "x-3", "x-4", "o-1", "o-3", "o-1", "o-2"), keys,
          "the retried records were judged exactly once");
    }
  }

  static List<String> nonBlankLines(Path file) throws IOException {
    return Files.readAllLines(file, StandardCharsets.UTF_8).stream().filter(l -> !l.isBlank()).toList();
  }
}
