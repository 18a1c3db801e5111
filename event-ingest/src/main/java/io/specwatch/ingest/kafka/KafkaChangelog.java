package io.specwatch.ingest.kafka;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ListOffsetsOptions;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.IsolationLevel;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.utils.Utils;

/**
 * The compacted topic that holds one checkpoint per input partition, keyed
 * {@code group/topic/partition}. Checkpoints are written by the member's transactional producer,
 * in the same transaction as the violations and the consumer offsets they are consistent with;
 * they are read back with {@code read_committed}, so an aborted (crashed) transaction's
 * checkpoint is never restored.
 *
 * <p>The changelog partition of a key is chosen here (murmur2, as Kafka's default partitioner),
 * so a restore reads only the changelog partitions that can hold the keys it needs.
 */
final class KafkaChangelog implements AutoCloseable {
  /** Checkpoints can be larger than Kafka's 1 MB default record limit. */
  static final int MAX_CHECKPOINT_BYTES = 64 << 20;

  private final KafkaSourceConfig config;
  private final Map<String, Object> clientProps;
  private final Admin admin;
  private int partitions;
  private KafkaConsumer<byte[], byte[]> restoreConsumer;

  KafkaChangelog(KafkaSourceConfig config, Map<String, Object> clientProps, Admin admin) {
    this.config = config;
    this.clientProps = clientProps;
    this.admin = admin;
  }

  /** Creates the changelog (compacted) if absent and learns its partition count. */
  void ensureTopic() throws InterruptedException, ExecutionException {
    String name = config.changelogTopic();
    NewTopic topic = new NewTopic(name, config.changelogPartitions(), config.replicationFactor())
        .configs(Map.of("cleanup.policy", "compact",
            "max.message.bytes", String.valueOf(MAX_CHECKPOINT_BYTES),
            "segment.ms", "600000",
            "min.cleanable.dirty.ratio", "0.1"));
    KafkaTopics.ensure(admin, topic);
    awaitServed(name);
  }

  /**
   * A topic just created is not described, nor are its offsets served, by every part of the
   * broker at once; a restore then would fail with UnknownTopicOrPartition and cost the member a
   * rebuild. Waits until both work (bounded), and learns the partition count.
   */
  private void awaitServed(String name) throws InterruptedException, ExecutionException {
    long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
    while (true) {
      try {
        TopicDescription d = admin.describeTopics(List.of(name)).allTopicNames().get().get(name);
        Map<TopicPartition, OffsetSpec> all = new HashMap<>();
        d.partitions().forEach(p -> all.put(new TopicPartition(name, p.partition()), OffsetSpec.latest()));
        admin.listOffsets(all, new ListOffsetsOptions(IsolationLevel.READ_UNCOMMITTED)).all().get();
        partitions = d.partitions().size();
        return;
      } catch (ExecutionException e) {
        if (!(e.getCause() instanceof org.apache.kafka.common.errors.UnknownTopicOrPartitionException)
            || System.nanoTime() > deadline) {
          throw e;
        }
        Thread.sleep(50); // metadata propagation of a new topic; bounded by the deadline
      }
    }
  }

  String keyOf(TopicPartition tp) {
    return config.groupId() + "/" + tp.topic() + "/" + tp.partition();
  }

  private int changelogPartitionOf(byte[] key) {
    return Utils.toPositive(Utils.murmur2(key)) % partitions;
  }

  /** The record that makes {@code checkpoint} the state of {@code tp}. */
  ProducerRecord<byte[], byte[]> record(TopicPartition tp, byte[] checkpoint) {
    byte[] key = keyOf(tp).getBytes(StandardCharsets.UTF_8);
    return new ProducerRecord<>(config.changelogTopic(), changelogPartitionOf(key), key, checkpoint);
  }

  /**
   * The record saying that the violations of every record of {@code tp} before {@code offset}
   * are committed. Small, so it goes into every transaction, while the full checkpoint goes in
   * only every checkpoint interval. Same changelog partition as the checkpoint, so one read
   * restores both.
   */
  ProducerRecord<byte[], byte[]> progressRecord(TopicPartition tp, long offset) {
    byte[] checkpointKey = keyOf(tp).getBytes(StandardCharsets.UTF_8);
    byte[] key = (keyOf(tp) + PROGRESS_SUFFIX).getBytes(StandardCharsets.UTF_8);
    byte[] value = java.nio.ByteBuffer.allocate(Long.BYTES).putLong(offset).array();
    return new ProducerRecord<>(config.changelogTopic(), changelogPartitionOf(checkpointKey), key,
        value);
  }

