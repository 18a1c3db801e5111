package io.specwatch.alert.alertmanager;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.specwatch.alert.Alert;
import io.specwatch.alert.AlertSink;
import io.specwatch.alert.AlertFactory;
import io.specwatch.alert.AlertSettings;
import io.specwatch.alert.AlertTracker;
import io.specwatch.testkit.AlertmanagerProcess;
import io.specwatch.testkit.Await;
import io.specwatch.alert.MutableClock;
import io.specwatch.alert.RecordingSink;
import io.specwatch.alert.RuleCatalog;
import io.specwatch.alert.SinkStatus;
import io.specwatch.alert.TestAlerts;
import io.specwatch.alert.TestSpecs;
import io.specwatch.alert.delivery.DeliveryConfig;
import io.specwatch.alert.metrics.AdminServer;
import io.specwatch.alert.metrics.EventLatency;
import io.specwatch.alert.metrics.PipelineMetrics;
import io.specwatch.alert.metrics.PipelineView;
import io.specwatch.alert.metrics.SinkMetrics;
import io.specwatch.alert.metrics.SinkQueueStatus;
import io.specwatch.alert.metrics.ViolationMetrics;
import io.specwatch.core.LinePosition;
import io.specwatch.core.Violation;
import io.specwatch.core.pipeline.Pipeline;
import io.specwatch.core.pipeline.PipelineConfig;
import io.specwatch.core.pipeline.SinkQueue;
import io.specwatch.core.program.Program;
import io.specwatch.testkit.FreePorts;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Against the real Debian Alertmanager on loopback: alerts arrive with their labels and
 * annotations, are re-posted before they time out, resolve, survive an Alertmanager restart, and
 * reach the live member of an HA pair while the other is down. One Alertmanager for the class;
 * each test tells its alerts apart by label.
 */
class AlertmanagerSinkTest {
  private static final Duration WAIT = Duration.ofSeconds(20);
  @TempDir
  static Path dir;
  static AlertmanagerProcess am;

  @BeforeAll
  static void startAlertmanager() throws Exception {
    assumeTrue(AlertmanagerProcess.installed(), AlertmanagerProcess.BINARY
        + " is not installed (apt-get install prometheus-alertmanager; .ci/run does it)");
    am = new AlertmanagerProcess(dir);
    am.start();
  }

  @AfterAll
  static void stopAlertmanager() throws Exception {
    if (am != null) {
      am.close();
    }
  }

  private static AlertmanagerConfig config(List<URI> urls, Duration resend, Duration validFor) {
    return new AlertmanagerConfig(urls, resend, validFor, Duration.ofSeconds(2),
        DeliveryConfig.defaults().withBackoff(Duration.ofMillis(50), Duration.ofMillis(300))
            .withCloseTimeout(Duration.ofSeconds(2)));
  }

