package io.specwatch.cli.demo;

import io.specwatch.core.Violation;
import io.specwatch.core.ViolationKind;
import io.specwatch.core.ViolationSink;
import io.specwatch.core.program.Deadline;
import io.specwatch.core.program.EntityType;
import io.specwatch.core.program.EventType;
import io.specwatch.core.program.Invariant;
import io.specwatch.core.program.Program;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/**
 * Counts violations by spec, kind and rule, in the sink path: called by every evaluator thread
 * at once, read by the status line and the metrics endpoint. Violations are rare next to events,
 * so a concurrent map of adders costs nothing that matters.
 */
public final class ViolationCounter implements ViolationSink {
  /** One counter's identity; {@code rule} is null for a malformed line. */
  public record Rule(String spec, ViolationKind kind, String rule) {
    /** The rule's name, or the kind's where there is none ({@code malformed}). */
    public String label() {
      return rule != null ? rule : kind.label();
    }
  }

  /** A counter's value at one moment. */
  public record Count(Rule rule, long count) {}

  private static final Comparator<Count> MOST_FIRST = Comparator.comparingLong(Count::count)
      .reversed()
      .thenComparing(c -> c.rule().spec())
      .thenComparing(c -> c.rule().kind())
      .thenComparing(c -> c.rule().label());

  private final ConcurrentHashMap<Rule, LongAdder> counts = new ConcurrentHashMap<>();

  /**
   * Starts a counter at zero for every rule the specs declare (a transition per event, each
   * invariant and deadline, malformed lines), so that scrapers see every series from the start.
   */
  public void declare(List<Program> programs) {
    for (Program p : programs) {
      for (EventType e : p.events()) {
        counts.putIfAbsent(new Rule(p.name(), ViolationKind.TRANSITION, e.name()), new LongAdder());
      }
      for (EntityType entity : p.entities()) {
        for (Invariant i : entity.invariants()) {
          counts.putIfAbsent(new Rule(p.name(), ViolationKind.INVARIANT, i.name()), new LongAdder());
        }
        for (Deadline d : entity.deadlines()) {
          counts.putIfAbsent(new Rule(p.name(), ViolationKind.DEADLINE, d.name()), new LongAdder());
        }
      }
      counts.putIfAbsent(new Rule(p.name(), ViolationKind.MALFORMED, null), new LongAdder());
    }
  }

  @Override
  public void accept(Violation v) {
    counts.computeIfAbsent(new Rule(v.spec(), v.kind(), v.rule()), k -> new LongAdder()).increment();
  }

  /** Every counter (declared ones at zero included), the largest first. */
  public List<Count> snapshot() {
    List<Count> all = new ArrayList<>(counts.size());
    counts.forEach((rule, n) -> all.add(new Count(rule, n.sum())));
    all.sort(MOST_FIRST);
    return all;
  }

  public long total() {
    long n = 0;
    for (LongAdder a : counts.values()) {
      n += a.sum();
    }
    return n;
  }
}
