package io.specwatch.core;

/** Receives violations in the order they are raised. Implementations live in {@code alerting}. */
@FunctionalInterface
public interface ViolationSink {
  void accept(Violation violation);
}
