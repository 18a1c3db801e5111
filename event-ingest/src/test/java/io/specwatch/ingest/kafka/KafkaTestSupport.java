package io.specwatch.ingest.kafka;

import io.specwatch.core.Violation;
import io.specwatch.core.engine.Monitor;
import io.specwatch.core.program.Program;
import io.specwatch.testkit.EmbeddedKafka;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.function.BooleanSupplier;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/** Real-broker helpers for the Kafka tests: produce, read back, wait, and the expected verdicts. */
final class KafkaTestSupport {
  private KafkaTestSupport() {}

  /** Client settings the tests pass through: a killed member is noticed in seconds, not 45 s. */
  static Map<String, String> fastFailover() {
    return Map.of("session.timeout.ms", "6000", "heartbeat.interval.ms", "1000");
  }

  static KafkaProducer<byte[], byte[]> producer(EmbeddedKafka kafka) {
    Properties p = new Properties();
    p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
    p.put(ProducerConfig.ACKS_CONFIG, "all");
    p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
    return new KafkaProducer<>(p, new ByteArraySerializer(), new ByteArraySerializer());
  }

  /**
   * Produces documents keyed by the value of {@code keyMember} (so all documents of an entity
   * land on one partition, as producers of audit events do), in order, and waits for the acks.
   */
  static void produce(KafkaProducer<byte[], byte[]> producer, String topic, List<String> docs,
      String keyMember) throws Exception {
    for (String doc : docs) {
      String key = keyOf(doc, keyMember);
      producer.send(new ProducerRecord<>(topic, key == null ? null : key.getBytes(StandardCharsets.UTF_8),
          doc.getBytes(StandardCharsets.UTF_8)));
    }
    producer.flush();
  }

  /** The string value of a top-level member, found textually (test documents are flat). */
  static String keyOf(String doc, String member) {
    String marker = "\"" + member + "\":\"";
    int i = doc.indexOf(marker);
    if (i < 0) {
      return null;
    }
    int start = i + marker.length();
    return doc.substring(start, doc.indexOf('"', start));
  }

  /**
   * Every committed record of a topic, in partition then offset order, read to its high
   * watermark: not just to the last stable offset, which a killed member's open transaction
   * holds back until the broker aborts it (the records committed after it would be missed).
   */
  static List<ConsumerRecord<byte[], byte[]>> readAll(EmbeddedKafka kafka, String topic) {
    Properties p = new Properties();
    p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
    p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    try (KafkaConsumer<byte[], byte[]> c =
        new KafkaConsumer<>(p, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
      List<TopicPartition> parts = new ArrayList<>();
      for (PartitionInfo pi : c.partitionsFor(topic)) {
        parts.add(new TopicPartition(topic, pi.partition()));
      }
      c.assign(parts);
      c.seekToBeginning(parts);
      Map<TopicPartition, Long> ends = new HashMap<>();
      try (Admin admin = kafka.admin()) {
        Map<TopicPartition, org.apache.kafka.clients.admin.OffsetSpec> latest = new HashMap<>();
        parts.forEach(tp -> latest.put(tp, org.apache.kafka.clients.admin.OffsetSpec.latest()));
        admin.listOffsets(latest).all().get().forEach((tp, info) -> ends.put(tp, info.offset()));
      } catch (Exception e) {
        throw new AssertionError("cannot read the end offsets of " + topic, e);
      }
      List<ConsumerRecord<byte[], byte[]>> out = new ArrayList<>();
      long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
      while (parts.stream().anyMatch(tp -> c.position(tp) < ends.get(tp))) {
        if (System.nanoTime() > deadline) {
          throw new AssertionError("could not read " + topic + " to its end");
        }
        c.poll(Duration.ofMillis(200)).forEach(out::add);
      }
      out.sort(Comparator.comparingInt((ConsumerRecord<byte[], byte[]> r) -> r.partition())
          .thenComparingLong(ConsumerRecord::offset));
      return out;
    }
  }

  static List<String> values(List<ConsumerRecord<byte[], byte[]>> records) {
    List<String> out = new ArrayList<>();
    for (ConsumerRecord<byte[], byte[]> r : records) {
      out.add(new String(r.value(), StandardCharsets.UTF_8));
    }
    return out;
  }

  /**
   * What {@code specwatch check} says about the input topic, partition by partition: each
   * partition's records, in offset order, through a fresh monitor, positions as Kafka positions.
   * Sorted, to compare as a multiset.
   */
  static List<String> expectedViolations(EmbeddedKafka kafka, String topic, List<Program> programs) {
    Map<Integer, Monitor> monitors = new HashMap<>();
    KafkaEnvelope envelope = new KafkaEnvelope(programs);
    List<Violation> out = new ArrayList<>();
    for (ConsumerRecord<byte[], byte[]> r : readAll(kafka, topic)) {
      Monitor m = monitors.computeIfAbsent(r.partition(), p -> new Monitor(programs));
      byte[] doc = envelope.document(r);
      m.accept(doc, 0, envelope.length(), new KafkaPosition(r.topic(), r.partition(), r.offset()),
          out::add);
    }
    List<String> json = TestSpecs.json(out);
    json.sort(null);
    return json;
  }

  /** The committed violations on the topic, sorted (a multiset: duplicates stay). */
  static List<String> committedViolations(EmbeddedKafka kafka, String topic) {
    List<String> v = values(readAll(kafka, topic));
    v.sort(null);
    return v;
  }

  /** Waits until the group's committed offsets reach the end of every partition of the topic. */
  static void awaitGroupCaughtUp(EmbeddedKafka kafka, String group, String topic, Duration timeout) {
    awaitCondition(() -> caughtUp(kafka, group, topic), timeout,
        "group " + group + " did not commit to the end of " + topic);
  }

  static long committedTotal(EmbeddedKafka kafka, String group) {
    try (Admin admin = kafka.admin()) {
      Map<TopicPartition, OffsetAndMetadata> committed =
          admin.listConsumerGroupOffsets(group).partitionsToOffsetAndMetadata().get();
      long sum = 0;
      for (OffsetAndMetadata o : committed.values()) {
        sum += o == null ? 0 : o.offset();
      }
      return sum;
    } catch (Exception e) {
      return -1; // broker restarting: not yet
    }
  }

  private static boolean caughtUp(EmbeddedKafka kafka, String group, String topic) {
    try (Admin admin = kafka.admin()) {
      Map<TopicPartition, OffsetAndMetadata> committed =
          admin.listConsumerGroupOffsets(group).partitionsToOffsetAndMetadata().get();
      int partitions = admin.describeTopics(List.of(topic)).allTopicNames().get().get(topic)
          .partitions().size();
      Map<TopicPartition, org.apache.kafka.clients.admin.OffsetSpec> latest = new HashMap<>();
      for (int p = 0; p < partitions; p++) {
        latest.put(new TopicPartition(topic, p), org.apache.kafka.clients.admin.OffsetSpec.latest());
      }
      var ends = admin.listOffsets(latest).all().get();
      for (var e : ends.entrySet()) {
        OffsetAndMetadata c = committed.get(e.getKey());
        long end = e.getValue().offset();
        if (end > 0 && (c == null || c.offset() < end)) {
          return false;
        }
      }
      return true;
    } catch (Exception e) {
      return false;
    }
  }

  /** Polls a condition until it holds or the deadline passes (no sleeping as synchronisation). */
  static void awaitCondition(BooleanSupplier condition, Duration timeout, String what) {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError(what + " within " + timeout);
      }
      try {
        Thread.sleep(100); // poll interval between condition checks, not a synchronisation
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new AssertionError("interrupted", e);
      }
    }
  }
}
