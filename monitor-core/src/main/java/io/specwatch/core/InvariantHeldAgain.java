package io.specwatch.core;

/**
 * One {@link ViolationSink#invariantHolds} call, kept to be delivered later, in order with the
 * violations around it: by a sink queue's drain thread, or by the Kafka source once the
 * transaction that raised it has committed.
 */
public record InvariantHeldAgain(String spec, String rule, String entity, String key,
    Position pos, long time) {

  /** Makes the call this records on {@code sink}. */
  public void replayTo(ViolationSink sink) {
    sink.invariantHolds(spec, rule, entity, key, pos, time);
  }
}