  @Test
  void violationsBecomeAlertsWithTheirLabelsAndAnnotationsAndResolve() {
    List<Program> programs = TestSpecs.orders();
    // Severity warning tells these alerts from the pipeline test's (info) in the shared Alertmanager.
    AlertSettings settings = AlertSettings.defaults().withLinks(null, null, "orders.jsonl");
    // The tracker's clock starts in the past, so that moving it past the quiet period gives an
    // endsAt that Alertmanager sees as past (a future endsAt keeps an alert active until then).
    MutableClock clock = new MutableClock(Instant.now().minus(settings.resolveAfter()).minusSeconds(60));
    try (AlertmanagerSink sink = new AlertmanagerSink(config(List.of(am.url()), Duration.ofSeconds(30),
        Duration.ofMinutes(2)), Clock.systemUTC());
        AlertTracker tracker = new AlertTracker(new AlertFactory(RuleCatalog.of(programs), settings),
            settings, sink, clock)) {
      List<Violation> vs = TestSpecs.check(programs, TestSpecs.ORDERS_LOG);
      vs.forEach(tracker::accept);
      Await.until(WAIT, () -> am.alerts("spec=\"orders\"", "severity=\"warning\"").size() == vs.size(),
          () -> "alerts: " + am.alerts("spec=\"orders\"", "severity=\"warning\""));

      JsonNode inv = am.alerts("spec=\"orders\"", "severity=\"warning\"", "alertname=\"no_overpayment\"").get(0);
      assertEquals("invariant", inv.at("/labels/kind").asText());
      assertEquals("Order", inv.at("/labels/entity").asText());
      assertEquals("o-2", inv.at("/labels/key").asText());
      assertEquals("warning", inv.at("/labels/severity").asText());
      assertEquals("Customers never pay more than the order total.", inv.at("/annotations/summary").asText());
      assertEquals("{\"status\":\"Paid\",\"total\":1000,\"paid\":1500}", inv.at("/annotations/state").asText());
      assertTrue(inv.at("/annotations/description").asText()
          .contains("Reproduce: specwatch check orders.sw --events orders.jsonl  # the violation is at line 4"));
      assertEquals("active", inv.at("/status/state").asText());

      // Transitions and deadlines resolve after their quiet period; the invariant waits for its
      // own, longer one or for the signal that it holds again (sent by hand here).
      clock.advance(settings.resolveAfter());
      tracker.tick();
      Await.until(WAIT, () -> am.alerts("spec=\"orders\"", "severity=\"warning\"").size() == 1,
          () -> "still active: " + am.alerts("spec=\"orders\"", "severity=\"warning\""));
      assertEquals("no_overpayment", am.alerts("spec=\"orders\"", "severity=\"warning\"").get(0).at("/labels/alertname").asText());
      tracker.invariantHolds("orders", "no_overpayment", "Order", "o-2", null, clock.millis());
      Await.until(WAIT, () -> am.alerts("spec=\"orders\"", "severity=\"warning\"").isEmpty(), () -> "resolved");
    }
  }

  @Test
  void firingAlertsAreRepostedBeforeAlertmanagerTimesThemOut() {
    Duration validFor = Duration.ofSeconds(3);
    try (AlertmanagerSink sink = new AlertmanagerSink(config(List.of(am.url()), Duration.ofMillis(500),
        validFor), Clock.systemUTC())) {
      sink.publish(TestAlerts.firing("Reposted", "repost"));
      Await.until(WAIT, () -> am.alerts("test=\"repost\"").size() == 1, () -> "posted");
      JsonNode first = am.alerts("test=\"repost\"").get(0);
      Instant firstEnds = Instant.parse(first.get("endsAt").asText());
      Instant firstUpdated = Instant.parse(first.get("updatedAt").asText());
      Instant timesOutAt = firstEnds.plusSeconds(1);
      // Past the first endsAt, it is still active, with endsAt and updatedAt moved on.
      Await.until(WAIT, () -> Instant.now().isAfter(timesOutAt), () -> "time passes");
      List<JsonNode> now = am.alerts("test=\"repost\"");
      assertEquals(1, now.size(), "still firing after its first endsAt: " + now);
      assertTrue(Instant.parse(now.get(0).get("endsAt").asText()).isAfter(firstEnds));
      assertTrue(Instant.parse(now.get(0).get("updatedAt").asText()).isAfter(firstUpdated));
      assertEquals(first.get("startsAt").asText(), now.get(0).get("startsAt").asText());
      assertTrue(sink.status().get(0).sent() >= 3, "re-posted: sent " + sink.status().get(0).sent());
    }
  }

  @Test
  void anAlertmanagerStoppedAndRestartedMidStreamLosesNoAlert() throws Exception {
    try (AlertmanagerSink sink = new AlertmanagerSink(config(List.of(am.url()), Duration.ofMillis(500),
        Duration.ofMinutes(1)), Clock.systemUTC())) {
      for (int i = 0; i < 10; i++) {
        sink.publish(TestAlerts.firing("before-" + i, "restart"));
      }
      Await.until(WAIT, () -> am.alerts("test=\"restart\"").size() == 10, () -> "first ten");
      SinkStatus status = sink.status().get(0);
      long failedBefore = status.failed();
      am.stop();
      for (int i = 0; i < 10; i++) {
        sink.publish(TestAlerts.firing("during-" + i, "restart"));
      }
      Alert resolvedWhileDown = TestAlerts.firing("before-0", "restart").resolvedAt(Instant.now());
      sink.publish(resolvedWhileDown);
      Await.until(WAIT, () -> status.failed() > failedBefore, () -> "delivery fails while it is down");
      assertTrue(status.queueDepth() >= 11, "waiting: " + status.queueDepth());
      am.start();
      Set<String> expected = new HashSet<>();
      for (int i = 1; i < 10; i++) {
        expected.add("before-" + i);
      }
      for (int i = 0; i < 10; i++) {
        expected.add("during-" + i);
      }
      Await.until(WAIT, () -> names(am.alerts("test=\"restart\"")).equals(expected),
          () -> "after restart: " + names(am.alerts("test=\"restart\"")));
      assertEquals(0, status.dropped());
    }
  }

