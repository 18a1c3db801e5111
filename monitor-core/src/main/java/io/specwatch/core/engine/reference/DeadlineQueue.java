package io.specwatch.core.engine.reference;

import io.specwatch.core.StateSnapshot;
import io.specwatch.core.program.Deadline;
import io.specwatch.core.program.EntityType;
import java.util.Comparator;
import java.util.PriorityQueue;

/**
 * The armed deadlines of one spec, ordered as the contract fires them: by expiry, then entity key
 * (by code point), then deadline name.
 *
 * <p>Disarming is lazy: an entry stays in the heap and is skipped when popped if its instance no
 * longer holds the same arm sequence number. When stale entries outnumber live ones the heap is
 * rebuilt, so re-arming on every heartbeat cannot grow it without bound.
 */
final class DeadlineQueue {
  static final class Entry {
    final long expiry;
    final EntityType entity;
    final Instance instance;
    final Deadline deadline;
    final long seq;

    Entry(long expiry, EntityType entity, Instance instance, Deadline deadline, long seq) {
      this.expiry = expiry;
      this.entity = entity;
      this.instance = instance;
      this.deadline = deadline;
      this.seq = seq;
    }

    boolean isLive() {
      return instance.armSeq[deadline.index()] == seq;
    }
  }

  private static final Comparator<Entry> FIRING_ORDER = Comparator
      .comparingLong((Entry e) -> e.expiry)
      .thenComparing((Entry e) -> e.instance.key, StateSnapshot::compareCodePoints)
      .thenComparing((Entry e) -> e.deadline.name(), StateSnapshot::compareCodePoints);

  private PriorityQueue<Entry> heap = new PriorityQueue<>(FIRING_ORDER);
  private long nextSeq = 1;
  private long live;

  void arm(EntityType entity, Instance inst, Deadline d, long expiry) {
    if (inst.armSeq[d.index()] != 0) {
      live--;
    }
    long seq = nextSeq++;
    inst.armSeq[d.index()] = seq;
    inst.expiry[d.index()] = expiry;
    heap.add(new Entry(expiry, entity, inst, d, seq));
    live++;
    if (heap.size() > 1024 && heap.size() > 4 * live) {
      compact();
    }
  }

  void disarm(Instance inst, int deadlineIndex) {
    if (inst.armSeq[deadlineIndex] != 0) {
      inst.armSeq[deadlineIndex] = 0;
      live--;
    }
  }

  void disarmAll(Instance inst) {
    for (int d = 0; d < inst.armSeq.length; d++) {
      disarm(inst, d);
    }
  }

  /** Removes and returns the next live entry expiring strictly before {@code watermark}, or null. */
  Entry pollExpiredBefore(long watermark) {
    while (!heap.isEmpty()) {
      Entry head = heap.peek();
      if (!head.isLive()) {
        heap.poll();
        continue;
      }
      if (head.expiry >= watermark) {
        return null;
      }
      heap.poll();
      disarm(head.instance, head.deadline.index());
      return head;
    }
    return null;
  }

  /** Removes and returns the next live entry whatever its expiry (for {@code --flush}). */
  Entry pollAny() {
    while (!heap.isEmpty()) {
      Entry head = heap.poll();
      if (head.isLive()) {
        disarm(head.instance, head.deadline.index());
        return head;
      }
    }
    return null;
  }

  long armedCount() {
    return live;
  }

  private void compact() {
    PriorityQueue<Entry> fresh = new PriorityQueue<>(Math.max(16, (int) live * 2), FIRING_ORDER);
    for (Entry e : heap) {
      if (e.isLive()) {
        fresh.add(e);
      }
    }
    heap = fresh;
  }
}