  private static final String PROGRESS_SUFFIX = "#emitted";

  /** What the changelog holds for one input partition. */
  record Restored(byte[] checkpoint, long emittedUpTo) {}

  /**
   * The latest committed checkpoint of each input partition, for those that have one. Reads
   * each changelog partition involved up to its high watermark as it is now, so that a
   * transaction still open there (a crashed member's, until the broker aborts it) is waited out
   * rather than skipped: skipping it could restore a checkpoint older than one committed after it.
   */
  Map<TopicPartition, Restored> load(Collection<TopicPartition> inputs, Duration timeout)
      throws InterruptedException, ExecutionException {
    Map<String, TopicPartition> checkpointKeys = new HashMap<>();
    Map<String, TopicPartition> progressKeys = new HashMap<>();
    Map<TopicPartition, OffsetSpec> ends = new HashMap<>();
    for (TopicPartition tp : inputs) {
      String key = keyOf(tp);
      checkpointKeys.put(key, tp);
      progressKeys.put(key + PROGRESS_SUFFIX, tp);
      TopicPartition cp = new TopicPartition(config.changelogTopic(),
          changelogPartitionOf(key.getBytes(StandardCharsets.UTF_8)));
      ends.put(cp, OffsetSpec.latest());
    }
    Map<TopicPartition, byte[]> checkpoints = new HashMap<>();
    Map<TopicPartition, Long> progress = new HashMap<>();
    Map<TopicPartition, Restored> found = new HashMap<>();
    if (inputs.isEmpty()) {
      return found;
    }
    Map<TopicPartition, Long> highWatermarks = new HashMap<>();
    admin.listOffsets(ends, new ListOffsetsOptions(IsolationLevel.READ_UNCOMMITTED)).all().get()
        .forEach((tp, info) -> highWatermarks.put(tp, info.offset()));
    KafkaConsumer<byte[], byte[]> c = restoreConsumer();
    c.assign(highWatermarks.keySet());
    c.seekToBeginning(highWatermarks.keySet());
    long deadline = System.nanoTime() + timeout.toNanos();
    while (!caughtUp(c, highWatermarks)) {
      if (System.nanoTime() > deadline) {
        throw new KafkaException("restoring checkpoints from " + config.changelogTopic()
            + " did not reach its end within " + timeout + " (an open transaction?)");
      }
      for (ConsumerRecord<byte[], byte[]> r : c.poll(Duration.ofMillis(100))) {
        String key = new String(r.key(), StandardCharsets.UTF_8);
        TopicPartition tp = checkpointKeys.get(key);
        if (tp != null) {
          if (r.value() == null) {
            checkpoints.remove(tp);
          } else {
            checkpoints.put(tp, r.value());
          }
        }
        TopicPartition ptp = progressKeys.get(key);
        if (ptp != null && r.value() != null && r.value().length == Long.BYTES) {
          progress.put(ptp, java.nio.ByteBuffer.wrap(r.value()).getLong());
        }
      }
    }
    c.assign(List.of());
    checkpoints.forEach((tp, ckpt) -> found.put(tp, new Restored(ckpt, progress.getOrDefault(tp, -1L))));
    return found;
  }

  private static boolean caughtUp(KafkaConsumer<byte[], byte[]> c, Map<TopicPartition, Long> ends) {
    for (Map.Entry<TopicPartition, Long> e : ends.entrySet()) {
      if (c.position(e.getKey()) < e.getValue()) {
        return false;
      }
    }
    return true;
  }

  private KafkaConsumer<byte[], byte[]> restoreConsumer() {
    if (restoreConsumer == null) {
      Properties p = new Properties();
      p.putAll(clientProps);
      p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
      p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
      p.put(ConsumerConfig.MAX_PARTITION_FETCH_BYTES_CONFIG, String.valueOf(MAX_CHECKPOINT_BYTES));
      p.remove(ConsumerConfig.GROUP_ID_CONFIG);
      p.remove(ConsumerConfig.GROUP_PROTOCOL_CONFIG);
      restoreConsumer = new KafkaConsumer<>(p, new ByteArrayDeserializer(), new ByteArrayDeserializer());
    }
    return restoreConsumer;
  }

  @Override
  public void close() {
    if (restoreConsumer != null) {
      restoreConsumer.close(Duration.ofSeconds(1));
      restoreConsumer = null;
    }
  }
}
