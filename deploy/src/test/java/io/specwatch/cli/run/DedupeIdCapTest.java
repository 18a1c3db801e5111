package io.specwatch.cli.run;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.specwatch.cli.config.DaemonConfig;
import org.junit.jupiter.api.Test;

/** {@code limits.max_dedupe_ids}: what {@code auto} comes to, and that a set value wins. */
class DedupeIdCapTest {
  private static final long GIB = 1L << 30;

  private static DaemonConfig.Limits limits(long setting) {
    return new DaemonConfig.Limits(1 << 20, 500, 1 << 14, 1, DaemonConfig.Limits.AUTO, setting);
  }

  @Test
  void autoIsAnEighthOfTheHeapAtAHundredBytesAnIdSharedByTheSpecs() {
    assertEquals(2 * GIB / 8 / 100, DedupeIdCap.perSpec(DaemonConfig.Limits.AUTO, 2 * GIB, 1),
        "about 2.7 million with -Xmx2g and one spec");
    assertEquals(2 * GIB / 8 / 100 / 2, DedupeIdCap.perSpec(DaemonConfig.Limits.AUTO, 2 * GIB, 2));
    assertEquals(DedupeIdCap.FLOOR, DedupeIdCap.perSpec(DaemonConfig.Limits.AUTO, 8L << 20, 3),
        "never below the floor, even on a tiny heap");
  }

  @Test
  void aSetValueIsTakenAsItIsAndZeroMeansNoCap() {
    assertEquals(123, DedupeIdCap.perSpec(123, 2 * GIB, 5));
    assertEquals(0, DedupeIdCap.perSpec(0, 2 * GIB, 5));
    assertEquals(123, DedupeIdCap.perPartition(limits(123), 5));
    assertEquals(0, DedupeIdCap.perPartition(limits(0), 5));
  }

  @Test
  void autoPerKafkaPartitionSharesTheDaemonsCapAmongEightPartitions() {
    long perSpec = DedupeIdCap.perSpec(limits(DaemonConfig.Limits.AUTO), 1);
    assertEquals(Math.max(DedupeIdCap.FLOOR, perSpec / 8),
        DedupeIdCap.perPartition(limits(DaemonConfig.Limits.AUTO), 1));
  }
}
