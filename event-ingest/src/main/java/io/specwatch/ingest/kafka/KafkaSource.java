package io.specwatch.ingest.kafka;

import io.specwatch.core.OversizedDocument;
import io.specwatch.core.Violation;
import io.specwatch.core.ViolationSink;
import io.specwatch.core.engine.Monitor;
import io.specwatch.core.engine.RuntimeStats;
import io.specwatch.core.engine.SpecRuntime;
import io.specwatch.core.json.DocumentDecoder;
import io.specwatch.core.program.Program;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.CooperativeStickyAssignor;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * specwatch as a member of a Kafka consumer group: reads the configured topics, applies each
 * record's value to the specs of its partition, and writes violations, progress marks, partition
 * checkpoints and consumer offsets in one Kafka transaction, so that a crash, a rebalance or a
 * broker outage neither loses, repeats nor invents a violation for a {@code read_committed}
 * reader of the violations topic. Full checkpoints are taken only every checkpoint interval; a
 * restore re-applies the records after one without emitting the violations already committed
 * (docs/kafka.md, section 5).
 *
 * <p>Each assigned partition has its own {@link Monitor} ({@link PartitionRuntime}); on
 * assignment its checkpoint is restored from the changelog before any of its records is applied,
 * on revocation everything is committed before it is handed over. Any error of the client stack
 * (fencing, an outage longer than the clients' timeouts, lost partitions) tears the whole member
 * down, aborting its open transaction, and builds it again from the last commit: simpler than
 * partial recovery, and correct because nothing uncommitted is ever visible.
 *
 * <p>One thread runs the member (poll, restore, commit, rebalances, reloads) and hands each
 * partition's records to one of its apply threads ({@link PartitionWorkers}): partitions are
 * applied in parallel, each in offset order, and the member waits for them before anything that
 * reads or replaces a partition's state, so the cut a transaction commits is exact (docs/kafka.md,
 * section 9). {@link #start()} starts it, {@link #stop(Duration)} finishes the current batch,
 * commits and closes. {@link #reloadSpecs} swaps the specs between two
 * batches; {@link #caughtUp()} says whether the member has consumed the backlog it was assigned.
 */
public final class KafkaSource implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(KafkaSource.class);
  private static final Duration RESTORE_TIMEOUT = Duration.ofMinutes(2);
  private static final long RETRY_BACKOFF_MS = 1000;
  /** Records per poll (Kafka's default is 500); see consumerProps. */
  static final int MAX_POLL_RECORDS = 5000;
  /** How often the member looks for instances split over partitions (one pass over its state). */
  private static final long SPLIT_SCAN_INTERVAL_NANOS = 30_000_000_000L;

  private final KafkaSourceConfig config;
  /** The running specs: replaced by the consumer thread when it applies a reload. */
  private volatile List<Program> programs;
  /** Reloads asked for and not yet applied, in order (each one's keep set is relative to the last). */
  private final ConcurrentLinkedQueue<PendingReload> reloads = new ConcurrentLinkedQueue<>();
  private final CatchUp catchUp = new CatchUp();
  private final ViolationSink committedViolations;
  private volatile java.util.function.Consumer<List<Violation>> writeAhead;
  private final KafkaSourceStats stats;
  /**
   * 0 for a source on the input topics; for the repartition step's second stage, the partition
   * count of the repartition topic: partition p's runtime then owns shard p of the entity keys.
   */
  private final int entityShards;
  /** With repartition on: the first stage, and the second stage this source delegates to. */
  private final RepartitionStage repartitionStage;
  private final KafkaSource entityStage;
  private boolean stagesStarted;
  private volatile boolean running;
  private volatile Member member;
  private Thread thread;

  /**
   * @param committedViolations receives each violation once its transaction committed (for
   *     other alert channels); may be null
   */
  public KafkaSource(KafkaSourceConfig config, List<Program> programs,
      ViolationSink committedViolations) {
    this(config, programs, committedViolations, new KafkaSourceStats(), 0);
  }

  private KafkaSource(KafkaSourceConfig config, List<Program> programs,
      ViolationSink committedViolations, KafkaSourceStats stats, int entityShards) {
    this.config = config;
    this.programs = List.copyOf(programs);
    this.committedViolations = committedViolations;
    this.stats = stats;
    this.entityShards = entityShards;
    if (config.repartition()) {
      // Both stages count into one stats object: `records` are then the second stage's copies.
      this.repartitionStage = new RepartitionStage(config, this.programs, stats);
      this.entityStage = new KafkaSource(config.entityStage(), this.programs, committedViolations,
          stats, config.repartitionPartitions());
    } else {
      this.repartitionStage = null;
      this.entityStage = null;
    }
  }

  public KafkaSourceStats stats() {
    return stats;
  }

  /**
   * Whether the member has joined its group and every partition assigned to it has reached the
   * end offset it had when assigned (its lag was 0 once): the Kafka part of readiness. With the
   * repartition step, both stages. False again while a rebuilt member (after an error) rejoins,
   * and while newly assigned partitions catch up. Thread-safe.
   */
  public boolean caughtUp() {
    if (repartitionStage != null) {
      return repartitionStage.caughtUp() && entityStage.caughtUp();
    }
    return catchUp.caughtUp();
  }

  /**
   * Replaces the specs of every partition's runtime. Thread-safe and non-blocking: the consumer
   * thread applies it between two batches. Per spec of {@code newPrograms}: named in
   * {@code keepState} (its state layout is unchanged, as deploy's reload decides), its
   * instances, deadlines, dedupe memory and watermark carry over; otherwise it starts afresh.
   * Specs not in {@code newPrograms} are dropped. A spec named in {@code keepState} whose layout
   * did change after all starts afresh too (importing would misread its state) and is logged.
   *
   * <p>Consistency with the changelog: the violations raised up to the reload and a full
   * checkpoint of every partition under the new specs are committed in one transaction, so a
   * restart after the reload restores state that matches the new specs (docs/kafka.md, section
   * 5, "Spec reloads"). With the repartition step both stages reload (the first stage routes by
   * the new specs from its next batch on).
   *
   * @return completes when the consumer thread has applied the reload (at once if the source
   *     is not running: the next start uses the new specs)
   */
  public CompletableFuture<Void> reloadSpecs(List<Program> newPrograms, Set<String> keepState) {
    List<Program> next = List.copyOf(newPrograms);
    Set<String> keep = Set.copyOf(keepState);
    if (repartitionStage != null) {
      programs = next;
      repartitionStage.reload(next);
      return entityStage.reloadSpecs(next, keep);
    }
    PendingReload r = new PendingReload(next, keep, new CompletableFuture<>());
    synchronized (this) {
      if (!running) {
        programs = next; // not consuming: nothing to carry over; start() uses these
        r.done.complete(null);
        return r.done;
      }
      reloads.add(r);
    }
    return r.done;
  }

  /** A reload asked for, applied by the consumer thread. */
  private record PendingReload(List<Program> programs, Set<String> keep, CompletableFuture<Void> done) {}

  /**
   * Where each transaction's violations go just BEFORE it commits (null: nowhere), on the
   * member's thread. A local file written there and then committed cannot lose a violation to a
   * crash between the commit and the write (the daemon's JSONL sinks; docs/operations.md). The
   * price: a batch written here may belong to a transaction that then aborts, and its records'
   * violations are raised again after the restore, so the receiver must skip what it already
   * holds. If it throws, the transaction is not committed and the member rebuilds. Set before
   * {@link #start()}.
   */
  public void writeAheadTo(java.util.function.Consumer<List<Violation>> beforeCommit) {
    this.writeAhead = beforeCommit;
    if (entityStage != null) {
      entityStage.writeAheadTo(beforeCommit); // the second stage is the one that raises them
    }
  }

  /** Starts the member's thread; it joins the group and keeps rejoining after errors. */
  public synchronized void start() {
    if (thread != null || stagesStarted) {
      throw new IllegalStateException("already started");
    }
    if (repartitionStage != null) {
      stagesStarted = true; // the two stages run their own threads
      repartitionStage.start();
      entityStage.start();
      return;
    }
    running = true;
    thread = new Thread(this::runUntilStopped, "specwatch-kafka-" + config.groupId());
    thread.start();
  }

  /** Finishes the current batch, commits state, violations and offsets, leaves the group. */
  public synchronized void stop(Duration timeout) throws InterruptedException {
    if (repartitionStage != null) {
      // First stage first: the second then drains what it committed, and commits its own.
      repartitionStage.stop(timeout);
      entityStage.stop(timeout);
      return;
    }
    running = false;
    Member m = member;
    if (m != null) {
      m.consumer.wakeup();
    }
    if (thread != null) {
      thread.join(timeout.toMillis());
    }
    // Reloads the thread did not get to: their specs are what a restart should run.
    for (PendingReload r; (r = reloads.poll()) != null; ) {
      programs = r.programs;
      r.done.complete(null);
    }
  }

  @Override
  public void close() throws InterruptedException {
    stop(Duration.ofSeconds(30));
  }

  private void runUntilStopped() {
    while (running) {
      Member m = null;
      try {
        m = new Member();
        member = m;
        m.run();
      } catch (WakeupException e) {
        // stop() while joining or restoring: nothing applied since the last commit is lost
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      } catch (Exception e) {
        if (!running) {
          break;
        }
        stats.recoveries.incrementAndGet();
        LOG.warn("kafka member of group {} failed, rebuilding it from the last commit: {}{}",
            config.groupId(), SecretText.redact(e.toString(), config.clientProperties()),
            hint(e, config.transactionalId()));
        try {
          TimeUnit.MILLISECONDS.sleep(RETRY_BACKOFF_MS); // production back-off, not a test wait
        } catch (InterruptedException ie) {
          Thread.currentThread().interrupt();
          return;
        }
      } finally {
        member = null;
        catchUp.reset();
        if (m != null) {
          m.abortAndClose();
        }
      }
    }
  }

  /**
   * What an operator can do about a member failure that is a setting rather than an outage, or
   * "" when it is not one of those.
   */
  static String hint(Throwable e, String transactionalId) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof org.apache.kafka.common.errors.ProducerFencedException
          || t instanceof org.apache.kafka.common.errors.InvalidProducerEpochException) {
        return " (another live process uses the transactional id " + transactionalId
            + " and fenced this one: give each member its own; or this member was paused past the"
            + " transaction timeout and has been replaced)";
      }
      if (t instanceof org.apache.kafka.common.config.ConfigException) {
        return " (a Kafka client setting is invalid: check the properties passed to the clients,"
            + " e.g. sources.kafka.properties)";
      }
      if (t instanceof org.apache.kafka.common.errors.AuthenticationException) {
        return " (the broker refused the credentials: check the security settings passed to the"
            + " clients, e.g. sources.kafka.properties)";
      }
      if (t instanceof org.apache.kafka.common.errors.AuthorizationException) {
        return " (the principal lacks a permission: specwatch needs Read on the input topics,"
            + " the group and the changelog, Write on the changelog, the violations topic and the"
            + " transactional id, and Create only on topics that do not exist yet; docs/kafka.md"
            + " section 1)";
      }
    }
    return "";
  }

  /**
   * Creates the violations topic if absent (one partition, so its violations are totally
   * ordered; create it beforehand for more), as brokers often do not auto-create topics: a
   * missing topic would otherwise stall every send for {@code max.block.ms} and fail the member
   * over and over. A refusal (no permission to create) is logged; the sends then say the rest.
   */
  private void ensureViolationsTopic(Admin admin) throws InterruptedException {
    try {
      KafkaTopics.ensure(admin, new org.apache.kafka.clients.admin.NewTopic(
          config.violationsTopic(), 1, config.replicationFactor()));
    } catch (java.util.concurrent.ExecutionException e) {
      LOG.warn("cannot create the violations topic {}: {}", config.violationsTopic(),
          e.getCause().toString());
    }
  }

  /** The properties every client gets: bootstrap, then the user's passthrough (SASL, TLS...). */
  private Map<String, Object> commonProps() {
    Map<String, Object> p = new HashMap<>();
    p.put(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, config.bootstrapServers());
    return p;
  }

  private void applyPassthrough(Properties p) {
    p.putAll(config.clientProperties());
  }

  /** One incarnation of the group member: its clients and the partitions it owns. */
  private final class Member implements ConsumerRebalanceListener {
    final Admin admin;
    final KafkaChangelog changelog;
    final KafkaProducer<byte[], byte[]> producer;
    final KafkaConsumer<byte[], byte[]> consumer;
    /** Apply the records of the owned partitions, each on one thread (docs/kafka.md, section 9). */
    final PartitionWorkers workers;
    final Map<TopicPartition, PartitionRuntime> owned = new HashMap<>();
    final List<Violation> uncommitted = new ArrayList<>();
    /**
     * The violations and "invariant holds again" signals of the open transaction, in the order
     * raised: handed on only once it commits, so an alert never fires on, or resolves by, a
     * verdict a crash would take back. The order matters: a repair and a new break in one
     * transaction must reach the alert tracker in that order.
     */
    final List<Object> toDeliver = new ArrayList<>();
    boolean inTransaction;
    /** Set when tearing down: callbacks from close() must not commit. */
    boolean abandoning;
    long lastCommitNanos = System.nanoTime();
    long lastSplitScanNanos = System.nanoTime();
    long splitsWarnedAbout;

    Member() throws Exception {
      Properties ap = new Properties();
      ap.putAll(commonProps());
      applyPassthrough(ap);
      admin = Admin.create(ap);
      Map<String, Object> common = new HashMap<>(commonProps());
      config.clientProperties().forEach(common::put);
      changelog = new KafkaChangelog(config, common, admin);
      KafkaProducer<byte[], byte[]> p = null;
      KafkaConsumer<byte[], byte[]> c = null;
      try {
        changelog.ensureTopic();
        ensureViolationsTopic(admin);
        p = new KafkaProducer<>(producerProps(), new ByteArraySerializer(), new ByteArraySerializer());
        p.initTransactions(); // fences a crashed predecessor with the same transactional id
        c = new KafkaConsumer<>(consumerProps(), new ByteArrayDeserializer(), new ByteArrayDeserializer());
      } catch (Exception e) {
        if (p != null) {
          p.close(Duration.ZERO);
        }
        changelog.close();
        admin.close(Duration.ZERO);
        throw e;
      }
      producer = p;
      consumer = c;
      List<Program> specs = programs;
      workers = new PartitionWorkers(config.applyThreadCount(),
          i -> new RecordApplier(config, entityShards, stats, specs), "specwatch-kafka-" + config.groupId());
    }

    private Properties producerProps() {
      Properties p = new Properties();
      p.putAll(commonProps());
      p.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, config.transactionalId());
      p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
      p.put(ProducerConfig.ACKS_CONFIG, "all");
      p.put(ProducerConfig.LINGER_MS_CONFIG, "5");
      p.put(ProducerConfig.MAX_REQUEST_SIZE_CONFIG, String.valueOf(KafkaChangelog.MAX_CHECKPOINT_BYTES));
      // As Kafka Streams: a crashed member's open transaction blocks its partitions' readers
      // (and their new owner's restore) until the broker aborts it after this long.
      p.put(ProducerConfig.TRANSACTION_TIMEOUT_CONFIG, "10000");
      applyPassthrough(p);
      return p;
    }

    private Properties consumerProps() {
      Properties p = new Properties();
      p.putAll(commonProps());
      p.put(ConsumerConfig.GROUP_ID_CONFIG, config.groupId());
      p.put(ConsumerConfig.GROUP_PROTOCOL_CONFIG, config.groupProtocol().name().toLowerCase());
      p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
      p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
      p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG,
          config.startPosition() == KafkaSourceConfig.StartPosition.LATEST ? "latest" : "earliest");
      // A poll hands out the records of one partition's fetch before the next one's: with
      // Kafka's 500, a batch is mostly one partition and the apply threads take turns instead of
      // working at once (measured: docs/kafka.md, section 9). The consumer's fetch sizes bound
      // the memory anyway.
      p.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, String.valueOf(MAX_POLL_RECORDS));
      if (config.groupProtocol() == KafkaSourceConfig.GroupProtocol.CLASSIC) {
        // Incremental rebalances: a member keeps (and need not restore) the partitions it keeps.
        p.put(ConsumerConfig.PARTITION_ASSIGNMENT_STRATEGY_CONFIG,
            CooperativeStickyAssignor.class.getName());
      }
      applyPassthrough(p);
      return p;
    }

    void run() throws Exception {
      if (config.topicPattern() != null) {
        consumer.subscribe(config.topicPattern(), this);
      } else {
        consumer.subscribe(config.topics(), this);
      }
      producer.beginTransaction();
      inTransaction = true;
      try {
        while (running) {
          applyReloads();
          long t0 = System.nanoTime();
          // The apply threads work through the previous batch meanwhile (poll, fetch and
          // decompression overlap with evaluation)...
          ConsumerRecords<byte[], byte[]> batch = consumer.poll(Duration.ofMillis(100));
          stats.pollNanos.addAndGet(System.nanoTime() - t0);
          // ...but never more than one batch: the memory held is bounded by one poll.
          long tw = System.nanoTime();
          workers.awaitIdle();
          long t2 = System.nanoTime();
          stats.applyWaitNanos.addAndGet(t2 - tw);
          updateCatchUp(batch.isEmpty());
          if (t2 - lastCommitNanos >= config.commitInterval().toNanos()) {
            // The cut is taken now, before this batch; the batch is applied while the
            // transaction commits (its violations go into the next one).
            polledNotApplied = batch.partitions();
            boolean open;
            try {
              open = prepareCommit(false);
            } finally {
              polledNotApplied = Set.of();
            }
            dispatch(batch);
            if (open) {
              finishCommit();
            }
            long took = System.nanoTime() - t2;
            stats.commitNanos.addAndGet(took);
            stats.longestCommitNanos.accumulateAndGet(took, Math::max);
          } else {
            dispatch(batch);
          }
          if (t2 - lastSplitScanNanos >= SPLIT_SCAN_INTERVAL_NANOS) {
            lastSplitScanNanos = t2;
            workers.awaitIdle();
            scanForSplitInstances();
          }
        }
      } catch (WakeupException e) {
        if (running) {
          throw e;
        }
      }
      // Stopped: the batch is applied; commit it, then leave the group without committing again.
      commit(true);
      scanForSplitInstances(); // so that a short run reports split instances too
      abandoning = true;
    }

    /** Hands each partition's records of the batch to its apply thread. */
    void dispatch(ConsumerRecords<byte[], byte[]> batch) {
      for (TopicPartition tp : batch.partitions()) {
        PartitionRuntime rt = owned.get(tp);
        if (rt != null) { // else revoked during this poll
          workers.submit(rt, batch.records(tp));
        }
      }
    }

    /**
     * Updates "caught up" with the apply threads idle. When the last poll returned records, they
     * are not applied yet while the consumer's position and lag are past them, so only the
     * runtimes' next offsets count; after an empty poll everything polled is applied, and the
     * position (which moves past transaction markers) and the lag count too.
     */
    void updateCatchUp(boolean nothingPolled) {
      java.util.function.ToLongFunction<TopicPartition> next = tp -> {
        PartitionRuntime rt = owned.get(tp);
        return rt == null ? -1 : rt.nextOffset;
      };
      if (nothingPolled) {
        catchUp.update(consumer, next);
      } else {
        catchUp.updateApplied(next);
      }
    }

    /**
     * Hands what the apply threads raised since the last commit to the open transaction, apply
     * thread by apply thread (each one's in the order raised, so one instance's violations and
     * repairs stay in order: an instance lives in one partition, a partition on one thread).
     */
    void collectRaised() {
      workers.forEachApplier(a -> a.drainTo(item -> {
        if (item instanceof Violation) {
          emit((Violation) item);
        } else {
          toDeliver.add(item);
        }
      }));
    }

    /**
     * Applies the reloads asked for since the last batch: every partition gets a monitor of the
     * new specs carrying the kept specs' state, and the next transaction, committed at once,
     * holds the violations raised so far (under the old specs) together with a full checkpoint
     * of every partition under the new ones. Either both are committed, and a restore resumes
     * under the new specs exactly where the reload happened, or neither is, and a restore takes
     * the previous checkpoint spec by spec ({@link PartitionCheckpoint}).
     */
    void applyReloads() {
      if (reloads.isEmpty()) {
        return;
      }
      workers.awaitIdle(); // no runtime may be replaced while a thread applies records to it
      for (PendingReload r; (r = reloads.poll()) != null; ) {
        try {
          Set<String> refused = new java.util.TreeSet<>();
          for (PartitionRuntime rt : owned.values()) {
            Monitor next = newMonitor(rt.partition, r.programs);
            refused.addAll(SpecCarryOver.carry(rt.monitor, next, r.keep));
            countRefusedInstances(rt);
            rt.monitor = next;
            rt.instancesRefusedCounted = 0;
            rt.dedupeIdsUnrecordedCounted = 0;
            // A partition that never applied a record has no state to checkpoint yet.
            rt.mustCheckpoint |= rt.nextOffset >= 0;
          }
          programs = r.programs;
          List<Program> reloaded = r.programs;
          workers.forEachApplier(a -> a.use(reloaded));
          stats.specReloads.incrementAndGet();
          if (!refused.isEmpty()) {
            LOG.warn("specs {} were to keep their state on reload but their state layout changed;"
                + " they start afresh", refused);
          }
          LOG.info("specs reloaded in {} partitions of {}", owned.size(), config.groupId());
          commit(false);
        } finally {
          r.done.complete(null); // in effect even if the commit failed: the rebuild restores under it
        }
      }
    }

    /** A runtime of {@code specs} for {@code tp}: capped, and sharded in the repartition step. */
    Monitor newMonitor(TopicPartition tp, List<Program> specs) {
      // Second stage of the repartition step: partition p owns shard p of the entity keys, the
      // same function the first stage routed copies by.
      return entityShards > 0
          ? new Monitor(specs, DocumentDecoder.DEFAULT_MAX_DEPTH, tp.partition(), entityShards,
              config.maxLiveInstancesPerPartition(), config.dedupeLimits())
          : new Monitor(specs, DocumentDecoder.DEFAULT_MAX_DEPTH, 0, 1,
              config.maxLiveInstancesPerPartition(), config.dedupeLimits());
    }

    /**
     * Adds what the partition's runtime refused (live-instance cap) and did not record (dedupe-id
     * cap) since last counted.
     */
    void countRefusedInstances(PartitionRuntime rt) {
      long refused = 0;
      long unrecorded = 0;
      for (SpecRuntime s : rt.monitor.runtimes()) {
        RuntimeStats st = s.stats();
        refused += st.instancesRefused;
        unrecorded += st.unrecordedIds;
      }
      stats.instancesRefused.addAndGet(refused - rt.instancesRefusedCounted);
      rt.instancesRefusedCounted = refused;
      stats.dedupeIdsUnrecorded.addAndGet(unrecorded - rt.dedupeIdsUnrecordedCounted);
      rt.dedupeIdsUnrecordedCounted = unrecorded;
    }

    /** Updates the metric, and warns when more instances than before are split over partitions. */
    void scanForSplitInstances() {
      List<SplitInstanceDetector.Split> splits = SplitInstanceDetector.scan(owned.values());
      stats.instancesOnSeveralPartitions.set(splits.size());
      if (splits.size() > splitsWarnedAbout) {
        LOG.warn("{} entity instances are held by several partitions of {} (their documents are"
            + " spread over partitions, so their verdicts are unreliable; key the records by"
            + " entity, see docs/kafka.md), e.g. {}", splits.size(), config.groupId(),
            splits.subList(0, Math.min(5, splits.size())));
      }
      splitsWarnedAbout = splits.size();
    }

    private void emit(Violation v) {
      producer.send(violationRecord(config.violationsTopic(), v));
      uncommitted.add(v);
      toDeliver.add(v);
    }

    /**
     * Commits one transaction: the violations raised since the last one, for every partition that
     * applied records how far its violations are now committed (a few bytes) and its offset, and,
     * the full state of partitions that changed since their last checkpoint: all of them when
     * {@code all} (hand-over, stop), else at most one whose checkpoint is older than the checkpoint
     * interval. A full checkpoint costs in proportion to the state, so it is taken rarely and
     * partitions take turns, which spreads the pause, while violations commit every commit interval.
     */
    void commit(boolean all) {
      if (prepareCommit(all)) {
        finishCommit();
      }
    }

    /**
     * The first half of {@link #commit}, on the member's thread with the apply threads idle:
     * takes the cut (what was raised, the idle watermark, checkpoints, progress marks, offsets)
     * and sends it into the open transaction. Returns whether there is anything to commit. After
     * it, records may be handed to the apply threads again: what they change and raise belongs to
     * the next transaction, so {@link #finishCommit} (network round trips to the coordinator)
     * overlaps with applying the next batch.
     */
    boolean prepareCommit(boolean all) {
      workers.awaitIdle(); // the cut: every record handed to the apply threads is applied
      collectRaised();
      long now = System.nanoTime();
      lastCommitNanos = now;
      if (config.idlePartitionsFollowWatermark()) {
        long[] idle = {0};
        stats.idleAdvances.addAndGet(MemberWatermark.advanceIdle(owned.values(), rt -> {
          boolean isIdle = isIdle(rt, now);
          idle[0] += isIdle ? 1 : 0;
          return isIdle;
        }, this::emit));
        stats.idlePartitions.set(idle[0]);
      }
      Map<TopicPartition, OffsetAndMetadata> offsets = new HashMap<>();
      boolean wroteCheckpoint = false;
      PartitionRuntime due = null;
      for (PartitionRuntime rt : owned.values()) {
        if (rt.needsCheckpoint && now - rt.lastCheckpointNanos >= config.checkpointInterval().toNanos()
            && (due == null || rt.lastCheckpointNanos < due.lastCheckpointNanos)) {
          due = rt;
        }
      }
      for (PartitionRuntime rt : owned.values()) {
        // A partition's first checkpoint is never deferred: a progress mark must always have a
        // checkpoint at or before it to re-apply from.
        boolean first = rt.nextOffset >= 0 && !rt.everCheckpointed;
        if (rt.mustCheckpoint || rt.needsCheckpoint && (all || first || rt == due)) {
          long te = System.nanoTime();
          byte[] checkpoint = PartitionCheckpoint.encode(rt.monitor, rt.nextOffset);
          stats.checkpointEncodeNanos.addAndGet(System.nanoTime() - te);
          stats.checkpointBytes.addAndGet(checkpoint.length);
          producer.send(changelog.record(rt.partition, checkpoint));
          rt.needsCheckpoint = false;
          rt.mustCheckpoint = false;
          rt.everCheckpointed = true;
          rt.lastCheckpointNanos = now;
          wroteCheckpoint = true;
        }
        if (rt.dirty) {
          producer.send(changelog.progressRecord(rt.partition, rt.nextOffset));
          offsets.put(rt.partition, new OffsetAndMetadata(rt.nextOffset));
          rt.dirty = false; // at the cut: the apply threads may set it again for the next one
        }
        countRefusedInstances(rt); // reads the runtime: only while the apply threads are idle
      }
      if (offsets.isEmpty() && uncommitted.isEmpty() && !wroteCheckpoint) {
        return false;
      }
      cutOffsets = offsets;
      cutGroup = consumer.groupMetadata();
      cutHasCheckpoint = wroteCheckpoint;
      return true;
    }

    /**
     * Partitions with records polled and not applied yet at the cut: not idle, whatever their
     * last applied record's age (their records are in hand, and go first).
     */
    private Set<TopicPartition> polledNotApplied = Set.of();

    /** What {@link #prepareCommit} took for {@link #finishCommit}. */
    private Map<TopicPartition, OffsetAndMetadata> cutOffsets;
    private org.apache.kafka.clients.consumer.ConsumerGroupMetadata cutGroup;
    private boolean cutHasCheckpoint;

    /**
     * The second half of {@link #commit}: commits the transaction {@link #prepareCommit} filled,
     * hands its violations on, and opens the next. Touches nothing the apply threads use.
     */
    void finishCommit() {
      if (!cutOffsets.isEmpty()) {
        producer.sendOffsetsToTransaction(cutOffsets, cutGroup);
      }
      java.util.function.Consumer<List<Violation>> ahead = writeAhead;
      if (ahead != null && !uncommitted.isEmpty()) {
        ahead.accept(List.copyOf(uncommitted));
      }
      producer.commitTransaction();
      inTransaction = false;
      measureLag();
      stats.commits.incrementAndGet();
      if (cutHasCheckpoint) {
        stats.checkpoints.incrementAndGet();
      }
      stats.violationsCommitted.addAndGet(uncommitted.size());
      if (committedViolations != null) {
        for (Object item : toDeliver) {
          if (item instanceof Violation) {
            committedViolations.accept((Violation) item);
          } else {
            ((io.specwatch.core.InvariantHeldAgain) item).replayTo(committedViolations);
          }
        }
      }
      uncommitted.clear();
      toDeliver.clear();
      producer.beginTransaction();
      inTransaction = true;
    }

    /** Per partition: the consumer's lag (known locally, no request). */
    private void measureLag() {
      for (PartitionRuntime rt : owned.values()) {
        java.util.OptionalLong lag = consumer.currentLag(rt.partition);
        if (lag.isPresent()) {
          stats.lag(rt.partition, lag.getAsLong());
        }
      }
    }

    /**
     * Idle: no record for the idle timeout and nothing left to fetch (a partition that is merely
     * behind is not idle: its records are coming, and they hold the watermark back).
     */
    private boolean isIdle(PartitionRuntime rt, long now) {
      return !polledNotApplied.contains(rt.partition)
          && now - rt.lastRecordNanos >= config.idlePartitionTimeout().toNanos()
          && consumer.currentLag(rt.partition).orElse(0) == 0;
    }

    @Override
    public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
      if (!abandoning && !partitions.isEmpty()) {
        commit(true); // hand over exactly what was applied, with a checkpoint to resume from
      }
      partitions.forEach(owned::remove);
      catchUp.revoked(partitions);
      stats.assignedPartitions.set(owned.size());
      stats.assignmentChanged(List.of(), partitions);
    }

    @Override
    public void onPartitionsLost(Collection<TopicPartition> partitions) {
      if (abandoning || partitions.isEmpty()) {
        partitions.forEach(owned::remove);
        catchUp.revoked(partitions);
        stats.assignmentChanged(List.of(), partitions);
        return;
      }
      // Another member may own them already: what this member applied for them must never be
      // committed, and the open transaction holds it; so abort everything and rebuild.
      throw new KafkaException("partitions lost " + partitions + ": rebuilding the member");
    }

    @Override
    public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
      if (partitions.isEmpty()) {
        catchUp.assigned(consumer, partitions); // joined, with nothing (new) to catch up on
        return;
      }
      Map<TopicPartition, KafkaChangelog.Restored> checkpoints;
      try {
        checkpoints = changelog.load(partitions, RESTORE_TIMEOUT);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new KafkaException("interrupted while restoring checkpoints", e);
      } catch (java.util.concurrent.ExecutionException e) {
        throw new KafkaException("cannot restore checkpoints: " + e.getCause(), e.getCause());
      }
      if (config.startPosition() == KafkaSourceConfig.StartPosition.LATEST) {
        List<TopicPartition> fresh = new ArrayList<>(partitions);
        fresh.removeAll(checkpoints.keySet());
        // Never with an empty list: seekToEnd of no partitions seeks every assigned one.
        if (!fresh.isEmpty()) {
          consumer.seekToEnd(fresh);
        }
      }
      List<Program> specs = programs;
      List<PartitionRuntime> latest = new ArrayList<>();
      for (TopicPartition tp : partitions) {
        Monitor m = null;
        KafkaChangelog.Restored restored = checkpoints.get(tp);
        long next = -1;
        if (restored != null) {
          PartitionCheckpoint.Restored r =
              PartitionCheckpoint.restore(restored.checkpoint(), () -> newMonitor(tp, specs));
          m = r.monitor();
          next = r.position();
          if (!r.restarted().isEmpty() || !r.dropped().isEmpty()) {
            // Written by an older layout (before a reload, or by a member with other specs).
            stats.specsStartedAfreshOnRestore.addAndGet(r.restarted().size());
            LOG.info("{}: checkpoint written by other specs: {} start afresh (state layout"
                + " changed), {} no longer run", tp, r.restarted(), r.dropped());
          }
          consumer.seek(tp, next);
          stats.restores.incrementAndGet();
        } else if (config.startPosition() == KafkaSourceConfig.StartPosition.EARLIEST) {
          consumer.seekToBeginning(List.of(tp));
        }
        if (m == null) {
          m = newMonitor(tp, specs);
        }
        PartitionRuntime rt = new PartitionRuntime(tp, m, next);
        if (restored == null && config.startPosition() == KafkaSourceConfig.StartPosition.LATEST) {
          latest.add(rt);
        }
        rt.worker = workers.leastLoaded(owned.values());
        rt.everCheckpointed = restored != null;
        rt.emittedUpTo = restored == null ? -1 : Math.max(next, restored.emittedUpTo());
        owned.put(tp, rt);
      }
      // Resolved now, and committed (with an empty checkpoint) by the next transaction: a
      // member stopped before the partition's first record would otherwise resolve "latest"
      // again when it starts, and skip what was produced while it was down. After the loop,
      // when every restored partition has its position, so that the first position() asks
      // for these ends alone, in one request.
      for (PartitionRuntime rt : latest) {
        rt.nextOffset = consumer.position(rt.partition, RESTORE_TIMEOUT);
        rt.mustCheckpoint = true;
        rt.dirty = true;
      }
      stats.assignedPartitions.set(owned.size());
      stats.assignmentChanged(partitions, List.of());
      catchUp.assigned(consumer, partitions);
      LOG.info("assigned {} ({} restored from {})", partitions, checkpoints.size(),
          config.changelogTopic());
    }

    /** Closes the clients; an open transaction is aborted (or fenced by the next incarnation). */
    void abortAndClose() {
      abandoning = true;
      workers.close(); // what they applied and raised since the last commit is abandoned
      if (inTransaction) {
        try {
          producer.abortTransaction();
        } catch (RuntimeException e) {
          LOG.debug("abort failed; the next incarnation fences the transaction: {}", e.toString());
        }
      }
      try {
        consumer.close(Duration.ofSeconds(5));
      } catch (RuntimeException e) {
        LOG.debug("consumer close: {}", e.toString());
      }
      producer.close(Duration.ofSeconds(5));
      changelog.close();
      admin.close(Duration.ofSeconds(5));
    }
  }

  /** Why a record's value is not a document to parse (none, or over the size limit), or null. */
  static String rejectionReason(byte[] value, int maxDocumentBytes) {
    if (value == null) {
      return "record has no value";
    }
    if (value.length > maxDocumentBytes) {
      return OversizedDocument.reason(value.length, maxDocumentBytes, "maxDocumentBytes");
    }
    return null;
  }

  /**
   * A violation as a record: keyed by entity key (by spec when it has none), the contract's JSON
   * line as value, headers {@code specwatch.spec}, {@code specwatch.kind}, {@code specwatch.rule}.
   * The same shape as alerting's {@code KafkaViolationSink} (which this module cannot import).
   */
  static ProducerRecord<byte[], byte[]> violationRecord(String topic, Violation v) {
    String key = v.key() != null ? v.key() : v.spec();
    org.apache.kafka.common.header.internals.RecordHeaders headers =
        new org.apache.kafka.common.header.internals.RecordHeaders();
    headers.add("specwatch.spec", v.spec().getBytes(StandardCharsets.UTF_8));
    headers.add("specwatch.kind", v.kind().label().getBytes(StandardCharsets.UTF_8));
    if (v.rule() != null) {
      headers.add("specwatch.rule", v.rule().getBytes(StandardCharsets.UTF_8));
    }
    return new ProducerRecord<>(topic, null, key.getBytes(StandardCharsets.UTF_8),
        v.toJson().getBytes(StandardCharsets.UTF_8), headers);
  }
}
