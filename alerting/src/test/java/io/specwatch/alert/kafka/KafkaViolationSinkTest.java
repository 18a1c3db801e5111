package io.specwatch.alert.kafka;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.specwatch.core.LinePosition;
import io.specwatch.core.Violation;
import io.specwatch.core.ViolationKind;
import io.specwatch.alert.delivery.DeliveryConfig;
import io.specwatch.testkit.Await;
import io.specwatch.testkit.EmbeddedKafka;
import io.specwatch.testkit.FreePorts;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Violations reach a real broker's topic as the contract's JSON, keyed by entity, with headers,
 * and wait out a broker outage. One broker for the class.
 */
class KafkaViolationSinkTest {
  private static final DeliveryConfig QUICK_RETRIES = DeliveryConfig.defaults()
      .withBackoff(Duration.ofMillis(50), Duration.ofMillis(500)).withCloseTimeout(Duration.ofSeconds(1));
  static EmbeddedKafka kafka;

  @BeforeAll
  static void startBroker() {
    kafka = EmbeddedKafka.start();
  }

  @AfterAll
  static void stopBroker() {
    kafka.close();
  }

  @Test
  void violationsArriveKeyedByEntityWithTheirEvidenceAndHeaders() throws Exception {
    kafka.createTopic("violations", 1);
    Violation transition = new Violation("payments", ViolationKind.TRANSITION, "captured",
        "Payment", "p-1", new LinePosition(4), 1_780_000_000_000L, "Captures follow authorization",
        null);
    Violation malformed = new Violation("payments", ViolationKind.MALFORMED, null, null, null,
        new LinePosition(9), null, "not a JSON object", null);
    try (KafkaViolationSink sink =
        new KafkaViolationSink(kafka.bootstrapServers(), "violations", Map.of())) {
      sink.accept(transition);
      sink.accept(malformed);
      assertTrue(sink.flush(Duration.ofSeconds(30)));
      assertEquals(2, sink.sent());
      assertEquals(0, sink.dropped());
    }
    List<ConsumerRecord<byte[], byte[]>> got = readAll(kafka, "violations", 2);
    assertEquals("p-1", utf8(got.get(0).key()));
    assertEquals(transition.toJson(), utf8(got.get(0).value()));
    assertEquals("transition", utf8(got.get(0).headers().lastHeader("specwatch.kind").value()));
    assertEquals("captured", utf8(got.get(0).headers().lastHeader("specwatch.rule").value()));
    assertEquals("payments", utf8(got.get(1).key()), "no entity: keyed by spec");
    assertEquals(malformed.toJson(), utf8(got.get(1).value()));
    assertNull(got.get(1).headers().lastHeader("specwatch.rule"));
  }

  @Test
  void violationsWaitOutABrokerOutageAndAreAllDeliveredWhenItIsBack() throws Exception {
    kafka.createTopic("outage", 1);
    // Short client timeouts so that attempts fail fast while the broker is down and are retried
    // by the sink's own queue, with a short backoff.
    Map<String, String> quick = Map.of("request.timeout.ms", "1000", "delivery.timeout.ms", "2000",
        "linger.ms", "0", "max.block.ms", "1000");
    try (KafkaViolationSink sink = new KafkaViolationSink(kafka.bootstrapServers(), "outage", quick,
        QUICK_RETRIES)) {
      sink.accept(violation("before"));
      assertTrue(sink.flush(Duration.ofSeconds(30)), "delivered before the outage");
      kafka.stop();
      try {
        for (int i = 0; i < 5; i++) {
          sink.accept(violation("during-" + i));
        }
        assertEquals(5, sink.queueDepth(), "waiting for the broker");
        // Longer than the producer's own delivery timeout: only the sink's queue keeps them.
        Await.until(Duration.ofSeconds(60), () -> sink.failed() >= 3,
            () -> "attempts failed: " + sink.failed());
        assertEquals(5, sink.queueDepth(), "still waiting, none given up");
        assertEquals(0, sink.dropped());
      } finally {
        kafka.startAgain();
      }
      assertTrue(sink.flush(Duration.ofSeconds(60)),
          () -> "sent " + sink.sent() + ", waiting " + sink.queueDepth() + ", dropped " + sink.dropped());
      assertEquals(6, sink.sent());
      assertEquals(0, sink.dropped());
    }
    List<String> keys = readAll(kafka, "outage", 6).stream().map(r -> utf8(r.key())).toList();
    assertEquals(List.of("before", "during-0", "during-1", "during-2", "during-3", "during-4"), keys,
        "all of them, in order");
  }

  private static Violation violation(String key) {
    return new Violation("payments", ViolationKind.TRANSITION, "captured", "Payment", key,
        new LinePosition(1), 1_780_000_000_000L, "Captures follow authorization", null);
  }

  @Test
  void anUnreachableBrokerKeepsViolationsQueuedUntilCloseThenCountsThemDropped() throws Exception {
    Map<String, String> fast = Map.of("max.block.ms", "300", "delivery.timeout.ms", "1500",
        "request.timeout.ms", "1000", "linger.ms", "0");
    KafkaViolationSink sink = new KafkaViolationSink("127.0.0.1:" + FreePorts.next(), "violations",
        fast, QUICK_RETRIES.withQueueCapacity(2).withBatching(1, Duration.ZERO));
    try {
      sink.accept(violation("first"));
      Await.until(Duration.ofSeconds(30), () -> sink.failed() >= 2, () -> "retried: " + sink.failed());
      sink.accept(violation("second"));
      sink.accept(violation("third"));
      sink.accept(violation("fourth")); // the queue holds two besides the one being retried
      assertEquals(3, sink.queueDepth());
      assertEquals(1, sink.dropped(), "a full queue drops the newest, counted");
      assertEquals(0, sink.sent());
      assertFalse(sink.flush(Duration.ofMillis(200)));
    } finally {
      sink.close();
    }
    assertEquals(4, sink.dropped(), "what was still queued at close is counted too");
    assertEquals(0, sink.queueDepth());
  }

  private static List<ConsumerRecord<byte[], byte[]>> readAll(EmbeddedKafka kafka, String topic, int n) {
    Properties p = new Properties();
    p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
    try (KafkaConsumer<byte[], byte[]> c =
        new KafkaConsumer<>(p, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
      TopicPartition tp = new TopicPartition(topic, 0);
      c.assign(List.of(tp));
      c.seekToBeginning(List.of(tp));
      List<ConsumerRecord<byte[], byte[]>> out = new ArrayList<>();
      long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
      while (out.size() < n && System.nanoTime() < deadline) {
        c.poll(Duration.ofMillis(200)).forEach(out::add);
      }
      assertEquals(n, out.size());
      return out;
    }
  }

  private static String utf8(byte[] b) {
    return new String(b, StandardCharsets.UTF_8);
  }
}
