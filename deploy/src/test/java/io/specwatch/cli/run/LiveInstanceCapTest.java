package io.specwatch.cli.run;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.specwatch.cli.config.DaemonConfig;
import org.junit.jupiter.api.Test;

/** {@code limits.max_live_instances}: what {@code auto} comes to, and that a set value wins. */
class LiveInstanceCapTest {
  private static final long GIB = 1L << 30;

  private static DaemonConfig.Limits limits(long setting) {
    return new DaemonConfig.Limits(1 << 20, 500, 1 << 14, 1, setting);
  }

  @Test
  void autoIsHalfTheHeapAtThreeHundredBytesAnInstanceSharedByTheSpecs() {
    assertEquals(2 * GIB / 2 / 300, LiveInstanceCap.perSpec(DaemonConfig.Limits.AUTO, 2 * GIB, 1),
        "about 3.6 million with -Xmx2g and one spec");
    assertEquals(2 * GIB / 2 / 300 / 4, LiveInstanceCap.perSpec(DaemonConfig.Limits.AUTO, 2 * GIB, 4));
    assertEquals(LiveInstanceCap.FLOOR, LiveInstanceCap.perSpec(DaemonConfig.Limits.AUTO, 8L << 20, 3),
        "never below the floor, even on a tiny heap");
  }

  @Test
  void aSetValueIsTakenAsItIsAndZeroMeansNoCap() {
    assertEquals(123, LiveInstanceCap.perSpec(123, 2 * GIB, 5));
    assertEquals(0, LiveInstanceCap.perSpec(0, 2 * GIB, 5));
    assertEquals(123, LiveInstanceCap.perPartition(limits(123), 5));
  }

  @Test
  void autoPerKafkaPartitionSharesTheDaemonsCapAmongEightPartitions() {
    long perSpec = LiveInstanceCap.perSpec(limits(DaemonConfig.Limits.AUTO), 1);
    assertEquals(Math.max(LiveInstanceCap.FLOOR, perSpec / 8),
        LiveInstanceCap.perPartition(limits(DaemonConfig.Limits.AUTO), 1));
  }
}
