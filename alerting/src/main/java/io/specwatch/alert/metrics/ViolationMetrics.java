package io.specwatch.alert.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.specwatch.core.Violation;
import io.specwatch.core.ViolationKind;
import io.specwatch.core.ViolationSink;
import io.specwatch.core.program.Deadline;
import io.specwatch.core.program.EntityType;
import io.specwatch.core.program.EventType;
import io.specwatch.core.program.Invariant;
import io.specwatch.core.program.Program;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

/**
 * Counts violations by spec, kind and rule ({@code specwatch_violations_total}). A sink in the
 * pipeline's fan-out, thread-safe. The label values come from the compiled specs (rule names), so
 * their number is bounded by the specs, never by the data.
 */
public final class ViolationMetrics implements ViolationSink {
  private final MeterRegistry registry;
  private final ConcurrentMap<Key, Counter> counters = new ConcurrentHashMap<>();

  private record Key(String spec, String kind, String rule) {}

  /**
   * Registers a zero counter for every rule of {@code programs} up front: a counter that first
   * appears with a value hides its first increase from PromQL's {@code increase()}, so the
   * "violations appearing" rule would miss the first violation of each rule.
   */
  public ViolationMetrics(MeterRegistry registry, List<Program> programs) {
    this.registry = registry;
    for (Program p : programs) {
      counter(new Key(p.name(), ViolationKind.MALFORMED.label(), ""));
      for (EventType e : p.events()) {
        counter(new Key(p.name(), ViolationKind.TRANSITION.label(), e.name()));
      }
      for (EntityType t : p.entities()) {
        for (Invariant inv : t.invariants()) {
          counter(new Key(p.name(), ViolationKind.INVARIANT.label(), inv.name()));
        }
        for (Deadline d : t.deadlines()) {
          counter(new Key(p.name(), ViolationKind.DEADLINE.label(), d.name()));
        }
      }
    }
  }

  @Override
  public void accept(Violation v) {
    Key k = new Key(v.spec(), v.kind().label(), v.rule() == null ? "" : v.rule());
    counter(k).increment();
  }

  private Counter counter(Key k) {
    return counters.computeIfAbsent(k, key -> Counter.builder("specwatch.violations")
        .description("Violations raised, by spec, kind and rule (malformed documents have an empty rule).")
        .tag("spec", key.spec()).tag("kind", key.kind()).tag("rule", key.rule())
        .register(registry));
  }
}
