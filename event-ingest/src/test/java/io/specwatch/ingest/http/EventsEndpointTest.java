package io.specwatch.ingest.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.specwatch.core.DocumentPublisher;
import io.specwatch.core.Position;
import io.specwatch.core.Violation;
import io.specwatch.core.engine.Monitor;
import io.specwatch.core.program.Program;
import io.specwatch.ingest.file.JsonlSource;
import io.specwatch.ingest.otlp.IngestEndpoint;
import io.specwatch.ingest.otlp.IngestStats;
import io.specwatch.ingest.otlp.IngestStats.Refusal;
import io.specwatch.ingest.otlp.OtlpPosition;
import java.io.ByteArrayInputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import org.junit.jupiter.api.Test;

/**
 * {@code POST /v1/events} is {@code check} over the network: the payments example's log, torn
 * line included, posted as one JSON-lines body, raises exactly the example's expected violations,
 * each at the record whose number is the line check names; a line over the document limit is
 * what the file source makes of it; and an event's top-level trace ids link its deadlines.
 */
class EventsEndpointTest {
  static final Path PAYMENTS = Path.of("..", "examples", "payments");

  @Test
  void postingAnExampleLogRaisesExactlyItsExpectedViolations() throws Exception {
    List<Program> programs = ReceiverFixture.compile("payments.sw",
        Files.readString(PAYMENTS.resolve("payments.sw")));
    List<Violation> violations;
    try (ReceiverFixture fx = ReceiverFixture.start(programs, IngestServerConfig.defaults())) {
      HttpResponse<String> r = HttpClient.newHttpClient().send(
          HttpRequest.newBuilder(URI.create(fx.httpBase() + "/v1/events"))
              .header("Content-Type", "application/x-ndjson")
              .POST(HttpRequest.BodyPublishers.ofFile(PAYMENTS.resolve("events.jsonl"))).build(),
          HttpResponse.BodyHandlers.ofString());
      assertEquals(200, r.statusCode(), r.body());
      violations = fx.finish();
    }
    List<String> expected = SdkExportersTest.nonBlankLines(PAYMENTS.resolve("expected.jsonl"));
    assertEquals(
        expected.stream().map(l -> SdkExportersTest.LINE.matcher(l).replaceFirst("\"line\":null")).toList(),
        violations.stream().map(SdkExportersTest::withoutPosition).toList());
    for (int i = 0; i < expected.size(); i++) {
      Matcher m = SdkExportersTest.LINE.matcher(expected.get(i));
      m.find();
      OtlpPosition pos = (OtlpPosition) violations.get(i).position();
      assertEquals("http-events", pos.source());
      assertEquals(Integer.parseInt(m.group(1)), pos.record());
    }
  }

  static final String ORDERS = """
      spec orders
      input { time time }
      entity Order key order { status: enum { New, Placed, Shipped } }
      event placed  for Order when type == "placed"
      event shipped for Order when type == "shipped"
      on placed requires status == New { status = Placed }
      on shipped requires status == Placed { status = Shipped }
      deadline ship: after placed expect shipped within 1m
      """;

