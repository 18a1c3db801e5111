package io.specwatch.core;

/** Receives violations in the order they are raised. Implementations live in {@code alerting}. */
@FunctionalInterface
public interface ViolationSink {
  void accept(Violation violation);

  /**
   * Invariant {@code rule} of {@code entity} holds again for {@code key}, after a violation was
   * raised for it: lets a sink resolve an alert at once instead of after a quiet period. Called
   * on the same thread and in the same order as {@link #accept}. The default ignores it, so sinks
   * that only want violations need not change.
   */
  default void invariantHolds(String spec, String rule, String entity, String key, Position pos,
      long time) {}
}
