package io.specwatch.load.bench;

import java.util.Set;

/**
 * One engine under measurement on a {@link PaymentsWorkload}: the same four rules (capture
 * without authorization, capture above the authorized amount, refund after failure, no capture
 * or failure within 10 minutes of event time) and the same event-time semantics as
 * {@code payments-bench.sw}: the watermark is the largest event time minus 2 minutes, and a
 * deadline fires when the watermark passes its expiry, before the event that moved it applies.
 *
 * <p>The runner calls {@link #prepare} outside the timed region for each batch, then
 * {@link #process} for each event of the batch, timed. An engine is used for one pass.
 */
public interface Engine {
  /** Untimed: makes events {@code [from, to)} ready (e.g. specwatch decodes their JSON lines). */
  default void prepare(int from, int to) throws Exception {}

  /** Timed: applies event {@code i} of the workload. */
  void process(int i);

  /** Called once after the last event, untimed (e.g. drains a pipeline). */
  default void finish() throws Exception {}

  /** Releases what the engine holds outside itself (e.g. a registered runtime); untimed, last. */
  default void close() throws Exception {}

  /** The verdicts raised so far, as {@code "RULE KEY"}. */
  Set<String> verdicts();

  /** Entity instances the engine holds now (for bytes per instance). */
  long liveInstances();

  /**
   * True when the engine works on other threads too (a pipeline): its throughput is then the
   * wall-clock time of the whole pass up to {@link #finish}, preparation included.
   */
  default boolean timesWallClock() {
    return false;
  }

  /**
   * The engine's own latency histogram (ns) of the pass, or null when the runner should time
   * each {@link #process} call. An engine with its own latency is fed open loop at a fixed rate.
   */
  default org.HdrHistogram.Histogram ownLatency() {
    return null;
  }

  /** Makes engines of one kind, one per pass. */
  interface Factory {
    String name();

    Engine create(PaymentsWorkload w) throws Exception;
  }
}
