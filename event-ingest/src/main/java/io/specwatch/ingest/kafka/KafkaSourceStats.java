package io.specwatch.ingest.kafka;

import java.util.concurrent.atomic.AtomicLong;

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
  /** Time spent in the consumer's poll, applying records, and committing (ns), to see which dominates. */
  public final AtomicLong pollNanos = new AtomicLong();
  public final AtomicLong applyNanos = new AtomicLong();
  public final AtomicLong commitNanos = new AtomicLong();
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
}
