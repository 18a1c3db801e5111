package io.specwatch.cli.run;

import io.specwatch.testkit.EmbeddedKafka;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;

/** What a {@code read_committed} reader of a one-partition violations topic sees. */
final class CommittedViolations {
  private CommittedViolations() {}

  /** "KEY RULE" of every committed violation on the topic, sorted. */
  static List<String> keyAndRule(EmbeddedKafka kafka, String topic) {
    Properties p = new Properties();
    p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
    p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    List<String> out = new ArrayList<>();
    try (KafkaConsumer<String, String> c = new KafkaConsumer<>(p, new StringDeserializer(),
        new StringDeserializer())) {
      TopicPartition tp = new TopicPartition(topic, 0);
      c.assign(List.of(tp));
      c.seekToBeginning(List.of(tp));
      long end = c.endOffsets(List.of(tp)).get(tp);
      long deadline = System.nanoTime() + InJvmDaemon.WAIT.toNanos();
      while (c.position(tp) < end && System.nanoTime() < deadline) {
        for (ConsumerRecord<String, String> r : c.poll(Duration.ofMillis(200))) {
          out.add(r.key() + " " + field(r.value(), "rule"));
        }
      }
    }
    out.sort(null);
    return out;
  }

  private static String field(String json, String name) {
    String marker = "\"" + name + "\":\"";
    int i = json.indexOf(marker) + marker.length();
    return json.substring(i, json.indexOf('"', i));
  }
}
