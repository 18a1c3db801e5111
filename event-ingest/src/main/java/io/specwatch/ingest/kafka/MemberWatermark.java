package io.specwatch.ingest.kafka;

import io.specwatch.core.ViolationSink;
import io.specwatch.core.engine.SpecRuntime;
import java.util.Collection;
import java.util.List;
import java.util.function.Predicate;

/**
 * The member-wide watermark with an idle-partition timeout (docs/kafka.md, section 4). Per spec,
 * the member's watermark is the minimum of its partitions' own watermarks over the partitions
 * that are not idle; every idle partition's runtime then fires the deadlines that watermark has
 * passed. A partition that is not idle never needs it: its own watermark is at least the minimum,
 * so it keeps firing exactly as {@code check} over its records does. Without an idle partition
 * this therefore changes nothing, and with the timeout off no partition is ever idle.
 *
 * <p>An advance is state that re-applying records cannot rebuild, so a partition whose advance
 * fired something is flagged {@link PartitionRuntime#mustCheckpoint}: the caller writes its
 * checkpoint in the same transaction as the violations the advance raised.
 */
final class MemberWatermark {
  private MemberWatermark() {}

  /**
   * Advances the idle partitions of {@code owned}; returns how many partition runtimes fired
   * something. Partitions still re-applying records after a restore are left alone.
   */
  static int advanceIdle(Collection<PartitionRuntime> owned, Predicate<PartitionRuntime> idle,
      ViolationSink out) {
    List<PartitionRuntime> all = List.copyOf(owned);
    if (all.isEmpty()) {
      return 0;
    }
    int specs = all.get(0).monitor.runtimes().size();
    long[] minimum = new long[specs];
    java.util.Arrays.fill(minimum, Long.MAX_VALUE);
    boolean anyIdle = false;
    boolean anyActive = false;
    boolean[] isIdle = new boolean[all.size()];
    for (int p = 0; p < all.size(); p++) {
      PartitionRuntime rt = all.get(p);
      isIdle[p] = idle.test(rt);
      if (isIdle[p]) {
        anyIdle = true;
        continue;
      }
      anyActive = true;
      List<SpecRuntime> runtimes = rt.monitor.runtimes();
      for (int s = 0; s < specs; s++) {
        minimum[s] = Math.min(minimum[s], runtimes.get(s).watermark());
      }
    }
    // All idle: no partition's event time moves, so there is nothing to follow (as in Flink).
    if (!anyIdle || !anyActive) {
      return 0;
    }
    int fired = 0;
    for (int p = 0; p < all.size(); p++) {
      PartitionRuntime rt = all.get(p);
      if (!isIdle[p] || rt.nextOffset < rt.emittedUpTo) {
        continue;
      }
      IdlePosition pos = new IdlePosition(rt.partition.topic(), rt.partition.partition(),
          rt.nextOffset < 0 ? -1 : rt.nextOffset - 1);
      boolean changed = false;
      List<SpecRuntime> runtimes = rt.monitor.runtimes();
      for (int s = 0; s < specs; s++) {
        changed |= runtimes.get(s).advanceWatermark(minimum[s], pos, out);
      }
      if (changed) {
        rt.mustCheckpoint = true;
        fired++;
      }
    }
    return fired;
  }
}
