package io.specwatch.ingest.kafka;

import io.specwatch.core.program.Program;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.BitSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.CooperativeStickyAssignor;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The first stage of the repartition step (docs/kafka.md, section 6): a member of the group
 * {@code <group>} on the input topics that re-produces each document to
 * {@code <group>-repartition}, once per partition its entity keys map to ({@link
 * RepartitionRouter}), and commits those copies together with the input offsets in one Kafka
 * transaction per polled batch. So a crash neither loses nor doubles a copy for the
 * {@code read_committed} second stage, and, as the stage holds no state that matters (see the
 * router), a restart simply continues from the committed offsets.
 *
 * <p>Each copy carries the original coordinates in headers ({@link #ORIGIN_TOPIC} ...), so the
 * second stage's violations point at the input record, as {@code check}'s would; records that
 * are no document (no value, over the size limit) are forwarded to partition 0 with no value and
 * the reason in {@link #MALFORMED}, so the second stage reports them once with that reason.
 */
final class RepartitionStage {
  static final String ORIGIN_TOPIC = "specwatch.origin.topic";
  static final String ORIGIN_PARTITION = "specwatch.origin.partition";
  static final String ORIGIN_OFFSET = "specwatch.origin.offset";
  static final String MALFORMED = "specwatch.malformed";
  private static final Logger LOG = LoggerFactory.getLogger(RepartitionStage.class);
  private static final long RETRY_BACKOFF_MS = 1000;
  /** How long resolving a `latest` position may take before the stage fails and is rebuilt. */
  private static final Duration RESOLVE_TIMEOUT = Duration.ofMinutes(1);

  private final KafkaSourceConfig config;
  /** The specs routing follows; a reload replaces them, taken up before the next batch. */
  private volatile List<Program> programs;
  private volatile boolean reloaded;
  private final KafkaSourceStats stats;
  private final CatchUp catchUp = new CatchUp();
  private volatile boolean running;
  private volatile KafkaConsumer<byte[], byte[]> consumer;
  private Thread thread;

  RepartitionStage(KafkaSourceConfig config, List<Program> programs, KafkaSourceStats stats) {
    this.config = config;
    this.programs = programs;
    this.stats = stats;
  }

  /**
   * Creates the repartition topic if absent (with the configured partition count) and refuses
   * an existing one with another count: partition = shard of the key, so the count is part of
   * the state's meaning.
   */
  static void ensureTopic(KafkaSourceConfig config, Admin admin)
      throws InterruptedException, ExecutionException {
    String name = config.repartitionTopic();
    KafkaTopics.ensure(admin, new NewTopic(name, config.repartitionPartitions(),
        config.replicationFactor()));
    int actual = admin.describeTopics(List.of(name)).allTopicNames().get().get(name)
        .partitions().size();
    if (actual != config.repartitionPartitions()) {
      throw new IllegalStateException("repartition topic " + name + " has " + actual
          + " partitions, the configuration says " + config.repartitionPartitions()
          + ": entity keys would land on other partitions than their state; use a new group or"
          + " the topic's partition count");
    }
  }

  /** Routes by {@code newPrograms} from the next batch on (the router's dedupe memory restarts). */
  void reload(List<Program> newPrograms) {
    programs = newPrograms;
    reloaded = true;
  }

  /** Joined, and every assigned input partition reached its end offset at assignment. */
  boolean caughtUp() {
    return catchUp.caughtUp();
  }

  synchronized void start() {
    running = true;
    thread = new Thread(this::runUntilStopped, "specwatch-repartition-" + config.groupId());
    thread.start();
  }

  /** Finishes (commits) the current batch and leaves the group. */
  synchronized void stop(Duration timeout) throws InterruptedException {
    running = false;
    KafkaConsumer<byte[], byte[]> c = consumer;
    if (c != null) {
      c.wakeup();
    }
    if (thread != null) {
      thread.join(timeout.toMillis());
    }
  }

  private void runUntilStopped() {
    while (running) {
      try {
        runOnce();
      } catch (WakeupException e) {
        // stopped: the open transaction (if any) is aborted on close
      } catch (Exception e) {
        catchUp.reset();
        if (!running) {
          break;
        }
        stats.recoveries.incrementAndGet();
        LOG.warn("repartition stage of {} failed, rebuilding it from the last commit: {}{}",
            config.groupId(), SecretText.redact(e.toString(), config.clientProperties()),
            KafkaSource.hint(e, config.transactionalId() + "-repartition"));
        try {
          TimeUnit.MILLISECONDS.sleep(RETRY_BACKOFF_MS); // production back-off, not a test wait
        } catch (InterruptedException ie) {
          Thread.currentThread().interrupt();
          return;
        }
      }
    }
  }

  private Properties clientProps() {
    Properties p = new Properties();
    p.put(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, config.bootstrapServers());
    return p;
  }

  private void runOnce() throws Exception {
    Properties ap = clientProps();
    ap.putAll(config.clientProperties());
    try (Admin admin = Admin.create(ap)) {
      ensureTopic(config, admin);
    }
    Properties pp = clientProps();
    pp.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, config.transactionalId() + "-repartition");
    pp.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
    pp.put(ProducerConfig.ACKS_CONFIG, "all");
    pp.put(ProducerConfig.LINGER_MS_CONFIG, "5");
    pp.put(ProducerConfig.TRANSACTION_TIMEOUT_CONFIG, "10000");
    pp.putAll(config.clientProperties());
    Properties cp = clientProps();
    cp.put(ConsumerConfig.GROUP_ID_CONFIG, config.groupId());
    cp.put(ConsumerConfig.GROUP_PROTOCOL_CONFIG, config.groupProtocol().name().toLowerCase());
    cp.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
    cp.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    cp.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG,
        config.startPosition() == KafkaSourceConfig.StartPosition.LATEST ? "latest" : "earliest");
    if (config.groupProtocol() == KafkaSourceConfig.GroupProtocol.CLASSIC) {
      cp.put(ConsumerConfig.PARTITION_ASSIGNMENT_STRATEGY_CONFIG,
          CooperativeStickyAssignor.class.getName());
    }
    cp.putAll(config.clientProperties());
    RepartitionRouter router = new RepartitionRouter(programs, config.repartitionPartitions(),
        config.dedupeLimits());
    KafkaEnvelope envelope = new KafkaEnvelope(programs);
    try (KafkaProducer<byte[], byte[]> producer =
            new KafkaProducer<>(pp, new ByteArraySerializer(), new ByteArraySerializer());
        KafkaConsumer<byte[], byte[]> c =
            new KafkaConsumer<>(cp, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
      producer.initTransactions();
      consumer = c;
      // `latest` positions resolved at assignment, committed by the next transaction: a stage
      // stopped before a partition's first record would otherwise resolve "latest" again when
      // it starts, and skip what was produced while it was down.
      Map<TopicPartition, OffsetAndMetadata> resolvedLatest = new HashMap<>();
      ConsumerRebalanceListener listener = new ConsumerRebalanceListener() {
        @Override
        public void onPartitionsRevoked(java.util.Collection<TopicPartition> partitions) {
          catchUp.revoked(partitions);
          stats.assignmentChanged(List.of(), partitions);
          // A partition assigned and revoked within one poll (members joining together) still
          // hands its resolved position over: its next owner would otherwise resolve again.
          Map<TopicPartition, OffsetAndMetadata> handOver = new HashMap<>();
          for (TopicPartition tp : partitions) {
            OffsetAndMetadata o = resolvedLatest.remove(tp);
            if (o != null) {
              handOver.put(tp, o);
            }
          }
          if (!handOver.isEmpty()) {
            transaction(producer, c, handOver, () -> { });
          }
        }

        @Override
        public void onPartitionsLost(java.util.Collection<TopicPartition> partitions) {
          // Another member owns them already: nothing may be committed for them.
          catchUp.revoked(partitions);
          stats.assignmentChanged(List.of(), partitions);
          resolvedLatest.keySet().removeAll(partitions);
        }

        @Override
        public void onPartitionsAssigned(java.util.Collection<TopicPartition> partitions) {
          if (config.startPosition() == KafkaSourceConfig.StartPosition.LATEST
              && !partitions.isEmpty()) {
            Map<TopicPartition, OffsetAndMetadata> committed =
                c.committed(new java.util.HashSet<>(partitions), RESOLVE_TIMEOUT);
            List<TopicPartition> fresh = new ArrayList<>();
            for (TopicPartition tp : partitions) {
              if (committed.get(tp) == null) {
                fresh.add(tp);
              }
            }
            if (!fresh.isEmpty()) { // seekToEnd of no partitions would seek every assigned one
              c.seekToEnd(fresh); // one offset request: the first position() resolves them all
            }
            for (TopicPartition tp : fresh) {
              resolvedLatest.put(tp, new OffsetAndMetadata(c.position(tp, RESOLVE_TIMEOUT)));
            }
          }
          catchUp.assigned(c, partitions);
          stats.assignmentChanged(partitions, List.of());
        }
      };
      if (config.topicPattern() != null) {
        c.subscribe(config.topicPattern(), listener);
      } else {
        c.subscribe(config.topics(), listener);
      }
      // One transaction per batch, committed before the next poll: a rebalance (which happens
      // inside poll) therefore never finds copies that are not committed with their offsets.
      while (running) {
        ConsumerRecords<byte[], byte[]> batch;
        try {
          batch = c.poll(Duration.ofMillis(100));
        } catch (WakeupException e) {
          if (running) {
            throw e;
          }
          break; // stopped: a batch is never half copied, so only resolved positions are left
        }
        catchUp.update(c, tp -> -1);
        for (TopicPartition tp : c.assignment()) {
          java.util.OptionalLong lag = c.currentLag(tp);
          if (lag.isPresent()) {
            stats.lag(tp, lag.getAsLong());
          }
        }
        if (batch.isEmpty() && resolvedLatest.isEmpty()) {
          continue;
        }
        if (reloaded) {
          reloaded = false;
          router = new RepartitionRouter(programs, config.repartitionPartitions(),
              config.dedupeLimits());
          envelope = new KafkaEnvelope(programs);
        }
        copy(batch, router, envelope, producer, c, resolvedLatest);
      }
      if (!resolvedLatest.isEmpty()) {
        copy(ConsumerRecords.empty(), router, envelope, producer, c, resolvedLatest);
      }
    } finally {
      consumer = null;
    }
  }

  /**
   * One transaction: what {@code sends} produces, then {@code offsets}, committed together or
   * aborted together. A failed transaction rebuilds the stage, which resolves its `latest`
   * positions again.
   */
  private static void transaction(KafkaProducer<byte[], byte[]> producer,
      KafkaConsumer<byte[], byte[]> c, Map<TopicPartition, OffsetAndMetadata> offsets,
      Runnable sends) {
    producer.beginTransaction();
    try {
      sends.run();
      producer.sendOffsetsToTransaction(offsets, c.groupMetadata());
      producer.commitTransaction();
    } catch (RuntimeException e) {
      try {
        producer.abortTransaction();
      } catch (RuntimeException ignored) {
        // fenced or broken: closing aborts, the next incarnation fences
      }
      throw e;
    }
  }

  /** The batch's copies with its offsets and the positions resolved since the last one. */
  private void copy(ConsumerRecords<byte[], byte[]> batch, RepartitionRouter router,
      KafkaEnvelope envelope, KafkaProducer<byte[], byte[]> producer,
      KafkaConsumer<byte[], byte[]> c, Map<TopicPartition, OffsetAndMetadata> resolvedLatest) {
    Map<TopicPartition, OffsetAndMetadata> offsets = new HashMap<>(resolvedLatest);
    resolvedLatest.clear();
    for (ConsumerRecord<byte[], byte[]> r : batch) {
      offsets.put(new TopicPartition(r.topic(), r.partition()),
          new OffsetAndMetadata(r.offset() + 1));
    }
    transaction(producer, c, offsets, () -> {
      for (ConsumerRecord<byte[], byte[]> r : batch) {
        forward(r, router, envelope, producer);
      }
    });
  }

  private void forward(ConsumerRecord<byte[], byte[]> r, RepartitionRouter router,
      KafkaEnvelope envelope, KafkaProducer<byte[], byte[]> producer) {
    stats.repartitionedRecords.incrementAndGet();
    RecordHeaders headers = new RecordHeaders();
    headers.add(ORIGIN_TOPIC, r.topic().getBytes(StandardCharsets.UTF_8));
    headers.add(ORIGIN_PARTITION, Integer.toString(r.partition()).getBytes(StandardCharsets.UTF_8));
    headers.add(ORIGIN_OFFSET, Long.toString(r.offset()).getBytes(StandardCharsets.UTF_8));
    String reason = KafkaSource.rejectionReason(r.value(), config.maxDocumentBytes());
    if (reason != null) {
      headers.add(MALFORMED, reason.getBytes(StandardCharsets.UTF_8));
      send(producer, 0, null, headers);
      return;
    }
    // `_kafka` (key, headers, coordinates) is spliced here, from the input record: the second
    // stage's own record metadata is the repartition topic's.
    byte[] doc = envelope.document(r);
    int len = envelope.length();
    BitSet targets = router.route(doc, len, new KafkaPosition(r.topic(), r.partition(), r.offset()));
    byte[] value = len == doc.length ? doc : Arrays.copyOf(doc, len);
    for (int p = targets.nextSetBit(0); p >= 0; p = targets.nextSetBit(p + 1)) {
      send(producer, p, value, headers);
    }
  }

  private void send(KafkaProducer<byte[], byte[]> producer, int partition, byte[] value,
      RecordHeaders headers) {
    stats.repartitionCopies.incrementAndGet();
    producer.send(new ProducerRecord<>(config.repartitionTopic(), partition, (byte[]) null, value, headers),
        (md, e) -> {
          if (e != null) {
            LOG.debug("repartition copy failed (the transaction will not commit): {}", e.toString());
          }
        });
  }
}
