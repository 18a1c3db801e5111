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
 * forgets as a live stream does, and its summary says so.
 *
 * @param exactIds with event time: how many ids are remembered exactly (never forgotten) before
 *     the memory starts forgetting ids a horizon past their window, for good. 0: forget from the
 *     start, as a live stream does.
 * @param maxIdsWithoutTime without event time (every accepted id is a duplicate forever): the
 *     most ids held; past it the oldest are evicted, and counted
 */
public record DedupeLimits(long exactIds, int maxIdsWithoutTime) {
  /** The cap on ids without event time, by default: about a gigabyte of ids. */
  public static final int DEFAULT_MAX_IDS_WITHOUT_TIME = 10_000_000;

  /**
   * Ids {@code check} remembers exactly, by default: a million ids take about 80 MB (rows of 40
   * bytes, in a table at most half full), and a log with more is a large one for a CI check.
   */
  public static final long DEFAULT_CHECK_EXACT_IDS = 1_000_000;

  /** A live stream's: ids forgotten a horizon past their window, from the start. */
  public static final DedupeLimits LIVE = new DedupeLimits(0, DEFAULT_MAX_IDS_WITHOUT_TIME);

  public DedupeLimits {
    if (exactIds < 0) {
      throw new IllegalArgumentException("exactIds must be >= 0 (0: none), was " + exactIds);
    }
    if (maxIdsWithoutTime < 1) {
      throw new IllegalArgumentException("maxIdsWithoutTime must be positive, was "
          + maxIdsWithoutTime);
    }
  }

  /** A finite log's: up to {@code exactIds} ids remembered exactly, then as {@link #LIVE}. */
  public static DedupeLimits forCheck(long exactIds) {
    return new DedupeLimits(exactIds, DEFAULT_MAX_IDS_WITHOUT_TIME);
  }
}
