package io.specwatch.alert.metrics;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;
import java.util.function.DoubleSupplier;

/**
 * {@code specwatch_checkpoint_age_seconds}: how long ago the last checkpoint completed, from
 * whatever writes checkpoints. NaN until the first one (Prometheus rules treat NaN as absent).
 */
public final class CheckpointMetrics implements MeterBinder {
  private final DoubleSupplier ageSeconds;

  public CheckpointMetrics(DoubleSupplier ageSeconds) {
    this.ageSeconds = ageSeconds;
  }

  @Override
  public void bindTo(MeterRegistry registry) {
    Gauge.builder("specwatch.checkpoint.age", ageSeconds, DoubleSupplier::getAsDouble)
        .description("Time since the last completed checkpoint; NaN before the first.")
        .baseUnit("seconds").strongReference(true).register(registry);
  }
}
