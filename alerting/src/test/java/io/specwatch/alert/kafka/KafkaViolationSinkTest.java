package io.specwatch.alert.kafka;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.specwatch.core.LinePosition;
import io.specwatch.core.Violation;
import io.specwatch.core.ViolationKind;
import io.specwatch.testkit.EmbeddedKafka;
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
import org.junit.jupiter.api.Test;

/** Violations reach a real broker's topic as the contract's JSON, keyed by entity, with headers. */
class KafkaViolationSinkTest {

  @Test
  void violationsArriveKeyedByEntityWithTheirEvidenceAndHeaders() {
    try (EmbeddedKafka kafka = EmbeddedKafka.start()) {
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
        sink.flush();
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
  }

  @Test
  void anUnreachableBrokerCountsTheViolationAsDroppedInsteadOfThrowing() {
    Map<String, String> fast = Map.of("max.block.ms", "500", "delivery.timeout.ms", "1500",
        "request.timeout.ms", "1000", "linger.ms", "0");
    try (KafkaViolationSink sink = new KafkaViolationSink("127.0.0.1:1", "violations", fast)) {
      sink.accept(new Violation("s", ViolationKind.MALFORMED, null, null, null, null, null, "x", null));
      sink.flush();
      assertEquals(1, sink.dropped());
      assertEquals(0, sink.sent());
    }
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
