package io.specwatch.alert.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.specwatch.alert.TestSpecs;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The shipped Grafana and Prometheus files: well-formed, provisioning-ready, querying only
 * metrics that a live specwatch really exposes, and accepted (and unit-tested) by promtool.
 * "Live" here is a real pipeline with every binder; the same queries are checked against a
 * running {@code specwatch run} daemon's scrape in deploy's {@code DaemonProcessTest} (this
 * module cannot start the daemon: deploy depends on it).
 */
class OperatorFilesTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
  private static final Pattern METRIC = Pattern.compile("\\bspecwatch_[a-z_]+");
  private static final String PROMTOOL = "/usr/bin/promtool";

  /** Metric names a live scrape exposes (histograms by their series names). */
  private static Set<String> liveMetricNames() throws Exception {
    try (LiveMetrics live = new LiveMetrics()) {
      live.feed(TestSpecs.ORDERS_LOG);
      Set<String> names = new TreeSet<>();
      for (String line : live.registry.scrape().split("\n")) {
        if (!line.startsWith("#") && !line.isBlank()) {
          names.add(line.split("[{ ]", 2)[0]);
        }
      }
      return names;
    }
  }

  private static Set<String> metricsIn(String expr) {
    Set<String> out = new TreeSet<>();
    Matcher m = METRIC.matcher(expr);
    while (m.find()) {
      out.add(m.group());
    }
    return out;
  }

  @Test
  void everyMetricTheDashboardQueriesExistsInALiveScrape() throws Exception {
    JsonNode dash = JSON.readTree(OperatorFiles.DASHBOARD.toFile());
    for (JsonNode panel : dash.get("panels")) {
      for (JsonNode t : panel.path("targets")) {
        assertEquals("${DS_PROMETHEUS}", t.at("/datasource/uid").asText(), "datasource of " + panel.get("title"));
      }
    }
    List<String> exprs = new ArrayList<>(OperatorFiles.dashboardQueries());
    exprs.add(dash.at("/templating/list/1/definition").asText());
    assertTrue(exprs.size() >= 15, "queries: " + exprs.size());
    Set<String> live = liveMetricNames();
    Set<String> missing = new TreeSet<>();
    for (String e : exprs) {
      for (String metric : metricsIn(e)) {
        if (!live.contains(metric)) {
          missing.add(metric + " (in " + e + ")");
        }
      }
    }
    assertTrue(missing.isEmpty(), "queried but not exposed: " + missing + "\nexposed: " + live);
  }

  @Test
  void theDashboardIsProvisioningReady() throws IOException {
    JsonNode dash = JSON.readTree(OperatorFiles.DASHBOARD.toFile());
    assertEquals("specwatch-overview", dash.get("uid").asText());
    JsonNode ds = dash.at("/templating/list/0");
    assertEquals("DS_PROMETHEUS", ds.get("name").asText());
    assertEquals("datasource", ds.get("type").asText());
    assertEquals("prometheus", ds.get("query").asText());
    Set<Integer> ids = new TreeSet<>();
    for (JsonNode p : dash.get("panels")) {
      assertTrue(ids.add(p.get("id").asInt()), "panel ids are unique");
      assertFalse(p.get("title").asText().isBlank());
    }
    JsonNode provider = YAML.readTree(OperatorFiles.DASHBOARD_PROVIDER.toFile());
    assertEquals(1, provider.get("apiVersion").asInt());
    assertEquals("file", provider.at("/providers/0/type").asText());
    assertFalse(provider.at("/providers/0/options/path").asText().isBlank());
  }

  @Test
  void theDataSourcesAreAPrometheusAndAPrometheusAlertmanager() throws IOException {
    JsonNode file = YAML.readTree(OperatorFiles.DATASOURCES.toFile());
    assertEquals(1, file.get("apiVersion").asInt());
    JsonNode prom = null;
    JsonNode am = null;
    for (JsonNode ds : file.get("datasources")) {
      if (ds.get("type").asText().equals("prometheus")) {
        prom = ds;
      } else if (ds.get("type").asText().equals("alertmanager")) {
        am = ds;
      }
    }
    assertTrue(prom != null && am != null, "both data sources: " + file);
    assertEquals("prometheus", am.at("/jsonData/implementation").asText());
    assertTrue(am.get("url").asText().startsWith("http"));
    assertEquals("prometheus", prom.get("uid").asText(), "the dashboard variable's default");
  }

  @Test
  void everyMetricTheRulesUseExistsInALiveScrape() throws Exception {
    JsonNode rules = YAML.readTree(OperatorFiles.RULES.toFile());
    Set<String> live = liveMetricNames();
    Set<String> alerts = new TreeSet<>();
    for (JsonNode rule : rules.at("/groups/0/rules")) {
      alerts.add(rule.get("alert").asText());
      for (String metric : metricsIn(rule.get("expr").asText())) {
        assertTrue(live.contains(metric), metric + " in rule " + rule.get("alert") + " is not exposed");
      }
    }
    assertTrue(alerts.containsAll(Set.of("SpecwatchViolationsAppearing", "SpecwatchPipelineStalled",
        "SpecwatchSinkFailing", "SpecwatchCheckpointTooOld")), "the four the issue asks for: " + alerts);
  }

  @Test
  void promtoolAcceptsTheRulesAndTheirUnitTestsPass() throws Exception {
    assumeTrue(OperatorFiles.installed(PROMTOOL),
        PROMTOOL + " is not installed (apt-get install prometheus; .ci/run does it): rules not checked");
    assertPromtool("check", "rules", OperatorFiles.RULES.toString());
    assertPromtool("test", "rules", OperatorFiles.RULE_TESTS.toString());
  }

  private static void assertPromtool(String... args) throws Exception {
    List<String> cmd = new ArrayList<>(List.of(PROMTOOL));
    cmd.addAll(List.of(args));
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(p.waitFor(60, TimeUnit.SECONDS), "promtool timed out");
    assertEquals(0, p.exitValue(), String.join(" ", cmd) + ":\n" + out);
    assertTrue(out.contains("SUCCESS"), out);
  }
}
