package io.specwatch.cli.run;

import io.specwatch.cli.config.DaemonConfig;

/**
 * The daemon's cap on event ids each spec's dedupe memory holds ({@code limits.max_dedupe_ids}).
 * A live stream's memory keeps every id until the watermark is a horizon past its window, so it
 * holds about (ids per second) x (window + max(window, 1h)): at 2,000 fresh ids a second and
 * {@code dedupe within 1h}, 14.4 million. Without a cap that is an OutOfMemoryError waiting for
 * a busy hour; with one, past it a new id is applied but not recorded (a later copy of it would
 * not be recognised), counted in {@code specwatch_dedupe_ids_unrecorded_total}.
 *
 * <p>{@code auto}: an eighth of the maximum heap at {@value #BYTES_PER_ID} bytes an id, shared
 * by the specs: rows of 40 bytes in a table a quarter to half full, so 80 to 160 bytes, the top
 * of that range so that a full memory stays within its share (ids over 24 characters, kept as
 * strings, take more; so does a table while it grows). An eighth, because the live-instance
 * cap ({@link LiveInstanceCap}) takes half and the rest is for checkpoints being encoded,
 * queues and the collector. With -Xmx2g that is about 1.7 million ids for one spec; a spec that
 * needs more sets the number and the heap to match (docs/operations.md, "Sizing").
 */
final class DedupeIdCap {
  static final long BYTES_PER_ID = 160;
  /** Never lower than this, even on a tiny heap. */
  static final long FLOOR = 100_000;
  private static final AutoCap AUTO = new AutoCap(8, BYTES_PER_ID, FLOOR);

  private DedupeIdCap() {}

  /** The cap per spec for {@code specs} specs: 0 for none. */
  static long perSpec(DaemonConfig.Limits limits, int specs) {
    return perSpec(limits.maxDedupeIds(), Runtime.getRuntime().maxMemory(), specs);
  }

  /** The cap per spec in each Kafka partition's own monitor, split as the instance cap is. */
  static long perPartition(DaemonConfig.Limits limits, int specs) {
    return AUTO.perPartition(limits.maxDedupeIds(), Runtime.getRuntime().maxMemory(), specs);
  }

  static long perSpec(long setting, long maxHeapBytes, int specs) {
    return AUTO.perSpec(setting, maxHeapBytes, specs);
  }
}
