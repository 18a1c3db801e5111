package io.specwatch.alert.metrics;

import io.specwatch.core.engine.RuntimeStats;
import io.specwatch.core.pipeline.Pipeline;
import io.specwatch.core.program.Program;
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

  /**
   * The compiled specs, so that a per-event counter exists at 0 for every declared event from the
   * first scrape (a series that first appears with a value hides its first increase from
   * {@code increase()}). A view that returns none gets per-event series only for the events
   * counted by the time the meters are bound, plus {@code event=""}.
   */
  default List<Program> programs() {
    return List.of();
  }

  static PipelineView of(Pipeline p) {
    return new PipelineView() {
      @Override
      public List<Program> programs() {
        return p.programs();
      }

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
