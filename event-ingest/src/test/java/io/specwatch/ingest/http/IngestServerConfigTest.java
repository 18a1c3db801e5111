package io.specwatch.ingest.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The receivers' defaults are the OTLP ports on loopback, and nonsense settings are refused. */
class IngestServerConfigTest {
  @Test
  void theDefaultsAreTheOtlpPortsOnLoopbackWithoutAToken() {
    IngestServerConfig d = IngestServerConfig.defaults();
    assertEquals("127.0.0.1", d.host());
    assertEquals(4318, d.httpPort());
    assertEquals(4317, d.grpcPort());
    assertNull(d.bearerToken());
    assertEquals(4 << 20, d.maxRequestBytes());
    assertEquals(1 << 20, d.maxDocumentBytes());
  }

  @Test
  void nonsenseSettingsAreRefusedWithTheReason() {
    IngestServerConfig d = IngestServerConfig.defaults();
    assertTrue(assertThrows(IllegalArgumentException.class, () -> d.withBearerToken(" "))
        .getMessage().contains("bearerToken"));
    assertTrue(assertThrows(IllegalArgumentException.class, () -> d.withPorts(4318, 4318))
        .getMessage().contains("cannot share port 4318"));
    assertTrue(assertThrows(IllegalArgumentException.class, () -> d.withLimits(10, 5, 1))
        .getMessage().contains("maxRequestBytes"));
    assertThrows(IllegalArgumentException.class, () -> new IngestServerConfig("", 0, 0, null,
        1, 1, 1, 1, Duration.ofSeconds(1), Duration.ZERO));
  }
}
