package io.specwatch.core.engine;

import io.specwatch.core.Position;
import io.specwatch.core.StateSnapshot;
import java.util.Arrays;

/**
 * The armed deadlines of one evaluator, fired in the contract's order: by expiry, then entity key
 * (by code point), then deadline name.
 *
 * <p>A binary heap ordered by expiry alone, each entry three adjacent longs in one array (expiry,
 * arm number, and entity type, deadline and instance id packed), so that sifting touches one
 * cache line per level and compares one long. Ties are ordered when they fire instead: the
 * entries sharing the smallest expiry are taken out together, sorted by key and deadline name
 * (keys read from the table, where they are correct because the entries are live), and handed
 * out one by one. So the heap holds no key string, and arming allocates nothing once the array
 * has grown. On a stream where every expiry is distinct (the common case: milliseconds) a group
 * is one entry and nothing is sorted.
 *
 * <p>Disarming is lazy: an entry stays in the heap and is skipped when popped if its instance no
 * longer holds the same arm number (arm numbers are never reused, so an entry can never come back
 * to life, not even when its instance's id is reused). When stale entries outnumber live ones
 * four to one the heap is rebuilt, so re-arming on every heartbeat cannot grow it without bound.
 *
 * <p>A successful poll leaves the fired entry in {@link #firedEntity}, {@link #firedId},
 * {@link #firedDeadline}, {@link #firedExpiry} and {@link #firedArmedBy}. Callers poll until a
 * poll returns false before they arm anything (the evaluator fires before it applies events).
 *
 * <p>A deadline armed by a document whose position carries trace context (OTLP) keeps that
 * position, so the violation links to the trace that armed it (the checkout that never
 * committed) rather than to whichever document moved the watermark. The array for those is
 * allocated on the first such arm: sources without trace context pay nothing for it.
 */
final class DeadlineQueue {
  /** Longs per heap entry: expiry, arm number, where (entity, deadline, id). */
  private static final int ENTRY = 3;
  private static final int MAX_INDEX = 0xFFFF;

  private final InstanceTable[] tables;
  private long[] heap = new long[64 * ENTRY];
  /** The trace-carrying position that armed each entry, or null; null until first needed. */
  private Position[] armedBy;
  private int size;
  private long nextSeq = 1;
  private long live;

  /** The group of live entries with the smallest expiry, sorted, being handed out. */
  private long[] group = new long[4 * ENTRY];
  private Position[] groupArmedBy = new Position[4];
  private Integer[] order = new Integer[4];
  private int groupSize;
  private int groupNext;

  int firedEntity;
  int firedId;
  int firedDeadline;
  long firedExpiry;
  /** The trace-carrying position that armed the fired entry, or null. */
  Position firedArmedBy;

  DeadlineQueue(InstanceTable[] tables) {
    if (tables.length > MAX_INDEX + 1) {
      throw new IllegalArgumentException("more than " + (MAX_INDEX + 1) + " entity types");
    }
    for (InstanceTable t : tables) {
      if (t.deadlineSlots > MAX_INDEX + 1) {
        throw new IllegalArgumentException("more than " + (MAX_INDEX + 1) + " deadlines");
      }
    }
    this.tables = tables;
  }

  void arm(int entity, int id, int deadline, long expiry) {
    arm(entity, id, deadline, expiry, null);
  }

  /** Arms deadline {@code deadline} of {@code id}; {@code by} is kept only if it carries a trace. */
  void arm(int entity, int id, int deadline, long expiry, Position by) {
    InstanceTable t = tables[entity];
    if (t.armSeq(id, deadline) != 0) {
      live--;
    }
    long seq = nextSeq++;
    t.setArmSeq(id, deadline, seq);
    t.setExpiry(id, deadline, expiry);
    if (by != null && !by.carriesTraceContext()) {
      by = null;
    }
    if (by != null && armedBy == null) {
      armedBy = new Position[heap.length / ENTRY];
    }
    push(expiry, seq, where(entity, deadline, id), by);
    live++;
    if (size > 1024 && size > 4 * live) {
      compact();
    }
  }

  void disarm(InstanceTable t, int id, int deadline) {
    if (t.armSeq(id, deadline) != 0) {
      t.setArmSeq(id, deadline, 0);
      live--;
    }
  }

  void disarmAll(InstanceTable t, int id) {
    for (int d = 0; d < t.deadlineSlots; d++) {
      disarm(t, id, d);
    }
  }

  /** Pops the next live entry expiring strictly before {@code watermark}; false when none. */
  boolean pollExpiredBefore(long watermark) {
    if (nextOfGroup()) {
      return true;
    }
    while (size > 0) {
      if (!isLive(0)) {
        removeTop();
        continue;
      }
      if (heap[0] >= watermark) {
        return false;
      }
      takeGroup();
      return nextOfGroup();
    }
    return false;
  }

  /** Pops the next live entry whatever its expiry (for {@code --flush}); false when none. */
  boolean pollAny() {
    return pollExpiredBefore(Long.MAX_VALUE) || pollMaxExpiry();
  }

  /** {@code pollExpiredBefore(Long.MAX_VALUE)} leaves entries expiring at MAX_VALUE: take them. */
  private boolean pollMaxExpiry() {
    while (size > 0) {
      if (isLive(0)) {
        takeGroup();
        return nextOfGroup();
      }
      removeTop();
    }
    return false;
  }

  long armedCount() {
    return live;
  }

  private static long where(int entity, int deadline, int id) {
    return ((long) entity << 48) | ((long) deadline << 32) | (id & 0xFFFFFFFFL);
  }

  private static int entityOf(long where) {
    return (int) (where >>> 48);
  }

  private static int deadlineOf(long where) {
    return (int) (where >>> 32) & MAX_INDEX;
  }

