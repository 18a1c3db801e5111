package io.specwatch.alert;

import java.time.Duration;
import java.util.Map;

/**
 * How violations become alerts, checked when built.
 *
 * @param defaultSeverity the {@code severity} label of rules not listed in {@code severities}
 * @param severities per-rule severity, keyed {@code spec/rule} or just {@code rule}
 * @param resolveAfter a transition, deadline, malformed or error alert resolves once no violation
 *     of its rule and key has been seen for this long (those violations are one-off events)
 * @param invariantQuietPeriod an invariant alert resolves when the runtime reports the invariant
 *     holds again ({@link AlertTracker#invariantHolds}) or, failing that signal, once no
 *     violation of it for that key has been seen for this long
 * @param groupThreshold once this many keys of one rule have their own firing alert, further keys
 *     of that rule are folded into one group alert with a count and example keys
 * @param exampleKeys how many example keys a group alert lists
 * @param updateInterval a firing alert is re-published with new evidence (a repeat violation of
 *     its key, a group that grows) at most this often, so a storm of violations becomes a few
 *     updates, not one per violation
 * @param generatorUrl link put in every alert (e.g. the admin endpoint), or null
 * @param traceUrlTemplate link to a trace, with {@code {trace_id}} replaced by the position's
 *     {@code trace_id} member when it has one, or null
 * @param eventsHint what to put after {@code --events} in the reproduce command (the log the
 *     documents were recorded to), e.g. {@code audit.jsonl}
 */
public record AlertSettings(String defaultSeverity, Map<String, String> severities,
    Duration resolveAfter, Duration invariantQuietPeriod, int groupThreshold, int exampleKeys,
    Duration updateInterval, String generatorUrl, String traceUrlTemplate, String eventsHint) {

  public AlertSettings {
    severities = Map.copyOf(severities);
    requireText(defaultSeverity, "defaultSeverity");
    requirePositive(resolveAfter, "resolveAfter");
    requirePositive(invariantQuietPeriod, "invariantQuietPeriod");
    requirePositive(updateInterval, "updateInterval");
    if (groupThreshold < 1) {
      throw new IllegalArgumentException("groupThreshold must be at least 1, was " + groupThreshold);
    }
    if (exampleKeys < 0 || exampleKeys > 100) {
      throw new IllegalArgumentException("exampleKeys must be between 0 and 100, was " + exampleKeys);
    }
    requireText(eventsHint, "eventsHint");
  }

  public AlertSettings withUpdateInterval(Duration updateInterval) {
    return new AlertSettings(defaultSeverity, severities, resolveAfter, invariantQuietPeriod,
        groupThreshold, exampleKeys, updateInterval, generatorUrl, traceUrlTemplate, eventsHint);
  }

  /**
   * Warning severity; resolve after 15 minutes (invariants: 1 hour); group beyond 20 keys per rule
   * with 5 examples; updates at most every 30 seconds.
   */
  public static AlertSettings defaults() {
    return new AlertSettings("warning", Map.of(), Duration.ofMinutes(15), Duration.ofHours(1), 20, 5,
        Duration.ofSeconds(30), null, null, "EVENTS.jsonl");
  }

  public AlertSettings withSeverities(String defaultSeverity, Map<String, String> severities) {
    return new AlertSettings(defaultSeverity, severities, resolveAfter, invariantQuietPeriod,
        groupThreshold, exampleKeys, updateInterval, generatorUrl, traceUrlTemplate, eventsHint);
  }

  public AlertSettings withResolution(Duration resolveAfter, Duration invariantQuietPeriod) {
    return new AlertSettings(defaultSeverity, severities, resolveAfter, invariantQuietPeriod,
        groupThreshold, exampleKeys, updateInterval, generatorUrl, traceUrlTemplate, eventsHint);
  }

  public AlertSettings withGrouping(int groupThreshold, int exampleKeys) {
    return new AlertSettings(defaultSeverity, severities, resolveAfter, invariantQuietPeriod,
        groupThreshold, exampleKeys, updateInterval, generatorUrl, traceUrlTemplate, eventsHint);
  }

  public AlertSettings withLinks(String generatorUrl, String traceUrlTemplate, String eventsHint) {
    return new AlertSettings(defaultSeverity, severities, resolveAfter, invariantQuietPeriod,
        groupThreshold, exampleKeys, updateInterval, generatorUrl, traceUrlTemplate, eventsHint);
  }

  /** The severity of one rule: {@code spec/rule} first, then {@code rule}, then the default. */
  public String severityOf(String spec, String rule) {
    String s = severities.get(spec + "/" + rule);
    if (s == null) {
      s = severities.get(rule);
    }
    return s == null ? defaultSeverity : s;
  }

  private static void requireText(String s, String what) {
    if (s == null || s.isBlank()) {
      throw new IllegalArgumentException(what + " must not be empty");
    }
  }

  private static void requirePositive(Duration d, String what) {
    if (d == null || d.isNegative() || d.isZero()) {
      throw new IllegalArgumentException(what + " must be a positive duration, was " + d);
    }
  }
}
