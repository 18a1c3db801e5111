package io.specwatch.core.pipeline;

/**
 * How a {@link Pipeline} is laid out, checked when built.
 *
 * @param ringSize slots in the ring between sources and the decode stage; a power of two. When
 *     it is full, publishing blocks: that is the backpressure sources feel.
 * @param evaluators evaluator threads; instances are sharded over them by entity key
 * @param waitStrategy how idle stages wait for work
 * @param maxNestingDepth documents nested deeper are malformed
 */
public record PipelineConfig(int ringSize, int evaluators, WaitStrategyKind waitStrategy,
    int maxNestingDepth, long maxLiveInstances) {

  /** The Disruptor wait strategies that make sense here. */
  public enum WaitStrategyKind {
    /** Lowest CPU when idle, some latency on wake-up: the default for daemons and sidecars. */
    BLOCKING,
    /** Spins briefly, then parks for short periods: good throughput without burning a core. */
    SLEEPING,
    /** Spins then yields: lowest latency when there are spare cores. */
    YIELDING
  }

  public PipelineConfig {
    if (ringSize < 2 || Integer.bitCount(ringSize) != 1) {
      throw new IllegalArgumentException("ringSize must be a power of 2 (at least 2), was " + ringSize);
    }
    if (evaluators < 1 || evaluators > 256) {
      throw new IllegalArgumentException("evaluators must be between 1 and 256, was " + evaluators);
    }
    if (maxNestingDepth < 1) {
      throw new IllegalArgumentException("maxNestingDepth must be positive, was " + maxNestingDepth);
    }
    if (maxLiveInstances < 0) {
      throw new IllegalArgumentException("maxLiveInstances must be >= 0 (0: no cap), was "
          + maxLiveInstances);
    }
  }

  /** A configuration with no cap on live instances. */
  public PipelineConfig(int ringSize, int evaluators, WaitStrategyKind waitStrategy,
      int maxNestingDepth) {
    this(ringSize, evaluators, waitStrategy, maxNestingDepth, 0);
  }

  /**
   * Each spec's cap split over the evaluators (rounded up): keys spread evenly over shards by
   * hash, and a per-evaluator cap keeps the check on the evaluator's own thread, lock-free.
   */
  long maxLiveInstancesPerEvaluator() {
    return maxLiveInstances == 0 ? 0 : (maxLiveInstances + evaluators - 1) / evaluators;
  }

  /** Each spec holds at most {@code n} live instances (0: no cap). */
  public PipelineConfig withMaxLiveInstances(long n) {
    return new PipelineConfig(ringSize, evaluators, waitStrategy, maxNestingDepth, n);
  }

  public static PipelineConfig defaults() {
    return new PipelineConfig(1 << 14, 1, WaitStrategyKind.SLEEPING, 500);
  }

  public PipelineConfig withEvaluators(int n) {
    return new PipelineConfig(ringSize, n, waitStrategy, maxNestingDepth, maxLiveInstances);
  }

  public PipelineConfig withWaitStrategy(WaitStrategyKind w) {
    return new PipelineConfig(ringSize, evaluators, w, maxNestingDepth, maxLiveInstances);
  }

  public PipelineConfig withRingSize(int size) {
    return new PipelineConfig(size, evaluators, waitStrategy, maxNestingDepth, maxLiveInstances);
  }
}
