package io.specwatch.core.pipeline;

import com.lmax.disruptor.EventHandler;
import io.specwatch.core.ViolationSink;
import io.specwatch.core.engine.Evaluator;
import io.specwatch.core.program.Program;
import java.util.List;

/**
 * One evaluator thread: for every slot the decode stage finished, each spec's {@link Evaluator}
 * for this shard fires the deadlines the watermark passed and applies the events whose keys this
 * shard owns. Shard 0 also records the publish-to-verdict latency, if asked to.
 */
final class EvaluateStage implements EventHandler<RingSlot> {
  private final Evaluator[] evaluators;
  private final ViolationSink out;
  private final LatencyRecorder latency;

  EvaluateStage(List<Program> programs, int shard, int shards, long maxLiveInstancesPerShard,
      ViolationSink out, LatencyRecorder latency) {
    this.evaluators = new Evaluator[programs.size()];
    for (int s = 0; s < evaluators.length; s++) {
      evaluators[s] = new Evaluator(programs.get(s), shard, shards, maxLiveInstancesPerShard);
    }
    this.out = out;
    this.latency = shard == 0 ? latency : null;
  }

  @Override
  public void onEvent(RingSlot slot, long sequence, boolean endOfBatch) {
    for (int s = 0; s < evaluators.length; s++) {
      evaluators[s].onDocument(slot.perSpec[s], slot.position, out);
    }
    if (latency != null) {
      latency.record(System.nanoTime() - slot.publishNanos);
    }
  }

  Evaluator evaluator(int s) {
    return evaluators[s];
  }
}