  @Test
  void eachMemberOfAnHaPairGetsEveryAlertAndADeadOneDelaysNoOther() {
    URI dead = URI.create("http://127.0.0.1:" + FreePorts.next());
    try (AlertmanagerSink sink = new AlertmanagerSink(config(List.of(dead, am.url()), Duration.ofMillis(500),
        Duration.ofMinutes(1)), Clock.systemUTC())) {
      for (int i = 0; i < 5; i++) {
        sink.publish(TestAlerts.firing("ha-" + i, "ha"));
      }
      Await.until(WAIT, () -> am.alerts("test=\"ha\"").size() == 5, () -> "live member has them");
      SinkStatus deadStatus = sink.status().get(0);
      Await.until(WAIT, () -> deadStatus.failed() >= 2, () -> "dead member retried");
      assertEquals(5, deadStatus.queueDepth(), "kept for when it comes back");
      assertEquals(0, deadStatus.sent());
      assertEquals("alertmanager-" + dead.getAuthority(), deadStatus.name());
    }
  }

  /**
   * An invariant breaks in a live pipeline and a later document repairs it: the engine's signal
   * travels through the pipeline's fan-out and the tracker's sink queue and resolves the alert in
   * Alertmanager at once. Every quiet period is hours, so only the signal can resolve it.
   */
  @Test
  void anInvariantAlertResolvesInAlertmanagerTheMomentTheInvariantHoldsAgain() throws Exception {
    List<Program> programs = TestSpecs.orders();
    RecordingSink published = new RecordingSink();
    AlertSink sinks = AlertSink.fanOut(List.of(new AlertmanagerSink(config(List.of(am.url()),
        Duration.ofSeconds(30), Duration.ofMinutes(2)), Clock.systemUTC()), published));
    AlertSettings settings = AlertSettings.defaults()
        .withSeverities("info", Map.of("orders/no_overpayment", "critical"))
        .withResolution(Duration.ofHours(6), Duration.ofHours(6));
    AlertTracker tracker = AlertTracker.forPrograms(programs, settings, sinks, Clock.systemUTC());
    tracker.startTicking(Duration.ofMillis(200)); // ticks run, and must not be what resolves it
    SinkQueue alerts = new SinkQueue("alerts", tracker, 1024, SinkQueue.Overflow.DROP);
    Pipeline pipeline = new Pipeline(programs, PipelineConfig.defaults().withRingSize(256),
        Pipeline.fanOut(List.of(alerts)), null);
    String[] held = {"key=\"o-held\"", "alertname=\"no_overpayment\""};
    try {
      publish(pipeline, 1,
          "{\"event_id\":\"h1\",\"type\":\"order.placed\",\"at\":\"2026-05-04T12:00:00Z\",\"order_id\":\"o-held\",\"total\":1000}");
      publish(pipeline, 2,
          "{\"event_id\":\"h2\",\"type\":\"order.paid\",\"at\":\"2026-05-04T12:01:00Z\",\"order_id\":\"o-held\",\"amount\":1500}");
      Await.until(WAIT, () -> am.alerts(held).size() == 1, () -> "alerts: " + am.alerts("spec=\"orders\""));
      JsonNode firing = am.alerts(held).get(0);
      assertEquals("active", firing.at("/status/state").asText());
      assertEquals("orders", firing.at("/labels/spec").asText());
      assertEquals("invariant", firing.at("/labels/kind").asText());
      assertEquals("Order", firing.at("/labels/entity").asText());
      assertEquals("critical", firing.at("/labels/severity").asText(), "the per-rule setting");
      assertEquals("{\"line\":2}", firing.at("/annotations/position").asText());
      assertTrue(Instant.parse(firing.get("endsAt").asText()).isAfter(Instant.now().plusSeconds(60)),
          "firing: endsAt is the re-post horizon, minutes ahead");

      // A larger total makes paid <= total hold again.
      publish(pipeline, 3,
          "{\"event_id\":\"h3\",\"type\":\"order.placed\",\"at\":\"2026-05-04T12:02:00Z\",\"order_id\":\"o-held\",\"total\":2000}");
      Await.until(WAIT, () -> am.alerts(held).isEmpty(), () -> "still active: " + am.alerts(held));
      Alert resolved = published.takeAll().stream().filter(a -> "o-held".equals(a.label("key")))
          .reduce((a, b) -> b).orElseThrow();
      assertFalse(resolved.firing());
      assertTrue(!resolved.endsAt().isAfter(Instant.now()), "endsAt in the past: " + resolved.endsAt());
      assertEquals("{\"line\":3}", resolved.annotation("held_again_at"));
      assertEquals(0, tracker.firingAlerts());
      assertEquals(0, alerts.dropped());
    } finally {
      pipeline.close();
      alerts.close();
      tracker.close();
      sinks.close();
    }
  }

