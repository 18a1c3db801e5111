package io.specwatch.alert.delivery;

import java.time.Duration;

/**
 * One sink's queue and retry policy, checked when built.
 *
 * @param queueCapacity alerts waiting for delivery; when full, new alerts are dropped (counted
 *     and logged). Sized for how long the destination may be down: a sink down for minutes loses
 *     nothing that fits here.
 * @param batchSize most alerts per request
 * @param linger how long to wait for more alerts to fill a batch before sending a partial one
 * @param initialBackoff wait after the first failed attempt; doubles per failure, with jitter
 * @param maxBackoff the cap on that wait
 * @param closeTimeout how long {@code close()} keeps trying to deliver what is queued
 */
public record DeliveryConfig(int queueCapacity, int batchSize, Duration linger,
    Duration initialBackoff, Duration maxBackoff, Duration closeTimeout) {

  public DeliveryConfig {
    if (queueCapacity < 1) {
      throw new IllegalArgumentException("queueCapacity must be positive, was " + queueCapacity);
    }
    if (batchSize < 1 || batchSize > queueCapacity) {
      throw new IllegalArgumentException("batchSize must be between 1 and queueCapacity ("
          + queueCapacity + "), was " + batchSize);
    }
    if (linger.isNegative()) {
      throw new IllegalArgumentException("linger must not be negative, was " + linger);
    }
    if (initialBackoff.isNegative() || initialBackoff.isZero() || maxBackoff.compareTo(initialBackoff) < 0) {
      throw new IllegalArgumentException("backoff needs 0 < initialBackoff <= maxBackoff, was "
          + initialBackoff + " and " + maxBackoff);
    }
    if (closeTimeout.isNegative()) {
      throw new IllegalArgumentException("closeTimeout must not be negative, was " + closeTimeout);
    }
  }

  /** 10,000 alerts, batches of 100 after up to 100 ms, backoff 250 ms to 30 s, 5 s to close. */
  public static DeliveryConfig defaults() {
    return new DeliveryConfig(10_000, 100, Duration.ofMillis(100), Duration.ofMillis(250),
        Duration.ofSeconds(30), Duration.ofSeconds(5));
  }

  public DeliveryConfig withQueueCapacity(int capacity) {
    return new DeliveryConfig(capacity, Math.min(batchSize, capacity), linger, initialBackoff, maxBackoff, closeTimeout);
  }

  public DeliveryConfig withBackoff(Duration initial, Duration max) {
    return new DeliveryConfig(queueCapacity, batchSize, linger, initial, max, closeTimeout);
  }

  public DeliveryConfig withBatching(int batchSize, Duration linger) {
    return new DeliveryConfig(queueCapacity, batchSize, linger, initialBackoff, maxBackoff, closeTimeout);
  }

  public DeliveryConfig withCloseTimeout(Duration timeout) {
    return new DeliveryConfig(queueCapacity, batchSize, linger, initialBackoff, maxBackoff, timeout);
  }
}
