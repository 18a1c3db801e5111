package io.specwatch.ingest.kafka;

import io.specwatch.core.engine.Monitor;
import org.apache.kafka.common.TopicPartition;

/**
 * The specs' runtime of one assigned input partition, and the next offset it expects. A
 * partition's state is exactly one {@link Monitor}, so it is what a checkpoint holds, what a
 * restore rebuilds and what a rebalance hands over.
 */
final class PartitionRuntime {
  final TopicPartition partition;
  /** Replaced (on the consumer thread) when a spec reload is applied. */
  Monitor monitor;
  /** The offset of the next record to apply: the checkpoint's position. */
  long nextOffset;
  /** Whether records were applied since the last committed transaction. */
  boolean dirty;
  /** Whether the state changed since the last checkpoint (or was never checkpointed). */
  boolean needsCheckpoint;
  /**
   * Records before this offset had their violations committed by an earlier owner (or before a
   * crash): re-applying them rebuilds the state, and their violations are not emitted again.
   */
  long emittedUpTo = -1;
  /** Whether the changelog holds a checkpoint of this partition (restored or written). */
  boolean everCheckpointed;
  /** When this partition was last checkpointed (System.nanoTime), to take turns. */
  long lastCheckpointNanos = System.nanoTime();
  /** When a record of this partition was last applied (or it was assigned): its idleness. */
  long lastRecordNanos = System.nanoTime();
  /**
   * Set when the member's watermark fired something here without a record ({@link
   * MemberWatermark}): re-applying records cannot rebuild that, so the next commit must carry a
   * full checkpoint of this partition, in the same transaction as what fired.
   */
  boolean mustCheckpoint;
  /** The apply thread ({@link PartitionWorkers}) that applies this partition's records. */
  int worker;
  /** The engine's count of instances refused by the live-instance cap, as last added to the stats. */
  long instancesRefusedCounted;
  /** The engine's count of ids the dedupe-id cap left unrecorded, as last added to the stats. */
  long dedupeIdsUnrecordedCounted;

  PartitionRuntime(TopicPartition partition, Monitor monitor, long nextOffset) {
    this.partition = partition;
    this.monitor = monitor;
    this.nextOffset = nextOffset;
  }
}
