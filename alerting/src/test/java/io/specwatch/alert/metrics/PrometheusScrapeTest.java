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

      // Per-event series reach Prometheus: line 5 of the log repeats a paid event.
      Await.until(WAIT, () -> value(prom, "specwatch_duplicates_total{spec=\"orders\",event=\"paid\"}") == 1,
          () -> "duplicates: " + prom.query("specwatch_duplicates_total"));
      // Every dashboard query is valid PromQL for a real Prometheus (a bad one answers 400).
      for (String expr : OperatorFiles.dashboardQueries()) {
        assertTrue(prom.query(OperatorFiles.asGrafanaSendsIt(expr)).isArray(), expr);
      }
      JsonNode duplicates = prom.query("sum by (spec, event) (specwatch_duplicates_total)");
      assertEquals(5, duplicates.size(), "one series per event and one for none: " + duplicates);
    }
  }

  /** The value of a single-series instant query, or NaN when there is none. */
  private static double value(PrometheusProcess prom, String promql) {
    JsonNode r = prom.query(promql);
    return r.size() == 1 ? Double.parseDouble(r.at("/0/value/1").asText()) : Double.NaN;
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
