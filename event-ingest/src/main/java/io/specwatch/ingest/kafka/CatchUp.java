package io.specwatch.ingest.kafka;

import java.time.Duration;
import java.util.Collection;
import java.util.Iterator;
import java.util.Map;
import java.util.OptionalLong;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.ToLongFunction;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.TimeoutException;

/**
 * Whether a consumer has caught up: it has joined its group, and every partition assigned to it
 * has reached the end offset that partition had when it was assigned (its consumer lag was 0
 * once). Readiness ({@code /readyz}) uses it: a member restarted over a backlog is not ready
 * until it has consumed that backlog, and records produced meanwhile do not keep it unready.
 *
 * <p>Driven by the consumer's own thread (the consumer is not thread-safe); {@link #caughtUp()}
 * is read from any thread.
 */
final class CatchUp {
  /** Partitions not caught up yet, with the end offset they must reach. */
  private final Map<TopicPartition, Long> pending = new ConcurrentHashMap<>();
  private volatile boolean joined;

  /**
   * Records the partitions just assigned and their end offsets now ({@code read_committed}: the
   * last stable offset). A partition with no records to catch up on is caught up at once.
   */
  void assigned(Consumer<?, ?> consumer, Collection<TopicPartition> partitions) {
    if (!partitions.isEmpty()) {
      consumer.endOffsets(partitions).forEach((tp, end) -> {
        if (end != null && end > 0) {
          pending.put(tp, end);
        }
      });
    }
    joined = true;
  }

  void revoked(Collection<TopicPartition> partitions) {
    partitions.forEach(pending::remove);
  }

  /** A new incarnation of the member (after an error): not caught up until it joins again. */
  void reset() {
    pending.clear();
    joined = false;
  }

  /**
   * After a poll: marks caught up the partitions whose next offset to apply, or whose consumer
   * position (which moves past transaction markers), has reached its target, or whose lag is 0.
   */
  void update(Consumer<?, ?> consumer, ToLongFunction<TopicPartition> nextOffset) {
    if (pending.isEmpty()) {
      return;
    }
    for (Iterator<Map.Entry<TopicPartition, Long>> it = pending.entrySet().iterator(); it.hasNext(); ) {
      Map.Entry<TopicPartition, Long> e = it.next();
      TopicPartition tp = e.getKey();
      if (nextOffset.applyAsLong(tp) >= e.getValue() || lagIsZero(consumer, tp)
          || position(consumer, tp) >= e.getValue()) {
        it.remove();
      }
    }
  }

  /**
   * While polled records may still be waiting to be applied: marks caught up only the partitions
   * whose next offset to apply has reached its target (the consumer's position and lag are
   * already past records not applied yet, so they cannot be trusted here).
   */
  void updateApplied(ToLongFunction<TopicPartition> nextOffset) {
    if (!pending.isEmpty()) {
      pending.entrySet().removeIf(e -> nextOffset.applyAsLong(e.getKey()) >= e.getValue());
    }
  }

  private static boolean lagIsZero(Consumer<?, ?> consumer, TopicPartition tp) {
    OptionalLong lag = consumer.currentLag(tp);
    return lag.isPresent() && lag.getAsLong() == 0;
  }

  /** The consumer's position if it knows it without asking the broker, else -1. */
  private static long position(Consumer<?, ?> consumer, TopicPartition tp) {
    try {
      return consumer.assignment().contains(tp) ? consumer.position(tp, Duration.ZERO) : -1;
    } catch (TimeoutException e) {
      return -1;
    }
  }

  boolean caughtUp() {
    return joined && pending.isEmpty();
  }
}
