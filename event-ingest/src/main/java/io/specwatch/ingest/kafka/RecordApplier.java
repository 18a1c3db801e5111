package io.specwatch.ingest.kafka;

import io.specwatch.core.InvariantHeldAgain;
import io.specwatch.core.Position;
import io.specwatch.core.Violation;
import io.specwatch.core.ViolationSink;
import io.specwatch.core.program.Program;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/**
 * Applies one partition's records, in offset order, to that partition's runtime, on one apply
 * thread ({@link PartitionWorkers}). What the records raise (violations, "invariant holds again"
 * signals) is kept here, in the order raised, until the member's thread drains it into the open
 * transaction at its next commit: so nothing an apply thread raises is sent by it, and a commit
 * holds exactly the violations of the records applied before its cut.
 *
 * <p>Not thread-safe: one instance per apply thread; the member's thread touches it
 * ({@link #drainTo}, {@link #use}) only while every apply thread is idle.
 */
class RecordApplier { // not final: PartitionWorkersTest makes one throw an Error
  private static final ViolationSink DROP = v -> { };

  private final KafkaSourceConfig config;
  /** 0, or the repartition topic's partition count in the repartition step's second stage. */
  private final int entityShards;
  private final KafkaSourceStats stats;
  private KafkaEnvelope envelope;
  /** Violations and {@link InvariantHeldAgain}s raised since the last drain, in order. */
  private final List<Object> raised = new ArrayList<>();
  private final ViolationSink buffering = new ViolationSink() {
    @Override
    public void accept(Violation v) {
      raised.add(v);
    }

    @Override
    public void invariantHolds(String spec, String rule, String entity, String key,
        Position pos, long time) {
      raised.add(new InvariantHeldAgain(spec, rule, entity, key, pos, time));
    }
  };

  RecordApplier(KafkaSourceConfig config, int entityShards, KafkaSourceStats stats,
      List<Program> programs) {
    this.config = config;
    this.entityShards = entityShards;
    this.stats = stats;
    this.envelope = new KafkaEnvelope(programs);
  }

  /** After a spec reload: `_kafka` is spliced in when the new specs read it. */
  void use(List<Program> programs) {
    envelope = new KafkaEnvelope(programs);
  }

  /**
   * Applies {@code records} (all of {@code rt}'s partition, in offset order). Records before the
   * runtime's next offset were applied before the checkpoint it was restored from and are
   * skipped; records before {@code emittedUpTo} are re-applied after a restore and raise nothing
   * (their violations are committed already).
   */
  void apply(PartitionRuntime rt, List<ConsumerRecord<byte[], byte[]>> records) {
    long t0 = System.nanoTime();
    long applied = 0;
    long malformed = 0;
    for (ConsumerRecord<byte[], byte[]> r : records) {
      if (r.offset() < rt.nextOffset) {
        continue;
      }
      ViolationSink out = r.offset() < rt.emittedUpTo ? DROP : buffering;
      if (!applyOne(r, rt, out)) {
        malformed++;
      }
      rt.nextOffset = r.offset() + 1;
      applied++;
    }
    if (applied > 0) {
      rt.lastRecordNanos = System.nanoTime();
      rt.dirty = true;
      rt.needsCheckpoint = true;
      // Counted once per batch: a shared counter bumped per record by two threads would bounce
      // its cache line between the cores for every record.
      stats.records.addAndGet(applied);
      stats.malformedRecords.addAndGet(malformed);
    }
    stats.applyNanos.addAndGet(System.nanoTime() - t0); // summed over the apply threads
  }

  /** Applies one record; false when it was no document (no value, over the size limit). */
  private boolean applyOne(ConsumerRecord<byte[], byte[]> r, PartitionRuntime rt, ViolationSink out) {
    if (entityShards > 0) {
      return applyCopy(r, rt, out);
    }
    KafkaPosition pos = new KafkaPosition(r.topic(), r.partition(), r.offset());
    String reason = KafkaSource.rejectionReason(r.value(), config.maxDocumentBytes());
    if (reason != null) {
      rt.monitor.reject(pos, reason, out);
      return false;
    }
    byte[] doc = envelope.document(r);
    rt.monitor.accept(doc, 0, envelope.length(), pos, out);
    return true;
  }

  /**
   * The repartition step's second stage: a copy from the repartition topic, with the input
   * record's coordinates (so violations point at it, as {@code check}'s do) and `_kafka`
   * already spliced in by the first stage; the runtime applies only its shard's events.
   */
  private boolean applyCopy(ConsumerRecord<byte[], byte[]> r, PartitionRuntime rt, ViolationSink out) {
    KafkaPosition pos = originOf(r);
    String reason = header(r, RepartitionStage.MALFORMED);
    if (reason == null) {
      reason = KafkaSource.rejectionReason(r.value(), config.maxDocumentBytes()); // not from stage 1
    }
    if (reason != null) {
      rt.monitor.reject(pos, reason, out);
      return false;
    }
    rt.monitor.accept(r.value(), 0, r.value().length, pos, out);
    return true;
  }

  /**
   * The input record a copy came from; a record someone else wrote to the internal topic,
   * without valid headers, is reported at its own coordinates rather than stopping the member.
   */
  private static KafkaPosition originOf(ConsumerRecord<byte[], byte[]> r) {
    try {
      String topic = header(r, RepartitionStage.ORIGIN_TOPIC);
      if (topic != null) {
        return new KafkaPosition(topic,
            Integer.parseInt(header(r, RepartitionStage.ORIGIN_PARTITION)),
            Long.parseLong(header(r, RepartitionStage.ORIGIN_OFFSET)));
      }
    } catch (NumberFormatException e) {
      // fall through: not a copy written by the first stage
    }
    return new KafkaPosition(r.topic(), r.partition(), r.offset());
  }

  private static String header(ConsumerRecord<byte[], byte[]> r, String name) {
    org.apache.kafka.common.header.Header h = r.headers().lastHeader(name);
    return h == null ? null : new String(h.value(), StandardCharsets.UTF_8);
  }

  /** Hands what was raised since the last drain to {@code out}, in order, and forgets it. */
  void drainTo(Consumer<Object> out) {
    raised.forEach(out);
    raised.clear();
  }
}