  static HttpResponse<String> postLines(ReceiverFixture fx, String body) throws Exception {
    return HttpClient.newHttpClient().send(
        HttpRequest.newBuilder(URI.create(fx.httpBase() + "/v1/events"))
            .header("Content-Type", "application/x-ndjson")
            .POST(HttpRequest.BodyPublishers.ofString(body)).build(),
        HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void aDeadlineArmedByAnEventWithATraceIdLinksToThatTrace() throws Exception {
    List<Program> programs = ReceiverFixture.compile("orders.sw", ORDERS);
    String body = String.join("\n",
        "{\"type\":\"placed\",\"order\":\"o-1\",\"time\":\"2026-03-02T09:00:00Z\","
            + "\"trace_id\":\"0af7651916cd43dd8448eb211c80319c\",\"span_id\":\"b7ad6b7169203331\"}",
        "{\"type\":\"placed\",\"order\":\"o-2\",\"time\":\"2026-03-02T09:00:10Z\"}",
        "{\"type\":\"placed\",\"order\":\"o-3\",\"time\":\"2026-03-02T09:05:00Z\","
            + "\"trace_id\":\"4bf92f3577b34da6a3ce929d0e0e4736\"}");
    List<Violation> violations;
    try (ReceiverFixture fx = ReceiverFixture.start(programs, IngestServerConfig.defaults())) {
      HttpResponse<String> r = postLines(fx, body);
      assertEquals(200, r.statusCode(), r.body());
      violations = fx.finish();
    }
    assertEquals(List.of("o-1", "o-2"), violations.stream().map(Violation::key).toList());
    // Both were noticed by line 3 (another trace); o-1's alert links to the trace that placed it.
    assertEquals(3, ((OtlpPosition) violations.get(0).position()).record());
    assertEquals(new OtlpPosition("http-events", 1, 1, "0af7651916cd43dd8448eb211c80319c",
        "b7ad6b7169203331"), violations.get(0).armedAt());
    assertTrue(violations.get(0).toJson().endsWith(",\"armed_at\":{\"source\":\"http-events\","
        + "\"request\":1,\"record\":1,\"trace_id\":\"0af7651916cd43dd8448eb211c80319c\","
        + "\"span_id\":\"b7ad6b7169203331\"}}"), violations.get(0).toJson());
    assertNull(violations.get(1).armedAt(), "an event with no trace id links to no trace");
  }

  @Test
  void aLineOverTheDocumentLimitIsAMalformedViolationAsTheFileSourceMakesItAndTheOthersAreTaken()
      throws Exception {
    List<Program> programs = ReceiverFixture.compile("orders.sw", ORDERS);
    int limit = 200;
    String big = "{\"type\":\"placed\",\"order\":\"o-9\",\"pad\":\"" + "x".repeat(300) + "\"}";
    String body = String.join("\n",
        "{\"type\":\"placed\",\"order\":\"o-1\",\"time\":\"2026-03-02T09:00:00Z\"}",
        big,
        "{\"type\":\"shipped\",\"order\":\"o-2\",\"time\":\"2026-03-02T09:00:01Z\"}") + "\n";
    List<Violation> violations;
    HttpResponse<String> r;
    IngestServerConfig config = IngestServerConfig.defaults().withLimits(64 << 10, 64 << 10, limit);
    try (ReceiverFixture fx = ReceiverFixture.start(programs, config)) {
      r = postLines(fx, body);
      violations = fx.finish();
      assertEquals(3, fx.server.stats().documents(IngestEndpoint.HTTP_EVENTS),
          "three entries published: two documents and the line over the limit, as rejected");
      assertEquals(1, fx.server.stats().recordsRejected(IngestEndpoint.HTTP_EVENTS,
          IngestStats.RecordRejection.MALFORMED));
    }
    String reason = "document of " + big.length() + " bytes exceeds the limit of " + limit
        + " bytes (limits.max_document_bytes)";
    assertEquals(200, r.statusCode(), r.body());
    assertEquals("{\"accepted\":2,\"rejected\":1,\"errors\":[\"line 2: " + reason + "\"]}", r.body());
    // The file source over the same bytes, judged by check's engine: the same violations.
    List<Violation> fromFile = new ArrayList<>();
    Monitor monitor = new Monitor(programs);
    DocumentPublisher intoMonitor = new DocumentPublisher() {
      @Override
      public synchronized void publish(byte[] buf, int off, int len, Position pos) {
        monitor.accept(buf, off, len, pos, fromFile::add);
      }

      @Override
      public boolean tryPublish(byte[] buf, int off, int len, Position pos) {
        publish(buf, off, len, pos);
        return true;
      }

      @Override
      public synchronized void publishRejected(Position pos, String why) {
        monitor.reject(pos, why, fromFile::add);
      }
    };
    JsonlSource file = JsonlSource.stream("events",
        new ByteArrayInputStream(body.getBytes(StandardCharsets.UTF_8)), limit);
    file.start(intoMonitor);
    ReceiverFixture.await(file::finished, () -> "the file source did not finish");
    file.stop(10_000);
    assertEquals(List.of("malformed", "transition"),
        fromFile.stream().map(v -> v.kind().name().toLowerCase(java.util.Locale.ROOT)).toList());
    assertEquals(reason, fromFile.get(0).message());
    assertEquals(fromFile.stream().map(SdkExportersTest::withoutPosition).toList(),
        violations.stream().map(SdkExportersTest::withoutPosition).toList());
    assertEquals(2, ((OtlpPosition) violations.get(0).position()).record());
  }

  @Test
  void aSingleJsonDocumentOverTheDocumentLimitIsTheWholeBodySo413() throws Exception {
    List<Program> programs = ReceiverFixture.compile("orders.sw", ORDERS);
    IngestServerConfig config = IngestServerConfig.defaults().withLimits(64 << 10, 64 << 10, 200);
    try (ReceiverFixture fx = ReceiverFixture.start(programs, config)) {
      HttpResponse<String> r = HttpClient.newHttpClient().send(
          HttpRequest.newBuilder(URI.create(fx.httpBase() + "/v1/events"))
              .header("Content-Type", "application/json")
              .POST(HttpRequest.BodyPublishers.ofString(
                  "{\"type\":\"placed\",\"pad\":\"" + "x".repeat(300) + "\"}")).build(),
          HttpResponse.BodyHandlers.ofString());
      assertEquals(413, r.statusCode(), r.body());
      assertTrue(r.body().contains("exceeds the limit of 200 bytes"), r.body());
      assertEquals(1, fx.server.stats().refused(IngestEndpoint.HTTP_EVENTS, Refusal.TOO_LARGE));
      assertEquals(0, fx.server.stats().documents());
    }
  }
}
