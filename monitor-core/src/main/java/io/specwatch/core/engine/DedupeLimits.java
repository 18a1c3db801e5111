package io.specwatch.core.engine;

/**
 * How much a spec's dedupe memory may hold, and so how exactly it follows the contract.
 *
 * <p>The contract makes a copy a duplicate whenever its own time is before t0 + window (t0: the
 * time of the latest accepted copy), however late it arrives. Only remembering every id forever
 * does that, and memory would then grow with the input. A live stream never ends, so there an id
 * is forgotten once the watermark is a further horizon past the end of its window (the window
 * again, and at least an hour: docs/language.md, choice 4). A {@code check} reads a finite log, so
 * it remembers every id exactly, as the contract says, up to {@link #exactIds}; past that many it
 * forgets as a live stream does, from the watermark's next move, and its summary says so.
 *
 * @param exactIds with event time: how many ids are remembered exactly (never forgotten) before
 *     the memory starts forgetting ids a horizon past their window, for good. 0: forget from the
 *     start, as a live stream does.
 * @param maxIds the most ids held (0: no cap), so that a flood of fresh ids hits a limit with a
 *     metric, never an OutOfMemoryError. With event time a new id past it is not recorded (its
 *     document is applied; a later copy of it is not recognised) and counted; without event time
 *     (every accepted id a duplicate forever) the oldest id is evicted instead, and counted
 */
public record DedupeLimits(long exactIds, long maxIds) {
  /**
   * The cap on ids held, by default: 10 million, about 0.8 to 1.6 GB (rows of 40 bytes in a table
   * a quarter to half full). The daemon derives its own from the heap ({@code
   * limits.max_dedupe_ids}).
   */
  public static final long DEFAULT_MAX_IDS = 10_000_000;

  /**
   * Ids {@code check} remembers exactly, by default: a million ids take 80 to 160 MB (more for
   * ids over 24 characters, kept as strings), and a log with more is a large one for a CI check.
   */
  public static final long DEFAULT_CHECK_EXACT_IDS = 1_000_000;

  /** A live stream's: ids forgotten a horizon past their window, from the start. */
  public static final DedupeLimits LIVE = new DedupeLimits(0, DEFAULT_MAX_IDS);

  public DedupeLimits {
    if (exactIds < 0) {
      throw new IllegalArgumentException("exactIds must be >= 0 (0: none), was " + exactIds);
    }
    if (maxIds < 0) {
      throw new IllegalArgumentException("maxIds must be >= 0 (0: no cap), was " + maxIds);
    }
  }

  /** A finite log's: up to {@code exactIds} ids remembered exactly, then as {@link #LIVE}. */
  public static DedupeLimits forCheck(long exactIds) {
    return new DedupeLimits(exactIds, DEFAULT_MAX_IDS);
  }

  /** These limits holding at most {@code n} ids (0: no cap). */
  public DedupeLimits withMaxIds(long n) {
    return new DedupeLimits(exactIds, n);
  }

  /** {@link #maxIds} with 0 (no cap) as the largest long, for comparisons. */
  public long cap() {
    return maxIds == 0 ? Long.MAX_VALUE : maxIds;
  }
}
