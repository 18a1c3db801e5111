package io.specwatch.alert.webhook;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.specwatch.alert.Alert;
import io.specwatch.testkit.Await;
import io.specwatch.alert.TestAlerts;
import io.specwatch.alert.delivery.DeliveryConfig;
import io.specwatch.alert.delivery.DeliveryQueue;
import io.specwatch.testkit.FreePorts;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The webhook sink over real HTTP on loopback, through its delivery queue. */
class WebhookTransportTest {
  private static final Duration WAIT = Duration.ofSeconds(15);
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final DeliveryConfig FAST = DeliveryConfig.defaults()
      .withBackoff(Duration.ofMillis(20), Duration.ofMillis(200)).withBatching(10, Duration.ofMillis(20));

  @Test
  void postsSignedJsonThatTheReceiverCanVerify() throws Exception {
    try (WebhookReceiver receiver = new WebhookReceiver(0)) {
      WebhookConfig config = new WebhookConfig(receiver.url(), "s3cret".getBytes(StandardCharsets.UTF_8),
          Map.of("Authorization", "Bearer t0ken"), Duration.ofSeconds(5));
      try (DeliveryQueue q = new DeliveryQueue(new WebhookTransport(config), FAST)) {
        q.publish(TestAlerts.firing("one"));
        q.publish(TestAlerts.firing("two").resolvedAt(Instant.parse("2026-06-01T12:05:00Z")));
        Await.until(WAIT, () -> q.sent() == 2, () -> "sent " + q.sent());
      }
      List<JsonNode> alerts = new ArrayList<>();
      for (WebhookReceiver.Request r : receiver.requests()) {
        assertTrue(HmacSignature.matches("s3cret".getBytes(StandardCharsets.UTF_8), r.body(), r.signature()),
            "signature " + r.signature());
        assertFalse(HmacSignature.matches("other".getBytes(StandardCharsets.UTF_8), r.body(), r.signature()));
        assertEquals("Bearer t0ken", r.authorization());
        JsonNode body = JSON.readTree(r.body());
        assertEquals("1", body.get("version").asText());
        body.get("alerts").forEach(alerts::add);
      }
      assertEquals(2, alerts.size());
      assertEquals("firing", alerts.get(0).get("status").asText());
      assertEquals("one", alerts.get(0).at("/labels/alertname").asText());
      assertTrue(alerts.get(0).get("endsAt") == null, "a firing alert has no endsAt");
      assertEquals("resolved", alerts.get(1).get("status").asText());
      assertEquals("2026-06-01T12:05:00Z", alerts.get(1).get("endsAt").asText());
    }
  }

  @Test
  void theSignatureIsHexHmacSha256OfTheBody() {
    // RFC 4231 test case 2.
    assertEquals("sha256=5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843",
        HmacSignature.sign("Jefe".getBytes(StandardCharsets.US_ASCII),
            "what do ya want for nothing?".getBytes(StandardCharsets.US_ASCII)));
  }

  @Test
  void withoutASecretThereIsNoSignatureHeader() throws Exception {
    try (WebhookReceiver receiver = new WebhookReceiver(0);
        DeliveryQueue q = new DeliveryQueue(new WebhookTransport(WebhookConfig.of(receiver.url())), FAST)) {
      q.publish(TestAlerts.firing("plain"));
      Await.until(WAIT, () -> q.sent() == 1, () -> "sent");
      assertNull(receiver.requests().get(0).signature());
    }
  }

  @Test
  void aReceiverThatIsDownThenFailingThenBackGetsEveryAlertInOrder() throws Exception {
    int port = FreePorts.next();
    URI url = URI.create("http://127.0.0.1:" + port + "/hook");
    try (DeliveryQueue q = new DeliveryQueue(new WebhookTransport(WebhookConfig.of(url)), FAST)) {
      for (int i = 0; i < 30; i++) {
        q.publish(TestAlerts.firing("a" + i));
      }
      Await.until(WAIT, () -> q.failed() >= 2, () -> "connection refused, retried");
      try (WebhookReceiver receiver = new WebhookReceiver(port)) {
        receiver.status.set(503);
        long failedSoFar = q.failed();
        Await.until(WAIT, () -> q.failed() > failedSoFar, () -> "503 is retried");
        receiver.status.set(200);
        Await.until(WAIT, () -> q.sent() == 30, () -> "sent " + q.sent());
        List<String> names = new ArrayList<>();
        for (WebhookReceiver.Request r : receiver.requests()) {
          JSON.readTree(r.body()).get("alerts").forEach(a -> names.add(a.at("/labels/alertname").asText()));
        }
        List<String> expected = new ArrayList<>();
        for (int i = 0; i < 30; i++) {
          expected.add("a" + i);
        }
        assertEquals(expected, names);
        assertEquals(0, q.dropped());
      }
    }
  }

  @Test
  void aClientErrorRejectsTheBatchAndCountsItAsDropped() throws Exception {
    try (WebhookReceiver receiver = new WebhookReceiver(0);
        DeliveryQueue q = new DeliveryQueue(new WebhookTransport(WebhookConfig.of(receiver.url())), FAST)) {
      receiver.status.set(400);
      Alert a = TestAlerts.firing("bad");
      q.publish(a);
      Await.until(WAIT, () -> q.dropped() == 1, () -> "dropped " + q.dropped());
      assertEquals(0, q.failed());
    }
  }
}
