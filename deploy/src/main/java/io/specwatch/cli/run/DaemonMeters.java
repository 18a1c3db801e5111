package io.specwatch.cli.run;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.specwatch.ingest.file.JsonlSource;
import java.util.List;
import java.util.function.BooleanSupplier;

/**
 * The meters only the daemon has, next to the alerting module's binders in the same registry:
 * spec reloads by outcome ({@code specwatch_spec_reloads_total{spec,outcome}}), checkpoints
 * written and failed, readiness ({@code specwatch_ready}) and each file source's last line
 * ({@code specwatch_source_last_line{source}}). The checkpoint's age is alerting's
 * {@code CheckpointMetrics}, fed from {@link #checkpointAgeSeconds()}. Thread-safe.
 */
final class DaemonMeters {
  private final MeterRegistry registry;
  private final Counter checkpoints;
  private final Counter checkpointFailures;
  /** Wall-clock millis of the last checkpoint written, 0 before the first. */
  private volatile long lastCheckpointMillis;

  DaemonMeters(MeterRegistry registry) {
    this.registry = registry;
    this.checkpoints = Counter.builder("specwatch.checkpoints")
        .description("Checkpoints written.").register(registry);
    this.checkpointFailures = Counter.builder("specwatch.checkpoint.failures")
        .description("Checkpoints that could not be written (the previous one stays).").register(registry);
  }

  /** Counts one spec's reload outcome: kept, restarted, new, removed or rejected. */
  void reload(String spec, String outcome) {
    reloadCounter(spec, outcome).increment();
  }

  /** How often {@code spec} was reloaded with {@code outcome} (tests, logs). */
  long reloads(String spec, String outcome) {
    return (long) reloadCounter(spec, outcome).count();
  }

  private Counter reloadCounter(String spec, String outcome) {
    // Registering an existing id returns the meter already there: one counter per pair.
    return Counter.builder("specwatch.spec.reloads")
        .description("Spec reloads by spec and outcome (kept, restarted, new, removed, rejected).")
        .tag("spec", spec).tag("outcome", outcome).register(registry);
  }

  void checkpointed(long wallMillis) {
    lastCheckpointMillis = wallMillis;
    checkpoints.increment();
  }

  void checkpointFailed() {
    checkpointFailures.increment();
  }

  long checkpoints() {
    return (long) checkpoints.count();
  }

  /** Seconds since the last checkpoint was written; NaN before the first (rules read it as absent). */
  double checkpointAgeSeconds() {
    long last = lastCheckpointMillis;
    return last == 0 ? Double.NaN : (System.currentTimeMillis() - last) / 1000.0;
  }

  /** {@code specwatch_ready}: 1 when {@code /readyz} would answer 200. */
  void bindReady(BooleanSupplier ready) {
    Gauge.builder("specwatch.ready", () -> ready.getAsBoolean() ? 1 : 0)
        .description("1 once every source has caught up and the queue is empty, else 0.")
        .strongReference(true).register(registry);
  }

  /** {@code specwatch_source_last_line{source}}: the last line each file source has published. */
  void bindSources(List<JsonlSource> sources) {
    for (JsonlSource s : sources) {
      Gauge.builder("specwatch.source.last.line", s, JsonlSource::lastLine)
          .description("The last line the file source has read and published (resumes after it on restart).")
          .tag("source", s.name()).strongReference(true).register(registry);
    }
  }
}