  private static void publish(Pipeline pipeline, long line, String document) {
    byte[] b = document.getBytes(StandardCharsets.UTF_8);
    pipeline.publish(b, 0, b.length, new LinePosition(line));
  }

  /** The wiring of docs/alerting.md, end to end: pipeline, tracker, Alertmanager, metrics. */
  @Test
  void violationsFromALivePipelineReachAlertmanagerAndAreCountedOnTheAdminPort() throws Exception {
    List<Program> programs = TestSpecs.orders();
    PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    AlertSink sinks = AlertSink.fanOut(List.of(new AlertmanagerSink(config(List.of(am.url()),
        Duration.ofSeconds(30), Duration.ofMinutes(2)), Clock.systemUTC())));
    AlertSettings settings = AlertSettings.defaults().withSeverities("info", Map.of())
        .withLinks("http://127.0.0.1:9464/", null, "orders.jsonl");
    AlertTracker tracker = AlertTracker.forPrograms(programs, settings, sinks, Clock.systemUTC());
    tracker.startTicking(Duration.ofSeconds(1));
    EventLatency latency = new EventLatency(registry);
    SinkQueue alerts = new SinkQueue("alerts", tracker, 1024, SinkQueue.Overflow.DROP);
    Pipeline pipeline = new Pipeline(programs, PipelineConfig.defaults().withRingSize(256),
        Pipeline.fanOut(List.of(new ViolationMetrics(registry, programs), alerts)), latency);
    new PipelineMetrics(PipelineView.of(pipeline), Clock.systemUTC()).bindTo(registry);
    List<SinkStatus> destinations = new java.util.ArrayList<>(sinks.status());
    destinations.add(new SinkQueueStatus(alerts, 1024));
    new SinkMetrics(destinations, tracker).bindTo(registry);
    try (AdminServer admin = AdminServer.start(0, registry, () -> true)) {
      long line = 0;
      for (String l : TestSpecs.ORDERS_LOG) {
        byte[] b = l.getBytes(StandardCharsets.UTF_8);
        pipeline.publish(b, 0, b.length, new LinePosition(++line));
      }
      Await.until(WAIT, () -> am.alerts("spec=\"orders\"", "severity=\"info\"").size() == 4,
          () -> "alerts: " + am.alerts("spec=\"orders\""));
      JsonNode shipped = am.alerts("severity=\"info\"", "alertname=\"shipped\"").get(0);
      assertEquals("o-3", shipped.at("/labels/key").asText());
      assertEquals("http://127.0.0.1:9464/", shipped.get("generatorURL").asText());
      String sinkName = "alertmanager-" + am.url().getAuthority();
      Await.until(WAIT, () -> registry.scrape().contains(
          "specwatch_sink_sent_total{sink=\"" + sinkName + "\"} 4.0"), registry::scrape);
      assertTrue(registry.scrape().contains("specwatch_alerts_firing 4.0"), registry.scrape());
      assertTrue(registry.scrape().contains("specwatch_sink_sent_total{sink=\"queue-alerts\"} 4.0"),
          "the violations queue in front of the tracker is measured too:\n" + registry.scrape());
    } finally {
      pipeline.close();
      alerts.close();
      tracker.close();
      sinks.close();
    }
  }

  private static Set<String> names(List<JsonNode> alerts) {
    return alerts.stream().map(a -> a.at("/labels/alertname").asText()).collect(Collectors.toSet());
  }
}
