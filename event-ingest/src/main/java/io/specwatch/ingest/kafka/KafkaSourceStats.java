package io.specwatch.ingest.kafka;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.common.TopicPartition;

/** Counters of a {@link KafkaSource}, safe to read from any thread (for metrics and tests). */
public final class KafkaSourceStats {
  /** Records applied to the specs (committed or not yet). */
  public final AtomicLong records = new AtomicLong();
  /** Records that could not be used as a document (no value, over the size limit, not JSON). */
  public final AtomicLong malformedRecords = new AtomicLong();
  /** Violations in committed transactions. */
  public final AtomicLong violationsCommitted = new AtomicLong();
  /** Committed transactions (each: violations, checkpoints, offsets). */
  public final AtomicLong commits = new AtomicLong();
  /** Transactions that carried full checkpoints. */
  public final AtomicLong checkpoints = new AtomicLong();
  /** Checkpoints restored on assignment. */
  public final AtomicLong restores = new AtomicLong();
  /** Times the client stack was torn down and rebuilt after an error (broker outage, fencing). */
  public final AtomicLong recoveries = new AtomicLong();
  /** Partitions currently assigned to this member. */
  public final AtomicLong assignedPartitions = new AtomicLong();
  /**
   * Time spent (ns) in the consumer's poll and in committing, on the member's thread; applying
   * records, summed over the apply threads (so it can exceed the wall time); and the member's
   * thread waiting for the apply threads (before a commit, or when they are a batch behind).
   */
  public final AtomicLong pollNanos = new AtomicLong();
  public final AtomicLong applyNanos = new AtomicLong();
  public final AtomicLong commitNanos = new AtomicLong();
  public final AtomicLong applyWaitNanos = new AtomicLong();
  /** Full checkpoints written: their encoded bytes and the time encoding them took (ns). */
  public final AtomicLong checkpointBytes = new AtomicLong();
  public final AtomicLong checkpointEncodeNanos = new AtomicLong();
  /** The longest commit so far (ns): what a record's latency can include. */
  public final AtomicLong longestCommitNanos = new AtomicLong();
  /**
   * Entity instances found in the state of two or more of this member's partitions at the last
   * scan: their documents are spread over partitions, so their verdicts are unreliable (see
   * docs/kafka.md, repartition).
   */
  public final AtomicLong instancesOnSeveralPartitions = new AtomicLong();
  /** Repartition step, first stage: input records read, and copies written to the repartition topic. */
  public final AtomicLong repartitionedRecords = new AtomicLong();
  public final AtomicLong repartitionCopies = new AtomicLong();
  /** Partitions found idle at the last commit (no record for the idle timeout, caught up). */
  public final AtomicLong idlePartitions = new AtomicLong();
  /** Times an idle partition's deadlines were fired by the member's watermark (each checkpointed). */
  public final AtomicLong idleAdvances = new AtomicLong();
  /** Spec reloads applied by the consumer thread ({@link KafkaSource#reloadSpecs}). */
  public final AtomicLong specReloads = new AtomicLong();
  /**
   * Spec states a restore did not take over because the changelog held them in another layout
   * (written before a reload that changed it, or by a member running other specs): those specs
   * start afresh in that partition.
   */
  public final AtomicLong specsStartedAfreshOnRestore = new AtomicLong();
  /** Records whose instance was refused by the live-instance cap (an error violation each). */
  public final AtomicLong instancesRefused = new AtomicLong();
  /**
   * New event ids the dedupe memory did not record because it held its cap
   * ({@link KafkaSourceConfig#maxDedupeIdsPerPartition}): applied, but a copy would not be
   * recognised.
   */
  public final AtomicLong dedupeIdsUnrecorded = new AtomicLong();

  /** Consumer lag per assigned partition (records), as of the member's last commit. */
  private final Map<TopicPartition, Long> consumerLag = new ConcurrentHashMap<>();
  private final List<Runnable> assignmentListeners = new CopyOnWriteArrayList<>();

  /** The lag of each assigned partition, as last measured; a copy. */
  public Map<TopicPartition, Long> consumerLag() {
    return Map.copyOf(consumerLag);
  }

  /** One partition's lag as last measured, NaN when it is not assigned or not measured yet. */
  public double lagOf(TopicPartition tp) {
    Long lag = consumerLag.get(tp);
    return lag == null ? Double.NaN : lag;
  }

  /** Runs {@code listener} (on the consumer's thread) whenever the set of assigned partitions changes. */
  public void onAssignmentChange(Runnable listener) {
    assignmentListeners.add(listener);
  }

  void lag(TopicPartition tp, long lag) {
    consumerLag.put(tp, lag);
  }

  void assignmentChanged(java.util.Collection<TopicPartition> added,
      java.util.Collection<TopicPartition> removed) {
    removed.forEach(consumerLag::remove);
    added.forEach(tp -> consumerLag.putIfAbsent(tp, 0L));
    assignmentListeners.forEach(Runnable::run);
  }
}
