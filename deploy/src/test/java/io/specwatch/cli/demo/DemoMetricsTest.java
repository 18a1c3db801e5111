package io.specwatch.cli.demo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.specwatch.cli.Main;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** The metrics endpoint of a running {@code specwatch demo}. */
class DemoMetricsTest {
  private static final List<String> FAMILIES = List.of("specwatch_documents_total",
      "specwatch_events_total", "specwatch_duplicates_total", "specwatch_malformed_total",
      "specwatch_violations_total", "specwatch_live_instances", "specwatch_pipeline_backlog");

  private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  @Test
  void metricsAndHealthAnswerOnLoopbackWhileTheDemoRuns() throws Exception {
    DemoTestSupport.Watched err = new DemoTestSupport.Watched(
        Pattern.compile("metrics: (http://127\\.0\\.0\\.1:(\\d+))/metrics"));
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    // Long enough to be scraped while running (at most 8 s at this rate), bounded all the same.
    CompletableFuture<Integer> demo = CompletableFuture.supplyAsync(() -> Main.run(
        new String[] {"demo", "--events", "40000", "--rate", "5000", "--fault-rate", "0.02",
            "--metrics-port", "0"},
        new ByteArrayInputStream(new byte[0]), new PrintStream(out, true, StandardCharsets.UTF_8),
        new PrintStream(err, true, StandardCharsets.UTF_8)));

    Matcher announced = err.found.get(30, TimeUnit.SECONDS);
    String base = announced.group(1);
    HttpResponse<String> metrics = getWithRetries(base + "/metrics");
    assertEquals(200, metrics.statusCode());
    assertTrue(metrics.headers().firstValue("Content-Type").orElse("").startsWith("text/plain; version=0.0.4"));
    String body = metrics.body();
    for (String family : FAMILIES) {
      assertTrue(body.contains("# HELP " + family + " "), family + " has no HELP in\n" + body);
      assertTrue(body.contains("# TYPE " + family + " "), family + " has no TYPE in\n" + body);
      assertTrue(Pattern.compile("(?m)^" + family + "(\\{[^}]*})? \\d+$").matcher(body).find(),
          family + " has no sample in\n" + body);
    }
    assertTrue(body.contains("specwatch_live_instances{spec=\"payments\"}"), body);

    HttpResponse<String> health = getWithRetries(base + "/healthz");
    assertEquals(200, health.statusCode());
    assertEquals("ok\n", health.body());
    assertEquals(404, getWithRetries(base + "/nothing-here").statusCode());

    assertEquals(0, demo.get(60, TimeUnit.SECONDS), err::text);
    // By the end, violations were counted by rule, e.g. the settle deadline.
    String summary = err.text();
    assertTrue(summary.contains("by rule:") && summary.contains("settle"), summary);
    // The run closed its server.
    assertThrows(ConnectException.class, () -> http.send(HttpRequest.newBuilder(URI.create(base + "/healthz")).build(),
        HttpResponse.BodyHandlers.ofString()));
  }

  @Test
  void aPortInUseIsExitTwoWithAHint() throws Exception {
    try (MetricsServer taken = MetricsServer.start(0, DemoMetricsTest::empty)) {
      int port = taken.address().getPort();
      DemoTestSupport.Outcome o = DemoTestSupport.run("demo", "--events", "10", "--metrics-port",
          String.valueOf(port));
      assertEquals(2, o.status(), o::toString);
      assertTrue(o.stderr().startsWith("specwatch demo: cannot serve metrics on 127.0.0.1:" + port), o.stderr());
      assertTrue(o.stderr().contains("--metrics-port 0"), o.stderr());
      assertFalse(o.stderr().contains("Exception"), o.stderr());
    }
  }

  static DemoSnapshot empty() {
    return new DemoSnapshot(0, 0, PaymentSimulator.START, List.of(), List.of());
  }

  /** The server is up before its address is printed; retries only cover a refused first connect. */
  private HttpResponse<String> getWithRetries(String url) throws IOException, InterruptedException {
    HttpRequest request = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(10)).build();
    IOException last = null;
    for (int attempt = 0; attempt < 20; attempt++) {
      try {
        return http.send(request, HttpResponse.BodyHandlers.ofString());
      } catch (ConnectException e) {
        last = e;
      }
    }
    throw last;
  }
}
