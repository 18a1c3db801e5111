package io.specwatch.core.pipeline;

import io.specwatch.core.engine.DedupeLimits;

/**
 * How a {@link Pipeline} is laid out, checked when built.
 *
 * @param ringSize slots in the ring between sources and the decode stage; a power of two. When
 *     it is full, publishing blocks: that is the backpressure sources feel.
 * @param evaluators evaluator threads; instances are sharded over them by entity key
 * @param waitStrategy how idle stages wait for work
 * @param maxNestingDepth documents nested deeper are malformed
 * @param maxLiveInstances each spec's cap on live instances (0: no cap)
 * @param decode which thread parses and admits documents (see {@link DecodeMode})
 * @param singleSource whether one thread does all the publishing (a file reader, the demo's
 *     simulator, a benchmark): only then may documents be decoded on the publishing thread
 *     without a lock (see {@link DecodeMode#ON_PUBLISH})
 * @param dedupeLimits what each spec's dedupe memory may hold: a live stream's by default,
 *     {@code check}'s exact memory for a finite log
 */
public record PipelineConfig(int ringSize, int evaluators, WaitStrategyKind waitStrategy,
    int maxNestingDepth, long maxLiveInstances, DecodeMode decode, boolean singleSource,
    DedupeLimits dedupeLimits) {

  /**
   * Where documents are parsed and admitted. Either way admission happens once per document, in
   * ring order, so the verdicts are the same.
   */
  public enum DecodeMode {
    /**
     * A decode thread of its own behind the ring: publishing only copies the bytes into a slot.
     * Best when every stage has a core: the publisher, the decoder and each evaluator.
     */
    OWN_THREAD,
    /**
     * The publishing thread parses and admits the document straight into its ring slot, and the
     * ring carries admitted documents. One busy thread fewer: on 2 cores the source and the
     * evaluator each have one, instead of three busy threads taking turns in scheduler time
     * slices. Admission is stateful (dedupe memory, watermark) and the hot path takes no lock,
     * so the pipeline then has <b>one publishing thread</b>: the first thread that publishes
     * owns it, and another thread's publish is refused with an {@link IllegalStateException}.
     * Several concurrent sources (HTTP receivers) use {@link #OWN_THREAD}.
     */
    ON_PUBLISH,
    /**
     * {@link #ON_PUBLISH} for a {@linkplain PipelineConfig#singleSource() single source} when
     * evaluators + 2 busy threads exceed the available processors, else {@link #OWN_THREAD}.
     */
    AUTO;

    /** This mode for {@code evaluators} evaluators on {@code processors} processors. */
    public DecodeMode resolve(int evaluators, int processors, boolean singleSource) {
      if (this != AUTO) {
        return this;
      }
      return singleSource && evaluators + 2 > processors ? ON_PUBLISH : OWN_THREAD;
    }
  }

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
    if (decode == null) {
      throw new IllegalArgumentException("decode mode must be given");
    }
    if (dedupeLimits == null) {
      throw new IllegalArgumentException("dedupe limits must be given");
    }
  }

  /** A configuration whose dedupe memories forget as a live stream's do. */
  public PipelineConfig(int ringSize, int evaluators, WaitStrategyKind waitStrategy,
      int maxNestingDepth, long maxLiveInstances, DecodeMode decode, boolean singleSource) {
    this(ringSize, evaluators, waitStrategy, maxNestingDepth, maxLiveInstances, decode,
        singleSource, DedupeLimits.LIVE);
  }

  /** A configuration for any number of publishing threads. */
  public PipelineConfig(int ringSize, int evaluators, WaitStrategyKind waitStrategy,
      int maxNestingDepth, long maxLiveInstances, DecodeMode decode) {
    this(ringSize, evaluators, waitStrategy, maxNestingDepth, maxLiveInstances, decode, false);
  }

  /** A configuration that chooses where to decode by the available processors. */
  public PipelineConfig(int ringSize, int evaluators, WaitStrategyKind waitStrategy,
      int maxNestingDepth, long maxLiveInstances) {
    this(ringSize, evaluators, waitStrategy, maxNestingDepth, maxLiveInstances, DecodeMode.AUTO);
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
    return new PipelineConfig(ringSize, evaluators, waitStrategy, maxNestingDepth, n, decode,
        singleSource, dedupeLimits);
  }

  public PipelineConfig withDecode(DecodeMode mode) {
    return new PipelineConfig(ringSize, evaluators, waitStrategy, maxNestingDepth,
        maxLiveInstances, mode, singleSource, dedupeLimits);
  }

  /**
   * Declares that one thread does all the publishing, which lets {@link DecodeMode#AUTO} decode on
   * that thread when the cores are few (a second publishing thread is then refused).
   */
  public PipelineConfig withSingleSource() {
    return new PipelineConfig(ringSize, evaluators, waitStrategy, maxNestingDepth,
        maxLiveInstances, decode, true, dedupeLimits);
  }

  /** The decode mode on this machine ({@link DecodeMode#AUTO} resolved). */
  public DecodeMode effectiveDecode() {
    return decode.resolve(evaluators, Runtime.getRuntime().availableProcessors(), singleSource);
  }

  /**
   * 1024 slots, one evaluator, sleeping, decode chosen by the processors, any number of
   * publishing threads. The ring is small on
   * purpose: a slot with its admitted documents is a few hundred bytes, and a slot is read by the
   * evaluator about a ring's length after it was written, so 16K slots (several MB) made each
   * slot a miss to memory on both threads, where 1K slots stay in the caches. Measured on the
   * payments benchmark, decoding on publish, thread CPU per event: publisher 651-775 ns and
   * evaluator 734-799 ns with 1024 slots, 1111-1148 and 1026-1101 ns with 16384 (256, 2048 and
   * 4096 slots: between). Bursts larger than the ring wait in the sources (backpressure).
   */
  public static PipelineConfig defaults() {
    return new PipelineConfig(1 << 10, 1, WaitStrategyKind.SLEEPING, 500);
  }

  public PipelineConfig withEvaluators(int n) {
    return new PipelineConfig(ringSize, n, waitStrategy, maxNestingDepth, maxLiveInstances,
        decode, singleSource, dedupeLimits);
  }

  public PipelineConfig withWaitStrategy(WaitStrategyKind w) {
    return new PipelineConfig(ringSize, evaluators, w, maxNestingDepth, maxLiveInstances, decode,
        singleSource, dedupeLimits);
  }

  /** Each spec's dedupe memory keeps to {@code limits} ({@code check}: exact, up to a cap). */
  public PipelineConfig withDedupeLimits(DedupeLimits limits) {
    return new PipelineConfig(ringSize, evaluators, waitStrategy, maxNestingDepth,
        maxLiveInstances, decode, singleSource, limits);
  }

  public PipelineConfig withRingSize(int size) {
    return new PipelineConfig(size, evaluators, waitStrategy, maxNestingDepth, maxLiveInstances,
        decode, singleSource, dedupeLimits);
  }
}
