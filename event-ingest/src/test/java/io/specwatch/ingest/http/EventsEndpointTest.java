package io.specwatch.ingest.http;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.specwatch.core.Violation;
import io.specwatch.core.program.Program;
import io.specwatch.ingest.otlp.OtlpPosition;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import org.junit.jupiter.api.Test;

/**
 * {@code POST /v1/events} is {@code check} over the network: the payments example's log, torn
 * line included, posted as one JSON-lines body, raises exactly the example's expected violations,
 * each at the record whose number is the line check names.
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
}
