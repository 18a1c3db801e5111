package io.specwatch.alert.metrics;

import io.specwatch.alert.SinkStatus;
import io.specwatch.core.pipeline.SinkQueue;

/**
 * A pipeline {@link SinkQueue} (violations waiting for a sink such as the alert tracker) seen as a
 * {@link SinkStatus}, so that violations it drops when full show in
 * {@code specwatch_sink_dropped_total} like any other lost delivery. Its sink label is
 * {@code queue-NAME}. "Failed" counts violations its sink threw on.
 */
public final class SinkQueueStatus implements SinkStatus {
  private final SinkQueue queue;
  private final int capacity;

  /** @param capacity the capacity the queue was built with (SinkQueue does not expose it) */
  public SinkQueueStatus(SinkQueue queue, int capacity) {
    this.queue = queue;
    this.capacity = capacity;
  }

  @Override
  public String name() {
    return "queue-" + queue.name();
  }

  @Override
  public long sent() {
    return queue.delivered();
  }

  @Override
  public long failed() {
    return queue.failed();
  }

  @Override
  public long dropped() {
    return queue.dropped();
  }

  @Override
  public int queueDepth() {
    return queue.depth();
  }

  @Override
  public int queueCapacity() {
    return capacity;
  }
}
