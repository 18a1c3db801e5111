package io.specwatch.alert;

import java.time.Instant;
import java.util.Map;
import java.util.TreeMap;

/** Small alerts for tests of delivery, where the content does not matter. */
public final class TestAlerts {
  private TestAlerts() {}

  public static Alert firing(String name) {
    return firing(name, "unit");
  }

  /** With a {@code test} label, so tests sharing one Alertmanager can tell their alerts apart. */
  public static Alert firing(String name, String test) {
    return new Alert(new TreeMap<>(Map.of("alertname", name, "severity", "warning", "test", test)),
        new TreeMap<>(Map.of("summary", "test alert " + name)), Instant.parse("2026-06-01T12:00:00Z"),
        null, null, null);
  }
}
