package io.specwatch.cli.demo;

import java.util.function.BooleanSupplier;
import java.util.function.LongConsumer;
import java.util.function.LongSupplier;

/**
 * Holds a source to a rate without spinning: the source publishes a small batch, then
 * {@link #await} parks until the schedule allows the next one. Parking is sliced so that a stop
 * request is seen within {@value #MAX_PARK_MILLIS} ms however low the rate.
 *
 * <p>A source that falls more than a second behind (a stalled sink, a GC pause) does not try to
 * catch up in a burst: the schedule restarts from now.
 */
final class Pacer {
  static final long MAX_PARK_MILLIS = 50;
  private static final long NANOS_PER_SECOND = 1_000_000_000L;

  private final long perSecond;
  private final LongSupplier nanoTime;
  private final LongConsumer park;
  private long startNanos;
  private long startCount;

  /**
   * @param perSecond the rate, at least 1
   * @param nanoTime the clock ({@code System::nanoTime})
   * @param park parks the caller for at most the given nanoseconds ({@code LockSupport::parkNanos})
   */
  Pacer(long perSecond, LongSupplier nanoTime, LongConsumer park) {
    if (perSecond < 1) {
      throw new IllegalArgumentException("rate must be at least 1 per second, was " + perSecond);
    }
    this.perSecond = perSecond;
    this.nanoTime = nanoTime;
    this.park = park;
    this.startNanos = nanoTime.getAsLong();
  }

  /** How many to publish between two waits: about 500 batches a second, at most 4096 each. */
  int batchSize() {
    return (int) Math.max(1, Math.min(4096, perSecond / 500));
  }

  /**
   * Waits until {@code published} items are due (counted from the start), or {@code stop} holds.
   */
  void await(long published, BooleanSupplier stop) {
    // Multiply before dividing; split the product so high counts do not overflow.
    long n = published - startCount;
    long due = startNanos + (n / perSecond) * NANOS_PER_SECOND
        + (n % perSecond) * NANOS_PER_SECOND / perSecond;
    long now = nanoTime.getAsLong();
    if (now - due > NANOS_PER_SECOND) {
      startNanos = now;
      startCount = published;
      return;
    }
    while (due - now > 0 && !stop.getAsBoolean()) {
      park.accept(Math.min(due - now, MAX_PARK_MILLIS * 1_000_000));
      now = nanoTime.getAsLong();
    }
  }
}
