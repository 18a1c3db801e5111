package io.specwatch.core.pipeline;

/**
 * Receives the time from publishing a document to its verdict, in nanoseconds, on the thread of
 * evaluator shard 0. Implementations must be cheap and must not block (e.g. an HdrHistogram
 * recorder, or a Micrometer timer).
 */
@FunctionalInterface
public interface LatencyRecorder {
  void record(long nanos);
}
