package io.specwatch.core.pipeline;

import com.lmax.disruptor.EventHandler;
import com.lmax.disruptor.RingBuffer;
import io.specwatch.core.ViolationSink;
import io.specwatch.core.engine.Evaluator;
import io.specwatch.core.program.Program;
import java.util.List;

/**
 * One evaluator thread: for every slot the decode stage finished, each spec's {@link Evaluator}
 * for this shard fires the deadlines the watermark passed and applies the events whose keys this
 * shard owns. Shard 0 also records the publish-to-verdict latency, if asked to.
 *
 * <p>Slots already decoded but not yet evaluated are handed to {@link Evaluator#prefetch}
 * {@link #PREFETCH_AHEAD} slots before their turn, {@link #PREFETCH_GROUP} at a time: finding an
 * instance is two dependent cache misses, and issuing those of several slots together lets them
 * overlap. Small groups keep the cost of one prefetch burst out of the latency tail (measured on
 * the payments benchmark: groups of 4 gave most of the throughput of groups of 32 with a p99 near
 * no prefetching). Only slots the decode stage has finished (up to the queue depth the ring reports
 * at each batch) are read.
 */
final class EvaluateStage implements EventHandler<RingSlot> {
  private final Evaluator[] evaluators;
  private final ViolationSink out;
  private final LatencyRecorder latency;
  /** The ring, to read decoded slots ahead for prefetching. */
  private final RingBuffer<RingSlot> ring;
  static final int PREFETCH_AHEAD = 32;
  static final int PREFETCH_GROUP = 4;
  /**
   * With {@code -Dspecwatch.pipeline.stageTimes=true}, each stage counts its batches (a batch
   * starts each time the stage finds work after waiting, so: how often it waited) and the time
   * from each batch's start to its end (busy time, waiting excluded). For diagnosis only: two
   * clock reads per batch; off, the JIT removes the code.
   */
  static final boolean STAGE_TIMES = Boolean.getBoolean("specwatch.pipeline.stageTimes");
  private long batchStartNanos;
  private volatile long busyNanos;
  private volatile long batches;
  /** The queue depth the last {@link #onBatchStart} reported, until the batch's first event. */
  private long pendingDepth;
  /** The last sequence known to be decoded, and the last one prefetched. */
  private long decodedTo = -1;
  private long prefetchedTo = -1;

  EvaluateStage(List<Program> programs, int shard, int shards, long maxLiveInstancesPerShard,
      ViolationSink out, LatencyRecorder latency, RingBuffer<RingSlot> ring) {
    this.ring = ring;
    this.evaluators = new Evaluator[programs.size()];
    for (int s = 0; s < evaluators.length; s++) {
      evaluators[s] = new Evaluator(programs.get(s), shard, shards, maxLiveInstancesPerShard);
    }
    this.out = out;
    this.latency = shard == 0 ? latency : null;
  }

  @Override
  public void onBatchStart(long batchSize, long queueDepth) {
    pendingDepth = queueDepth;
    if (STAGE_TIMES) {
      batchStartNanos = System.nanoTime();
    }
  }

  @Override
  public void onEvent(RingSlot slot, long sequence, boolean endOfBatch) {
    prefetchAhead(sequence);
    if (slot.failed) {
      return; // admission threw (counted): nothing in this slot is this document's
    }
    for (int s = 0; s < evaluators.length; s++) {
      evaluators[s].onDocument(slot.perSpec[s], slot.position, out);
    }
    if (latency != null) {
      latency.record(System.nanoTime() - slot.publishNanos);
    }
    if (STAGE_TIMES && endOfBatch) {
      busyNanos += System.nanoTime() - batchStartNanos; // single writer: this stage's thread
      batches++;
    }
  }

  /** Busy time and batches so far (zero unless {@link #STAGE_TIMES}). */
  long busyNanos() {
    return busyNanos;
  }

  long batches() {
    return batches;
  }

  /** Keeps the decoded slots up to about {@link #PREFETCH_AHEAD} ahead prefetched. */
  private void prefetchAhead(long sequence) {
    if (pendingDepth > 0) {
      decodedTo = Math.max(decodedTo, sequence + pendingDepth - 1);
      pendingDepth = 0;
    }
    if (sequence + PREFETCH_AHEAD <= prefetchedTo || prefetchedTo >= decodedTo) {
      return;
    }
    long from = Math.max(prefetchedTo + 1, sequence + 1);
    long to = Math.min(decodedTo, sequence + PREFETCH_AHEAD + PREFETCH_GROUP - 1);
    for (long s = from; s <= to; s++) {
      RingSlot ahead = ring.get(s);
      if (ahead.failed) {
        continue;
      }
      for (int e = 0; e < evaluators.length; e++) {
        evaluators[e].prefetch(ahead.perSpec[e]);
      }
    }
    prefetchedTo = Math.max(prefetchedTo, to);
  }

  Evaluator evaluator(int s) {
    return evaluators[s];
  }
}
