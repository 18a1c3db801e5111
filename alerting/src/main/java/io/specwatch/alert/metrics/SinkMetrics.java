package io.specwatch.alert.metrics;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;
import io.specwatch.alert.AlertSink;
import io.specwatch.alert.AlertTracker;
import io.specwatch.alert.SinkStatus;
import java.util.List;

/**
 * Per-destination delivery meters, labelled {@code sink}: alerts sent, failed attempts, alerts
 * dropped, queue depth and capacity; and the number of alerts firing.
 */
public final class SinkMetrics implements MeterBinder {
  private final List<SinkStatus> sinks;
  private final AlertTracker tracker;

  /**
   * @param sinks every delivery destination: {@link AlertSink#status()} of the alert sinks, and
   *     any violation sink that reports a {@link SinkStatus} (e.g. the Kafka violation sink)
   * @param tracker the tracker whose firing alerts are counted, or null (then 0 are firing)
   */
  public SinkMetrics(List<? extends SinkStatus> sinks, AlertTracker tracker) {
    this.sinks = List.copyOf(sinks);
    this.tracker = tracker;
  }

  /** The meters of an alert sink's destinations. */
  public static SinkMetrics of(AlertSink sinks, AlertTracker tracker) {
    return new SinkMetrics(sinks.status(), tracker);
  }

  @Override
  public void bindTo(MeterRegistry registry) {
    for (SinkStatus s : sinks) {
      FunctionCounter.builder("specwatch.sink.sent", s, SinkStatus::sent)
          .description("Alerts the destination accepted.").tag("sink", s.name()).register(registry);
      FunctionCounter.builder("specwatch.sink.failures", s, SinkStatus::failed)
          .description("Delivery attempts that failed (each is retried with backoff).")
          .tag("sink", s.name()).register(registry);
      FunctionCounter.builder("specwatch.sink.dropped", s, SinkStatus::dropped)
          .description("Alerts given up on: queue full, rejected by the destination, or queued at shutdown.")
          .tag("sink", s.name()).register(registry);
      Gauge.builder("specwatch.sink.queue.depth", s, SinkStatus::queueDepth)
          .description("Alerts waiting for delivery.").tag("sink", s.name()).strongReference(true).register(registry);
      Gauge.builder("specwatch.sink.queue.capacity", s, SinkStatus::queueCapacity)
          .description("Alerts the queue holds before it drops.").tag("sink", s.name()).strongReference(true).register(registry);
    }
    // Served at 0 without a tracker (no alert destination configured), so dashboards and rules
    // read "none firing" rather than "no data".
    AlertTracker t = tracker;
    Gauge.builder("specwatch.alerts.firing", () -> t == null ? 0 : t.firingAlerts())
        .description("Alerts firing now (one per key, plus one per grouped rule).").strongReference(true).register(registry);
  }
}
