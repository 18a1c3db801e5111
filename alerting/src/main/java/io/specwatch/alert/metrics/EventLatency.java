package io.specwatch.alert.metrics;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.specwatch.core.pipeline.LatencyRecorder;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * The end-to-end latency from publishing a document to its verdict, as a Prometheus histogram
 * ({@code specwatch_event_latency_seconds_bucket}), for {@code histogram_quantile} in dashboards
 * and alert rules. Recording is a few atomic adds: cheap enough for the evaluator thread.
 */
public final class EventLatency implements LatencyRecorder {
  private final Timer timer;

  public EventLatency(MeterRegistry registry) {
    this.timer = Timer.builder("specwatch.event.latency")
        .description("Time from publishing a document to the verdict on it.")
        .publishPercentileHistogram()
        .minimumExpectedValue(Duration.ofNanos(10_000))
        .maximumExpectedValue(Duration.ofSeconds(30))
        .register(registry);
  }

  @Override
  public void record(long nanos) {
    timer.record(nanos, TimeUnit.NANOSECONDS);
  }

  public long count() {
    return timer.count();
  }
}
