package io.specwatch.alert.metrics;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;
import io.specwatch.core.engine.RuntimeStats;
import io.specwatch.core.program.EventType;
import io.specwatch.core.program.Program;
import java.time.Clock;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.function.ToDoubleFunction;

/**
 * The monitor's own counters as Micrometer meters, per spec: documents, events decoded, ignored,
 * malformed and duplicates (per spec and event), evaluation errors, instances refused by the
 * live-instance cap, dedupe ids held (and those unrecorded at its cap, or evicted), live
 * instances, armed deadlines, watermark lag; and the ring's backlog and occupancy. The meters
 * read one snapshot of {@link PipelineView#stats()}, taken at most every
 * {@link #SNAPSHOT_MILLIS}, because each stats() call walks every evaluator and a scrape reads a
 * dozen meters per spec. Gauges hold this binder strongly: Micrometer's meters hold weak
 * references by default, which would turn them into NaN once the caller drops the binder; the
 * function counters (weak only) are kept alive through the gauges.
 */
public final class PipelineMetrics implements MeterBinder {
  static final long SNAPSHOT_MILLIS = 200;
  /** Admission's watermark before any event time was seen. */
  private static final long NO_WATERMARK = Long.MIN_VALUE;

  private final PipelineView view;
  private final Clock clock;
  private Map<String, RuntimeStats> snapshot = Map.of();
  private long snapshotAt = Long.MIN_VALUE;

  public PipelineMetrics(PipelineView view, Clock clock) {
    this.view = view;
    this.clock = clock;
  }

  @Override
  public void bindTo(MeterRegistry registry) {
    Map<String, Program> programs = new HashMap<>();
    for (Program p : view.programs()) {
      programs.put(p.name(), p);
    }
    for (RuntimeStats initial : view.stats()) {
      String spec = initial.spec;
      counter(registry, "specwatch.documents", "Documents admitted to the spec (every document is admitted to every spec).", spec, s -> s.documents);
      counter(registry, "specwatch.events", "Events decoded from documents and evaluated (including those that raised a violation or were refused).", spec, s -> s.events);
      counter(registry, "specwatch.ignored", "Documents that matched no event of the spec.", spec, s -> s.ignored);
      for (String event : eventNames(programs.get(spec), initial)) {
        perEventCounter(registry, "specwatch.malformed", "Documents or events that could not be decoded, by the event declaration they matched (\"\": none, e.g. not JSON).", spec, event, RuntimeStats::malformedByEvent);
        perEventCounter(registry, "specwatch.duplicates", "Documents dropped as retried copies of an earlier event id, by the first event declaration they match (\"\": none).", spec, event, RuntimeStats::duplicatesByEvent);
      }
      counter(registry, "specwatch.evaluation.errors", "Events rolled back by an arithmetic fault (error violations).", spec, s -> s.errors);
      counter(registry, "specwatch.instances.refused", "New entity instances refused because the spec reached its live-instance cap (each an error violation).", spec, s -> s.instancesRefused);
      counter(registry, "specwatch.dedupe.ids.unrecorded", "New event ids the dedupe memory did not record because it held its cap (limits.max_dedupe_ids): applied, but a later copy of one would not be recognised.", spec, s -> s.unrecordedIds);
      counter(registry, "specwatch.dedupe.ids.evicted", "Event ids evicted, oldest first, from a full dedupe memory (specs without event time).", spec, s -> s.evictedIds);
      gauge(registry, "specwatch.dedupe.ids", "Event ids held by the dedupe memory (forgotten ones the sweep has not reached included).", spec, null, s -> s.rememberedIds);
      gauge(registry, "specwatch.live.instances", "Entity instances in memory (ended ones until forgotten).", spec, null, s -> s.liveInstances);
      gauge(registry, "specwatch.armed.deadlines", "Deadlines armed and not yet fired or disarmed.", spec, null, s -> s.armedDeadlines);
      gauge(registry, "specwatch.watermark.lag", "Wall-clock time minus the spec's watermark (latest event time minus lateness); NaN before the first event.", spec, "seconds", this::lagSeconds);
    }
    Gauge.builder("specwatch.ring.backlog", view, v -> v.backlog())
        .description("Ring slots published and not yet evaluated.").strongReference(true).register(registry);
    Gauge.builder("specwatch.ring.capacity", view, v -> v.ringSize())
        .description("Ring slots in all.").strongReference(true).register(registry);
    Gauge.builder("specwatch.ring.occupancy", view, v -> v.ringSize() == 0 ? 0 : (double) v.backlog() / v.ringSize())
        .description("Share of ring slots in use: near 1, sources feel backpressure.").baseUnit("ratio")
        .strongReference(true).register(registry);
    FunctionCounter.builder("specwatch.stage.failures", view, v -> v.stageFailures())
        .description("Documents whose processing threw an internal error (logged and skipped).")
        .register(registry);
  }

  /**
   * The {@code event} label values of one spec: every declared event and {@code ""} (a document
   * no declaration matched), all registered at 0 up front so that {@code increase()} sees the
   * first one. Bounded by the spec, never by the data. Without the program (a view that does not
   * give it), the events already counted stand in for the declarations.
   */
  private static Set<String> eventNames(Program program, RuntimeStats initial) {
    Set<String> names = new LinkedHashSet<>();
    if (program != null) {
      for (EventType e : program.events()) {
        names.add(e.name());
      }
    } else {
      names.addAll(initial.malformedByEvent().keySet());
      names.addAll(initial.duplicatesByEvent().keySet());
    }
    names.add("");
    return names;
  }

  private void perEventCounter(MeterRegistry r, String name, String help, String spec,
      String event, Function<RuntimeStats, Map<String, Long>> byEvent) {
    FunctionCounter.builder(name, this, m -> m.read(spec, s -> byEvent.apply(s).getOrDefault(event, 0L)))
        .description(help).tag("spec", spec).tag("event", event).register(r);
  }

  private double lagSeconds(RuntimeStats s) {
    if (s.watermark == NO_WATERMARK) {
      return Double.NaN;
    }
    return (clock.millis() - (double) s.watermark) / 1000.0;
  }

  private void counter(MeterRegistry r, String name, String help, String spec,
      ToDoubleFunction<RuntimeStats> f) {
    FunctionCounter.builder(name, this, m -> m.read(spec, f)).description(help).tag("spec", spec)
        .register(r);
  }

  private void gauge(MeterRegistry r, String name, String help, String spec, String unit,
      ToDoubleFunction<RuntimeStats> f) {
    Gauge.Builder<PipelineMetrics> b = Gauge.builder(name, this, m -> m.read(spec, f))
        .description(help).tag("spec", spec);
    if (unit != null) {
      b.baseUnit(unit);
    }
    b.strongReference(true).register(r);
  }

  private double read(String spec, ToDoubleFunction<RuntimeStats> f) {
    RuntimeStats s = current().get(spec);
    return s == null ? Double.NaN : f.applyAsDouble(s);
  }

  private synchronized Map<String, RuntimeStats> current() {
    long now = System.nanoTime() / 1_000_000;
    if (snapshotAt == Long.MIN_VALUE || now - snapshotAt >= SNAPSHOT_MILLIS) {
      List<RuntimeStats> all = view.stats();
      Map<String, RuntimeStats> m = new HashMap<>();
      for (RuntimeStats s : all) {
        m.put(s.spec, s);
      }
      snapshot = m;
      snapshotAt = now;
    }
    return snapshot;
  }
}
