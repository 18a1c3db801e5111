package io.specwatch.alert.metrics;

import java.nio.file.Files;
import java.nio.file.Path;

/** Where the shipped operator files are, from the alerting module's directory (Surefire's). */
final class OperatorFiles {
  private OperatorFiles() {}

  static final Path DEPLOY = Path.of("..", "deploy").toAbsolutePath().normalize();
  static final Path RULES = DEPLOY.resolve("prometheus/specwatch-rules.yml");
  static final Path RULE_TESTS = DEPLOY.resolve("prometheus/specwatch-rules.test.yml");
  static final Path DASHBOARD = DEPLOY.resolve("grafana/dashboards/specwatch.json");
  static final Path DATASOURCES = DEPLOY.resolve("grafana/provisioning/datasources/specwatch.yml");
  static final Path DASHBOARD_PROVIDER = DEPLOY.resolve("grafana/provisioning/dashboards/specwatch.yml");

  static boolean installed(String binary) {
    return Files.isExecutable(Path.of(binary));
  }
}
