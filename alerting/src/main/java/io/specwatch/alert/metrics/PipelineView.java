package io.specwatch.alert.metrics;

import io.specwatch.core.engine.RuntimeStats;
import io.specwatch.core.pipeline.Pipeline;
import java.util.List;

/**
 * What the metrics read from a running monitor. {@link #of(Pipeline)} adapts the live pipeline;
 * other runtimes (a Kafka consumer group, the sequential monitor) implement it themselves.
 */
public interface PipelineView {
  /** Per-spec counters (approximate while running). */
  List<RuntimeStats> stats();

  /** Ring slots published and not yet evaluated; 0 when there is no ring. */
  long backlog();

  /** Ring slots in all; 0 when there is no ring. */
  int ringSize();

  /** Documents whose processing threw (bugs, not bad input). */
  long stageFailures();

  static PipelineView of(Pipeline p) {
    return new PipelineView() {
      @Override
      public List<RuntimeStats> stats() {
        return p.stats();
      }

      @Override
      public long backlog() {
        return p.backlog();
      }

      @Override
      public int ringSize() {
        return p.ringSize();
      }

      @Override
      public long stageFailures() {
        return p.stageFailures();
      }
    };
  }
}
