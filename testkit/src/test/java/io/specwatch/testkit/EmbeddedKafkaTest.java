package io.specwatch.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;

class EmbeddedKafkaTest {
  @Test
  void recordsRoundTripThroughTheBrokerAndSurviveARestart() throws Exception {
    try (EmbeddedKafka kafka = EmbeddedKafka.start()) {
      kafka.createTopic("t", 2);
      Map<String, Object> pc = Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG,
          kafka.bootstrapServers(), ProducerConfig.ACKS_CONFIG, "all");
      try (KafkaProducer<String, String> p =
          new KafkaProducer<>(pc, new StringSerializer(), new StringSerializer())) {
        p.send(new ProducerRecord<>("t", "k1", "before")).get();
      }
      kafka.restart();
      try (KafkaProducer<String, String> p =
          new KafkaProducer<>(pc, new StringSerializer(), new StringSerializer())) {
        p.send(new ProducerRecord<>("t", "k1", "after")).get();
      }
      Map<String, Object> cc = Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG,
          kafka.bootstrapServers(), ConsumerConfig.GROUP_ID_CONFIG, "g",
          ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
      List<String> seen = new ArrayList<>();
      try (KafkaConsumer<String, String> c =
          new KafkaConsumer<>(cc, new StringDeserializer(), new StringDeserializer())) {
        c.subscribe(List.of("t"));
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (seen.size() < 2 && System.nanoTime() < deadline) {
          for (ConsumerRecord<String, String> r : c.poll(Duration.ofMillis(200))) {
            seen.add(r.value());
          }
        }
      }
      assertEquals(List.of("before", "after"), seen);
    }
  }
}
