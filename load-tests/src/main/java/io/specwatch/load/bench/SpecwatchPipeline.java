package io.specwatch.load.bench;

import io.specwatch.core.pipeline.Pipeline;
import io.specwatch.core.pipeline.PipelineConfig;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;

/**
 * specwatch's live pipeline from JSON bytes: the runner's thread publishes each line (the
 * "source"), the pipeline's decode and evaluator threads do the rest. Throughput counts until the
 * last verdict ({@link #finish} drains the ring). Latency is the pipeline's own publish-to-verdict
 * time, recorded by evaluator shard 0 into an HdrHistogram {@link Recorder}.
 */
public final class SpecwatchPipeline implements Engine {
  private final LineBatch lines;
  private final Pipeline pipeline;
  private final Recorder latency = new Recorder(3);
  private final Set<String> verdicts = ConcurrentHashMap.newKeySet();

  public SpecwatchPipeline(PaymentsWorkload w, PipelineConfig config) throws Exception {
    this.lines = new LineBatch(w.file);
    this.pipeline = new Pipeline(List.of(Specwatch.program()), config,
        Specwatch.collectInto(verdicts), latency::recordValue);
  }

  public static Factory factory(PipelineConfig config) {
    return new Factory() {
      @Override
      public String name() {
        return "specwatch pipeline, JSON bytes (" + config.evaluators() + " evaluator"
            + (config.evaluators() == 1 ? "" : "s") + ", " + config.waitStrategy().name().toLowerCase()
            + ")";
      }

      @Override
      public Engine create(PaymentsWorkload w) throws Exception {
        return new SpecwatchPipeline(w, config);
      }
    };
  }

  @Override
  public void prepare(int from, int to) throws Exception {
    lines.load(from, to);
  }

  @Override
  public void process(int i) {
    pipeline.publish(lines.bytes(), lines.off(i), lines.len(i), Specwatch.position(i));
  }

  /** Drains: throughput is measured to the last verdict. */
  @Override
  public void finish() throws Exception {
    pipeline.close(false, 10, TimeUnit.MINUTES);
    lines.close();
    if (pipeline.stageFailures() > 0) {
      throw new IllegalStateException(pipeline.stageFailures() + " documents failed in the pipeline");
    }
  }

  @Override
  public boolean timesWallClock() {
    return true;
  }

  /** Publish-to-verdict latencies (ns) of the documents evaluated so far. */
  @Override
  public Histogram ownLatency() {
    return latency.getIntervalHistogram();
  }

  @Override
  public Set<String> verdicts() {
    return verdicts;
  }

  @Override
  public long liveInstances() {
    return pipeline.stats().get(0).liveInstances;
  }
}
