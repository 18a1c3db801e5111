package io.specwatch.cli.run;

import io.specwatch.cli.config.DaemonConfig;

/**
 * The daemon's cap on live instances per spec ({@code limits.max_live_instances}). A flood of
 * fresh keys (a bug upstream, or hostile input) must end in {@code error} violations and a
 * metric ({@code specwatch_instances_refused_total}), never in an OutOfMemoryError that takes
 * every spec down; so the default is a finite cap derived from the heap ({@code auto}).
 *
 * <p>{@code auto}: half the maximum heap, at {@value #BYTES_PER_INSTANCE} bytes per instance,
 * shared by the specs. 300 B is the measured ~190 B per live instance of a small entity
 * (docs/operations.md, "Sizing": heap after a full GC, dedupe memory included) with room for
 * the dedupe memory of busier entities and for string or set variables; the other
 * half of the heap is for the checkpoint being encoded (it is about a third of the state's
 * size), queues, sinks and the collector's headroom. With -Xmx2g that is about 3.5 million
 * instances for one spec.
 */
final class LiveInstanceCap {
  static final long BYTES_PER_INSTANCE = 300;
  /** Never lower than this, even on a tiny heap: a cap that refuses normal traffic is worse. */
  static final long FLOOR = 10_000;
  /** How many partitions {@code auto} assumes a Kafka member holds. */
  static final int AUTO_PARTITIONS = AutoCap.AUTO_PARTITIONS;
  private static final AutoCap AUTO = new AutoCap(2, BYTES_PER_INSTANCE, FLOOR);

  private LiveInstanceCap() {}

  /** The cap per spec for {@code specs} specs: 0 for none. */
  static long perSpec(DaemonConfig.Limits limits, int specs) {
    return perSpec(limits.maxLiveInstances(), Runtime.getRuntime().maxMemory(), specs);
  }

  /**
   * The cap per spec in each Kafka partition's own monitor. A set value applies as is. {@code
   * auto} splits the daemon's share among {@value #AUTO_PARTITIONS} partitions (more partitions
   * per member: set the value; docs/operations.md).
   */
  static long perPartition(DaemonConfig.Limits limits, int specs) {
    return AUTO.perPartition(limits.maxLiveInstances(), Runtime.getRuntime().maxMemory(), specs);
  }

  static long perSpec(long setting, long maxHeapBytes, int specs) {
    return AUTO.perSpec(setting, maxHeapBytes, specs);
  }
}
