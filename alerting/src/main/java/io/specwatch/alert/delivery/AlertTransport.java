package io.specwatch.alert.delivery;

import io.specwatch.alert.Alert;
import java.util.List;

/**
 * Sends one batch of alerts to one destination, synchronously, on the delivery thread of a
 * {@link DeliveryQueue}. Implementations hold the connection and the wire format only: queueing,
 * batching, retries and counting are the queue's.
 *
 * <p>To add a destination (e.g. a Kafka topic): implement this, throw
 * {@link DeliveryException#retriable} when the destination is down or slow (the batch is retried
 * with backoff) and {@link DeliveryException#rejected} when it refuses the batch for good (it is
 * dropped and counted), and wrap it in a {@link DeliveryQueue}.
 */
public interface AlertTransport extends AutoCloseable {
  /** A stable name for metrics and logs, e.g. {@code webhook} or {@code kafka-alerts}. */
  String name();

  /** Delivers the whole batch, or throws; never partly (a retry resends the whole batch). */
  void send(List<Alert> batch) throws DeliveryException;

  @Override
  default void close() {}
}
