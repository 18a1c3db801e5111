package io.specwatch.alert.jsonl;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.specwatch.alert.AlertFactory;
import io.specwatch.alert.AlertSettings;
import io.specwatch.alert.RuleCatalog;
import io.specwatch.alert.TestAlerts;
import io.specwatch.alert.TestSpecs;
import io.specwatch.alert.delivery.DeliveryConfig;
import io.specwatch.alert.delivery.DeliveryQueue;
import io.specwatch.core.Violation;
import io.specwatch.core.program.Program;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class JsonlAlertTransportTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  @Test
  void appendsOneJsonLinePerAlertWithTheViolationAsData(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("alerts.jsonl");
    Files.writeString(file, "{\"earlier\":true}\n");
    List<Program> programs = TestSpecs.orders();
    Violation v = TestSpecs.check(programs, TestSpecs.ORDERS_LOG).get(0);
    AlertFactory f = new AlertFactory(RuleCatalog.of(programs), AlertSettings.defaults());
    DeliveryQueue q = new DeliveryQueue(JsonlAlertTransport.toFile(file), DeliveryConfig.defaults());
    q.publish(f.alertFor(v, Instant.parse("2026-06-01T12:00:00Z"), 1));
    q.publish(TestAlerts.firing("x").resolvedAt(Instant.parse("2026-06-01T12:01:00Z")));
    q.close();
    assertEquals(2, q.sent());
    List<String> lines = Files.readAllLines(file);
    assertEquals(3, lines.size(), "appended after what was there");
    JsonNode first = JSON.readTree(lines.get(1));
    assertEquals("firing", first.get("status").asText());
    assertEquals(JSON.readTree(v.toJson()), first.get("violation"), "the contract line, as an object");
    assertEquals("2026-06-01T12:00:00Z", first.get("startsAt").asText());
    assertEquals("resolved", JSON.readTree(lines.get(2)).get("status").asText());
  }
}
