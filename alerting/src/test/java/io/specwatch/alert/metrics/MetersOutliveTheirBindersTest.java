package io.specwatch.alert.metrics;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.specwatch.core.engine.RuntimeStats;
import java.lang.ref.WeakReference;
import java.time.Clock;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Micrometer holds meter sources weakly by default: a binder the caller does not keep would turn
 * its meters into NaN at the next garbage collection. The binders must not depend on being kept.
 */
class MetersOutliveTheirBindersTest {
  @Test
  void metersStillReadTheirSourcesAfterTheBindersAreCollected() {
    PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    WeakReference<Object> binder = bind(registry);
    for (int i = 0; i < 10 && binder.get() != null; i++) {
      System.gc();
    }
    // Whether or not the collector ran, every value must still be read from its source.
    String text = registry.scrape();
    assertTrue(text.contains("specwatch_checkpoint_age_seconds 7.0"), text);
    assertTrue(text.contains("specwatch_documents_total{spec=\"s\"} 5.0"), text);
    assertTrue(text.contains("specwatch_stage_failures_total 3.0"), text);
    assertTrue(text.contains("specwatch_ring_capacity 8.0"), text);
  }

  private static WeakReference<Object> bind(PrometheusMeterRegistry registry) {
    double age = 7.0;
    new CheckpointMetrics(() -> age).bindTo(registry); // a capturing lambda: collectable
    RuntimeStats stats = new RuntimeStats();
    stats.spec = "s";
    stats.documents = 5;
    stats.watermark = Long.MIN_VALUE;
    PipelineMetrics metrics = new PipelineMetrics(new PipelineView() {
      @Override
      public List<RuntimeStats> stats() {
        return List.of(stats);
      }

      @Override
      public long backlog() {
        return 0;
      }

      @Override
      public int ringSize() {
        return 8;
      }

      @Override
      public long stageFailures() {
        return 3;
      }
    }, Clock.systemUTC());
    metrics.bindTo(registry);
    return new WeakReference<>(metrics);
  }
}
