package io.specwatch.cli.run;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The metric names the shipped operator files query: every panel target and variable of
 * {@code grafana/dashboards/specwatch.json} and every expression of
 * {@code prometheus/specwatch-rules.yml} (paths from the deploy module, Surefire's directory).
 */
final class OperatorQueries {
  private static final Pattern METRIC = Pattern.compile("\\bspecwatch_[a-z_]+");
  static final Path DASHBOARD = Path.of("grafana/dashboards/specwatch.json");
  static final Path RULES = Path.of("prometheus/specwatch-rules.yml");

  private OperatorQueries() {}

  static Set<String> metricNames() {
    try {
      Set<String> names = new TreeSet<>();
      JsonNode dash = new ObjectMapper().readTree(DASHBOARD.toFile());
      for (JsonNode panel : dash.get("panels")) {
        for (JsonNode t : panel.path("targets")) {
          add(names, t.get("expr").asText());
        }
      }
      for (JsonNode v : dash.at("/templating/list")) {
        add(names, v.path("definition").asText());
        add(names, v.path("query").toString());
      }
      JsonNode rules = new ObjectMapper(new YAMLFactory()).readTree(RULES.toFile());
      for (JsonNode group : rules.get("groups")) {
        for (JsonNode rule : group.get("rules")) {
          add(names, rule.get("expr").asText());
        }
      }
      if (names.size() < 10) {
        throw new IllegalStateException("too few metrics found in the operator files: " + names);
      }
      return names;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static void add(Set<String> names, String expr) {
    Matcher m = METRIC.matcher(expr);
    while (m.find()) {
      names.add(m.group());
    }
  }
}
