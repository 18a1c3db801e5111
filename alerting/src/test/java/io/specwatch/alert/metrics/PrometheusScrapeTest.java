package io.specwatch.alert.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.specwatch.testkit.Await;
import io.specwatch.alert.TestSpecs;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A real Prometheus scrapes a running specwatch's {@code /metrics} and evaluates the shipped
 * rules: the violations-appearing rule fires on specwatch's own counters.
 */
class PrometheusScrapeTest {
  private static final Duration WAIT = Duration.ofSeconds(30);

  @Test
  void aShippedRuleFiresOnSpecwatchsOwnMetrics(@TempDir Path dir) throws Exception {
    assumeTrue(OperatorFiles.installed(PrometheusProcess.BINARY), PrometheusProcess.BINARY
        + " is not installed (apt-get install prometheus; .ci/run does it)");
    try (LiveMetrics live = new LiveMetrics();
        PrometheusProcess prom = new PrometheusProcess(dir,
            live.admin.url().substring("http://".length()), OperatorFiles.RULES)) {
      // A first scrape sees every rule's counter at zero ...
      Await.until(WAIT, () -> prom.query("specwatch_violations_total{rule=\"no_overpayment\"}").size() == 1,
          () -> "scraped: " + prom.api("/api/v1/targets"));
      JsonNode target = prom.api("/api/v1/targets").at("/activeTargets/0");
      assertEquals("up", target.get("health").asText());
      assertTrue(prom.api("/api/v1/alerts").get("alerts").isEmpty(), "nothing fires yet");

      // ... then the README's log raises violations, and the rule fires for each violated rule.
      live.feed(TestSpecs.ORDERS_LOG);
      Await.until(WAIT, () -> firing(prom, "no_overpayment") && firing(prom, "ship_sla"),
          () -> "alerts: " + prom.api("/api/v1/alerts"));
      JsonNode alert = find(prom, "no_overpayment");
      assertEquals("SpecwatchViolationsAppearing", alert.at("/labels/alertname").asText());
      assertEquals("orders", alert.at("/labels/spec").asText());
      assertEquals("invariant", alert.at("/labels/kind").asText());
      assertEquals("warning", alert.at("/labels/severity").asText());
      assertEquals("Spec orders: invariant rule no_overpayment is being violated",
          alert.at("/annotations/summary").asText());
      assertTrue(find(prom, "placed") == null, "no alert for a rule that was not violated");
    }
  }

  private static boolean firing(PrometheusProcess prom, String rule) {
    JsonNode a = find(prom, rule);
    return a != null && a.get("state").asText().equals("firing");
  }

  private static JsonNode find(PrometheusProcess prom, String rule) {
    for (JsonNode a : prom.api("/api/v1/alerts").get("alerts")) {
      if (a.at("/labels/rule").asText().equals(rule)) {
        return a;
      }
    }
    return null;
  }
}
