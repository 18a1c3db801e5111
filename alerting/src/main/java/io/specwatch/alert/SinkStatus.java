package io.specwatch.alert;

/**
 * What one delivery destination has done, read by the metrics binder. Counters only grow.
 * "Sent" counts alerts accepted by the destination; "failed" counts delivery attempts that failed
 * (each retried later); "dropped" counts alerts given up on: queue full, rejected as invalid, or
 * still queued at shutdown. Every drop is also logged.
 */
public interface SinkStatus {
  /** A stable name for labels, e.g. {@code alertmanager-127.0.0.1:9093} or {@code webhook}. */
  String name();

  long sent();

  long failed();

  long dropped();

  int queueDepth();

  int queueCapacity();
}
