package io.specwatch.alert;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.specwatch.alert.alertmanager.AlertmanagerConfig;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class AlertSettingsTest {
  @Test
  void severityIsLookedUpBySpecAndRuleThenRuleThenDefault() {
    AlertSettings s = AlertSettings.defaults().withSeverities("info",
        Map.of("orders/no_overpayment", "critical", "no_overpayment", "warning"));
    assertEquals("critical", s.severityOf("orders", "no_overpayment"));
    assertEquals("warning", s.severityOf("billing", "no_overpayment"));
    assertEquals("info", s.severityOf("orders", "shipped"));
  }

  @Test
  void badSettingsAreRefusedWithTheirName() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> AlertSettings.defaults().withGrouping(0, 5));
    assertTrue(e.getMessage().contains("groupThreshold"), e.getMessage());
    e = assertThrows(IllegalArgumentException.class,
        () -> AlertSettings.defaults().withResolution(Duration.ZERO, Duration.ofHours(1)));
    assertTrue(e.getMessage().contains("resolveAfter"), e.getMessage());
  }

  @Test
  void anAlertmanagerConfigWhoseAlertsWouldExpireBetweenRepostsIsRefused() {
    AlertmanagerConfig ok = AlertmanagerConfig.of(List.of(URI.create("http://127.0.0.1:9093")));
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> ok.withResend(Duration.ofMinutes(1), Duration.ofSeconds(90)));
    assertTrue(e.getMessage().contains("at least twice resendInterval"), e.getMessage());
    assertThrows(IllegalArgumentException.class,
        () -> AlertmanagerConfig.of(List.of(URI.create("ftp://127.0.0.1:9093"))));
    assertThrows(IllegalArgumentException.class, () -> AlertmanagerConfig.of(List.of()));
  }
}
