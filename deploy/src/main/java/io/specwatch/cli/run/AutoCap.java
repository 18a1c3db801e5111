package io.specwatch.cli.run;

import io.specwatch.cli.config.DaemonConfig;

/**
 * How a per-spec cap set to {@code auto} comes out of the heap: {@code 1/heapDivisor} of the
 * maximum heap at {@code bytesEach} per item, shared by the specs, never below {@code floor}; and
 * in each Kafka partition's monitor, that split among {@link #AUTO_PARTITIONS} partitions (a
 * member does not know how many it will be assigned, and a flood over every partition must still
 * fit). A value that is set applies as it is, 0 meaning no cap. {@link LiveInstanceCap} and
 * {@link DedupeIdCap} say why their shares and sizes are what they are.
 */
record AutoCap(long heapDivisor, long bytesEach, long floor) {
  /** How many partitions {@code auto} assumes a Kafka member holds. */
  static final int AUTO_PARTITIONS = 8;

  long perSpec(long setting, long maxHeapBytes, int specs) {
    if (setting != DaemonConfig.Limits.AUTO) {
      return setting;
    }
    long heap = maxHeapBytes == Long.MAX_VALUE ? 1L << 30 : maxHeapBytes; // no -Xmx limit known
    return Math.max(floor, heap / heapDivisor / bytesEach / Math.max(1, specs));
  }

  long perPartition(long setting, long maxHeapBytes, int specs) {
    long perSpec = perSpec(setting, maxHeapBytes, specs);
    return setting == DaemonConfig.Limits.AUTO
        ? Math.max(floor, perSpec / AUTO_PARTITIONS) : perSpec;
  }
}