  private static int idOf(long where) {
    return (int) where;
  }

  private boolean isLive(long seq, long where) {
    return tables[entityOf(where)].armSeq(idOf(where), deadlineOf(where)) == seq;
  }

  private boolean isLive(int i) {
    return isLive(heap[i * ENTRY + 1], heap[i * ENTRY + 2]);
  }

  /**
   * Moves every live entry with the top's expiry into {@link #group}, sorted in firing order.
   * The top must be live.
   */
  private void takeGroup() {
    long expiry = heap[0];
    groupSize = 0;
    groupNext = 0;
    while (size > 0 && heap[0] == expiry) {
      if (isLive(0)) {
        if (groupSize * ENTRY == group.length) {
          group = Arrays.copyOf(group, group.length * 2);
          groupArmedBy = Arrays.copyOf(groupArmedBy, groupSize * 2);
        }
        System.arraycopy(heap, 0, group, groupSize * ENTRY, ENTRY);
        groupArmedBy[groupSize] = armedBy == null ? null : armedBy[0];
        groupSize++;
      }
      removeTop();
    }
    if (groupSize > 1) {
      sortGroup();
    }
  }

  /** Sorts the group by key (code points), then deadline name: the contract's tie order. */
  private void sortGroup() {
    if (order.length < groupSize) {
      order = new Integer[groupSize];
    }
    String[] keys = new String[groupSize];
    for (int i = 0; i < groupSize; i++) {
      order[i] = i;
      long where = group[i * ENTRY + 2];
      keys[i] = tables[entityOf(where)].key(idOf(where));
    }
    Arrays.sort(order, 0, groupSize, (a, b) -> {
      int c = StateSnapshot.compareCodePoints(keys[a], keys[b]);
      return c != 0 ? c : StateSnapshot.compareCodePoints(name(group[a * ENTRY + 2]),
          name(group[b * ENTRY + 2]));
    });
    long[] sorted = new long[groupSize * ENTRY];
    Position[] sortedBy = new Position[groupSize];
    for (int i = 0; i < groupSize; i++) {
      System.arraycopy(group, order[i] * ENTRY, sorted, i * ENTRY, ENTRY);
      sortedBy[i] = groupArmedBy[order[i]];
    }
    System.arraycopy(sorted, 0, group, 0, sorted.length);
    System.arraycopy(sortedBy, 0, groupArmedBy, 0, groupSize);
  }

  private String name(long where) {
    return tables[entityOf(where)].type.deadlines().get(deadlineOf(where)).name();
  }

  /** Fires the next entry of the group that is still live; false when the group is used up. */
  private boolean nextOfGroup() {
    while (groupNext < groupSize) {
      int g = groupNext++;
      long where = group[g * ENTRY + 2];
      if (!isLive(group[g * ENTRY + 1], where)) {
        continue; // defensive: nothing disarms between polls, see the class comment
      }
      firedEntity = entityOf(where);
      firedId = idOf(where);
      firedDeadline = deadlineOf(where);
      firedExpiry = group[g * ENTRY];
      firedArmedBy = groupArmedBy[g];
      groupArmedBy[g] = null;
      disarm(tables[firedEntity], firedId, firedDeadline);
      return true;
    }
    groupSize = 0;
    groupNext = 0;
    return false;
  }

  private void push(long expiry, long seq, long where, Position by) {
    if ((size + 1) * ENTRY > heap.length) {
      heap = Arrays.copyOf(heap, heap.length * 2);
      if (armedBy != null) {
        armedBy = Arrays.copyOf(armedBy, heap.length / ENTRY);
      }
    }
    int i = size++;
    // Sift up with a hole: parents move down until the new entry's place is found.
    while (i > 0) {
      int parent = (i - 1) >>> 1;
      if (heap[parent * ENTRY] <= expiry) {
        break;
      }
      move(parent, i);
      i = parent;
    }
    heap[i * ENTRY] = expiry;
    heap[i * ENTRY + 1] = seq;
    heap[i * ENTRY + 2] = where;
    if (armedBy != null) {
      armedBy[i] = by;
    }
  }

  private void move(int from, int to) {
    System.arraycopy(heap, from * ENTRY, heap, to * ENTRY, ENTRY);
    if (armedBy != null) {
      armedBy[to] = armedBy[from];
    }
  }

  private void removeTop() {
    size--;
    if (size > 0) {
      move(size, 0);
      siftDown(0);
    }
    if (armedBy != null) {
      armedBy[size] = null;
    }
  }

  private void siftDown(int i) {
    long expiry = heap[i * ENTRY];
    long seq = heap[i * ENTRY + 1];
    long where = heap[i * ENTRY + 2];
    Position by = armedBy == null ? null : armedBy[i];
    while (true) {
      int left = 2 * i + 1;
      if (left >= size) {
        break;
      }
      int child = left + 1 < size && heap[(left + 1) * ENTRY] < heap[left * ENTRY]
          ? left + 1 : left;
      if (heap[child * ENTRY] >= expiry) {
        break;
      }
      move(child, i);
      i = child;
    }
    heap[i * ENTRY] = expiry;
    heap[i * ENTRY + 1] = seq;
    heap[i * ENTRY + 2] = where;
    if (armedBy != null) {
      armedBy[i] = by;
    }
  }

  /** Drops the stale entries and restores the heap order (bottom-up heapify). */
  private void compact() {
    int n = 0;
    for (int i = 0; i < size; i++) {
      if (isLive(i)) {
        move(i, n++);
      }
    }
    if (armedBy != null) {
      Arrays.fill(armedBy, n, size, null);
    }
    size = n;
    for (int i = (size >>> 1) - 1; i >= 0; i--) {
      siftDown(i);
    }
  }
}
