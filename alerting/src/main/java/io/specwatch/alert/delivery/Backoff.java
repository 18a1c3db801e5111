package io.specwatch.alert.delivery;

import java.time.Duration;
import java.util.random.RandomGenerator;

/**
 * Exponential backoff with jitter, capped: the n-th consecutive failure waits a random time
 * between half and all of {@code min(max, initial * 2^(n-1))}. The jitter spreads the retries of
 * many specwatch instances so a recovering Alertmanager is not hit by all of them at once; the
 * lower half keeps the wait growing. Not thread-safe: one per delivery thread.
 */
public final class Backoff {
  private final long initialMillis;
  private final long maxMillis;
  private final RandomGenerator random;
  private int failures;

  public Backoff(Duration initial, Duration max, RandomGenerator random) {
    if (initial.isNegative() || initial.isZero() || max.compareTo(initial) < 0) {
      throw new IllegalArgumentException("backoff needs 0 < initial <= max, was " + initial + " and " + max);
    }
    this.initialMillis = initial.toMillis();
    this.maxMillis = max.toMillis();
    this.random = random;
  }

  /** The wait before the next attempt, after one more failure. */
  public long nextDelayMillis() {
    failures++;
    long ceiling = maxMillis;
    if (failures < 63 && initialMillis <= (maxMillis >> Math.min(62, failures - 1))) {
      ceiling = Math.min(maxMillis, initialMillis << (failures - 1));
    }
    long half = ceiling / 2;
    return half + (ceiling - half == 0 ? 0 : random.nextLong(ceiling - half + 1));
  }

  /** After a success: the next failure starts from the initial delay again. */
  public void reset() {
    failures = 0;
  }

  public int consecutiveFailures() {
    return failures;
  }
}
