package io.specwatch.alert.metrics;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Where the shipped operator files are, from the alerting module's directory (Surefire's). */
final class OperatorFiles {
  private OperatorFiles() {}

  static final Path DEPLOY = Path.of("..", "deploy").toAbsolutePath().normalize();
  static final Path RULES = DEPLOY.resolve("prometheus/specwatch-rules.yml");
  static final Path RULE_TESTS = DEPLOY.resolve("prometheus/specwatch-rules.test.yml");
  static final Path DASHBOARD = DEPLOY.resolve("grafana/dashboards/specwatch.json");
  static final Path DATASOURCES = DEPLOY.resolve("grafana/provisioning/datasources/specwatch.yml");
  static final Path DASHBOARD_PROVIDER = DEPLOY.resolve("grafana/provisioning/dashboards/specwatch.yml");

  /** Every PromQL query of the dashboard's panels, as written (with Grafana variables). */
  static List<String> dashboardQueries() throws IOException {
    List<String> exprs = new ArrayList<>();
    for (JsonNode panel : new ObjectMapper().readTree(DASHBOARD.toFile()).get("panels")) {
      for (JsonNode t : panel.path("targets")) {
        exprs.add(t.get("expr").asText());
      }
    }
    return exprs;
  }

  /**
   * A dashboard query as Grafana sends it with the spec variable at "All" and a one-minute rate
   * interval, so that a real Prometheus can evaluate it.
   */
  static String asGrafanaSendsIt(String expr) {
    return expr.replace("$spec", ".*").replace("$__rate_interval", "1m");
  }

  static boolean installed(String binary) {
    return Files.isExecutable(Path.of(binary));
  }
}
