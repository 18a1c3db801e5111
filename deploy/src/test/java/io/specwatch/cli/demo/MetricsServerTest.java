package io.specwatch.cli.demo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.specwatch.core.ViolationKind;
import io.specwatch.core.engine.RuntimeStats;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import org.junit.jupiter.api.Test;

class MetricsServerTest {
  private static DemoSnapshot snapshot() {
    RuntimeStats s = new RuntimeStats();
    s.spec = "payments";
    s.events = 990;
    s.duplicates = 3;
    s.malformed = 2;
    s.liveInstances = 77;
    return new DemoSnapshot(1000, 5, PaymentSimulator.START, List.of(s), List.of(
        new ViolationCounter.Count(new ViolationCounter.Rule("payments", ViolationKind.DEADLINE, "settle"), 4),
        new ViolationCounter.Count(new ViolationCounter.Rule("payments", ViolationKind.MALFORMED, null), 2)));
  }

  @Test
  void rendersEveryFamilyWithHelpAndTypeBeforeItsSamples() {
    String text = MetricsServer.render(snapshot());
    assertEquals("""
        # HELP specwatch_documents_total Documents published into the pipeline.
        # TYPE specwatch_documents_total counter
        specwatch_documents_total 1000
        # HELP specwatch_events_total Events decoded from documents and applied, per spec.
        # TYPE specwatch_events_total counter
        specwatch_events_total{spec="payments"} 990
        # HELP specwatch_duplicates_total Documents dropped as duplicates of an earlier event id, per spec.
        # TYPE specwatch_duplicates_total counter
        specwatch_duplicates_total{spec="payments"} 3
        # HELP specwatch_malformed_total Malformed documents and events, per spec.
        # TYPE specwatch_malformed_total counter
        specwatch_malformed_total{spec="payments"} 2
        # HELP specwatch_violations_total Violations raised, per spec, kind and rule.
        # TYPE specwatch_violations_total counter
        specwatch_violations_total{spec="payments",kind="deadline",rule="settle"} 4
        specwatch_violations_total{spec="payments",kind="malformed",rule=""} 2
        # HELP specwatch_live_instances Entity instances held in memory (ended ones until they are forgotten), per spec.
        # TYPE specwatch_live_instances gauge
        specwatch_live_instances{spec="payments"} 77
        # HELP specwatch_pipeline_backlog Ring slots published but not yet evaluated.
        # TYPE specwatch_pipeline_backlog gauge
        specwatch_pipeline_backlog 5
        """, text);
  }

  @Test
  void everyDeclaredRuleIsASeriesFromTheStart() {
    ViolationCounter counter = new ViolationCounter();
    counter.declare(DemoSpec.compile());
    String text = MetricsServer.render(new DemoSnapshot(0, 0, PaymentSimulator.START, List.of(),
        counter.snapshot()));
    for (String series : List.of("kind=\"transition\",rule=\"authorized\"",
        "kind=\"transition\",rule=\"captured\"", "kind=\"transition\",rule=\"refunded\"",
        "kind=\"transition\",rule=\"failed\"",
        "kind=\"invariant\",rule=\"capture_within_authorization\"",
        "kind=\"invariant\",rule=\"refund_within_capture\"", "kind=\"deadline\",rule=\"settle\"",
        "kind=\"malformed\",rule=\"\"")) {
      assertTrue(text.contains("specwatch_violations_total{spec=\"payments\"," + series + "} 0\n"),
          series + " in\n" + text);
    }
  }

  @Test
  void escapesLabelValues() {
    StringBuilder sb = new StringBuilder();
    MetricsServer.escape(sb, "a\"b\\c\nd");
    assertEquals("a\\\"b\\\\c\\nd", sb.toString());
  }

  @Test
  void servesOnLoopbackOnlyAndRefusesOtherMethods() throws Exception {
    try (MetricsServer server = MetricsServer.start(0, MetricsServerTest::snapshot)) {
      assertTrue(server.address().getAddress().isLoopbackAddress(), server.address().toString());
      assertTrue(server.url().startsWith("http://127.0.0.1:"), server.url());
      HttpClient http = HttpClient.newHttpClient();
      HttpResponse<String> metrics = http.send(HttpRequest.newBuilder(URI.create(server.url() + "/metrics")).build(),
          HttpResponse.BodyHandlers.ofString());
      assertEquals(MetricsServer.render(snapshot()), metrics.body());
      HttpResponse<String> post = http.send(HttpRequest.newBuilder(URI.create(server.url() + "/metrics"))
          .POST(HttpRequest.BodyPublishers.ofString("x")).build(), HttpResponse.BodyHandlers.ofString());
      assertEquals(405, post.statusCode());
      HttpResponse<String> health = http.send(HttpRequest.newBuilder(URI.create(server.url() + "/healthz")).build(),
          HttpResponse.BodyHandlers.ofString());
      assertEquals(200, health.statusCode());
      assertEquals("ok\n", health.body());
    }
  }
}
