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
  void autoIsAnEighthOfTheHeapAt160BytesAnIdSharedByTheSpecs() {
    assertEquals(1_677_721, DedupeIdCap.perSpec(DaemonConfig.Limits.AUTO, 2 * GIB, 1),
        "about 1.7 million with -Xmx2g and one spec");
    assertEquals(838_860, DedupeIdCap.perSpec(DaemonConfig.Limits.AUTO, 2 * GIB, 2));
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
  void autoPerKafkaPartitionSharesTheDaemonsCapAmongEightPartitionsAboveTheFloor() {
    long heap = Runtime.getRuntime().maxMemory();
    long perSpec = heap == Long.MAX_VALUE ? (1L << 30) / 8 / 160 : Math.max(100_000, heap / 8 / 160);
    assertEquals(Math.max(100_000, perSpec / 8),
        DedupeIdCap.perPartition(limits(DaemonConfig.Limits.AUTO), 1),
        "this JVM's heap: " + heap);
    assertEquals(100_000, DedupeIdCap.perPartition(limits(DaemonConfig.Limits.AUTO), 1_000),
        "a thousand specs: the floor, not a cap that refuses normal traffic");
  }
}
