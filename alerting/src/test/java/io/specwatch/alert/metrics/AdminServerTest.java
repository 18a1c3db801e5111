package io.specwatch.alert.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.specwatch.testkit.Await;
import io.specwatch.alert.TestSpecs;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Duration;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The admin port over real HTTP, with the meters of a real pipeline that ran the README's log. */
class AdminServerTest {
  static LiveMetrics live;
  static final HttpClient HTTP = HttpClient.newHttpClient();

  @BeforeAll
  static void runTheReadmeLog() throws Exception {
    live = new LiveMetrics();
    live.feed(TestSpecs.ORDERS_LOG);
  }

  @AfterAll
  static void stop() throws Exception {
    live.close();
  }

  private static HttpResponse<String> get(String path, String method) throws Exception {
    return HTTP.send(HttpRequest.newBuilder(URI.create(live.admin.url() + path))
        .method(method, HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
  }

  private static double sample(String text, String series) {
    Matcher m = Pattern.compile("(?m)^" + Pattern.quote(series) + " (\\S+)$").matcher(text);
    assertTrue(m.find(), "no sample " + series + " in:\n" + text);
    return Double.parseDouble(m.group(1));
  }

  @Test
  void metricsCountTheRunByPrometheusConventions() throws Exception {
    HttpResponse<String> r = get("/metrics", "GET");
    assertEquals(200, r.statusCode());
    assertTrue(r.headers().firstValue("Content-Type").orElse("").startsWith("text/plain"));
    String m = r.body();
    assertEquals(8, sample(m, "specwatch_documents_total{spec=\"orders\"}"));
    assertEquals(1, sample(m, "specwatch_duplicates_total{event=\"paid\",spec=\"orders\"}"), "line 5 repeats e4");
    assertEquals(1, sample(m, "specwatch_violations_total{kind=\"invariant\",rule=\"no_overpayment\",spec=\"orders\"}"));
    assertEquals(1, sample(m, "specwatch_violations_total{kind=\"deadline\",rule=\"ship_sla\",spec=\"orders\"}"));
    assertEquals(1, sample(m, "specwatch_violations_total{kind=\"transition\",rule=\"shipped\",spec=\"orders\"}"));
    assertEquals(0, sample(m, "specwatch_violations_total{kind=\"transition\",rule=\"placed\",spec=\"orders\"}"),
        "registered at zero before any violation");
    // o-1 (ended, held until forgotten) and o-2; o-3's only event was refused, so it was never made.
    assertEquals(2, sample(m, "specwatch_live_instances{spec=\"orders\"}"));
    assertEquals(8, sample(m, "specwatch_event_latency_seconds_count"));
    assertTrue(m.contains("specwatch_event_latency_seconds_bucket{le=\""), "a histogram");
    assertEquals(1024, sample(m, "specwatch_ring_capacity"));
    assertEquals(42, sample(m, "specwatch_checkpoint_age_seconds"));
    assertEquals(4, sample(m, "specwatch_alerts_firing"));
    Await.until(Duration.ofSeconds(10), () -> live.sink.sent() == 4, () -> "alerts written");
    String again = get("/metrics", "GET").body();
    assertEquals(4, sample(again, "specwatch_sink_sent_total{sink=\"jsonl-test\"}"));
    assertEquals(0, sample(again, "specwatch_sink_dropped_total{sink=\"jsonl-test\"}"));
    assertEquals(10_000, sample(again, "specwatch_sink_queue_capacity{sink=\"jsonl-test\"}"));
    // Event time is May 2026, wall-clock is later: a positive lag in seconds.
    assertTrue(sample(again, "specwatch_watermark_lag_seconds{spec=\"orders\"}") > 0);
  }

  @Test
  void healthIsAlwaysOkAndReadinessFollowsItsSupplier() throws Exception {
    assertEquals(200, get("/healthz", "GET").statusCode());
    live.ready.set(false);
    HttpResponse<String> notReady = get("/readyz", "GET");
    assertEquals(503, notReady.statusCode());
    assertEquals("not ready\n", notReady.body());
    live.ready.set(true);
    assertEquals(200, get("/readyz", "GET").statusCode());
  }

  @Test
  void unknownPathsAndMethodsAreRefused() throws Exception {
    assertEquals(404, get("/metricsx", "GET").statusCode());
    assertEquals(404, get("/", "GET").statusCode());
    HttpResponse<String> post = get("/metrics", "POST");
    assertEquals(405, post.statusCode());
    assertEquals("GET, HEAD", post.headers().firstValue("Allow").orElse(""));
    assertEquals(200, get("/metrics", "HEAD").statusCode());
  }

  @Test
  void itListensOnLoopbackOnly() {
    assertTrue(live.admin.url().startsWith("http://127.0.0.1:"), live.admin.url());
  }

  @Test
  void anExplicitHostIsTheAddressBound() throws Exception {
    // 127.0.0.2 is loopback on Linux but not the default address: only an honoured host binds it.
    PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    new SinkMetrics(List.of(), null).bindTo(registry);
    try (AdminServer other = AdminServer.start("127.0.0.2", 0, registry, () -> true)) {
      assertTrue(other.url().startsWith("http://127.0.0.2:"), other.url());
      HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create(other.url() + "/metrics")).build(),
          HttpResponse.BodyHandlers.ofString());
      assertEquals(200, r.statusCode());
      assertEquals(0, sample(r.body(), "specwatch_alerts_firing"), "no tracker: none firing, not absent");
      HttpResponse<String> ready = HTTP.send(HttpRequest.newBuilder(URI.create(other.url() + "/readyz")).build(),
          HttpResponse.BodyHandlers.ofString());
      assertEquals(200, ready.statusCode());
    }
  }
}
