package io.specwatch.core.engine;

import io.specwatch.core.Position;
import io.specwatch.core.StateSnapshot;
import java.util.Arrays;

/**
 * The armed deadlines of one evaluator, fired in the contract's order: by expiry, then entity key
 * (by code point), then deadline name.
 *
 * <p><b>A binary heap ordered by expiry alone</b>, entries of three adjacent longs (expiry, what
 * the entry belongs to: entity type, deadline and instance id, and a handle), so that sifting
 * touches one cache line per level and compares one long. Each arm gets a <em>handle</em>, a
 * small dense number; the instance's row holds {@code handle + 1} in the deadline's arm word (0:
 * disarmed), and by handle this queue keeps one <em>live bit</em>. Handles are recycled once their
 * entry has left the heap. Nothing else is kept by handle (but the trace positions below, when a
 * source has them): arrays by handle are written at random (a recycled handle's line is cold),
 * where the heap's end, which a new entry joins, is hot.
 *
 * <p><b>Disarming clears the live bit</b> and leaves the entry in the heap; a popped entry whose
 * bit is clear is dropped. The bits of all handles fit in a few kilobytes, so that test stays in
 * the cache. Before session 4 the test read the instance's row instead: a payment captured ten
 * minutes earlier, a cache miss for every authorization (8 % of evaluation). Session 4 also tried
 * an indexed heap that removes an entry the moment it is disarmed (each handle knowing its heap
 * position): it kept the heap to the armed deadlines, but each removal from the middle sifts
 * through cold heap lines and position updates, and it measured slower on the payments benchmark
 * (load-tests/README.md, "Session 4: evaluator"). Stale entries are bounded instead: when they
 * outnumber live ones four to one the heap is rebuilt without them, so re-arming on every
 * heartbeat cannot grow it without bound.
 *
 * <p><b>Ties are ordered when they fire</b>: the live entries sharing the smallest expiry are
 * taken out together, sorted by key and deadline name (keys read from the table), and handed out
 * one by one. So the heap holds no key string. On a stream where every expiry is distinct (the
 * common case: milliseconds) a group is one entry and nothing is sorted.
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
  /** Longs per heap (and group) entry: expiry, where, handle. */
  private static final int ENTRY = 3;
  private static final int MAX_INDEX = 0xFFFF;

  private final InstanceTable[] tables;
  private long[] heap = new long[64 * ENTRY];
  private int size;

  /** By handle, one bit each: the arm is live (not disarmed, not fired). */
  private long[] liveBits = new long[1];
  /** By handle: the trace-carrying position that armed it, or null; null until first needed. */
  private Position[] armedBy;
  /** Handles below this were handed out at least once. */
  private int handleHighWater;
  private int[] freeHandles = new int[16];
  private int freeCount;
  /** Armed deadlines: live entries in the heap or in the group. */
  private long live;
  /** Counts changes, so that {@link #expiry} knows when its snapshot is stale. */
  private long changes;
  /** Expiry by handle of every entry, built by {@link #expiry} (checkpoints) when stale. */
  private long[] expirySnapshot;
  private long expirySnapshotAt = -1;

  /** The live entries with the smallest expiry, sorted, being handed out. */
  private long[] group = new long[4 * ENTRY];
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

  /**
   * Arms deadline {@code deadline} of {@code id} (re-arming replaces an armed one); {@code by} is
   * kept only if it carries a trace.
   */
  void arm(int entity, int id, int deadline, long expiry, Position by) {
    InstanceTable t = tables[entity];
    if (t.armWord(id, deadline) != 0) {
      disarm(t, id, deadline);
    }
    int h = newHandle();
    if (by != null && !by.carriesTraceContext()) {
      by = null;
    }
    if (by != null && armedBy == null) {
      armedBy = new Position[liveBits.length * 64];
    }
    if (armedBy != null) {
      armedBy[h] = by;
    }
    t.setArmWord(id, deadline, h + 1);
    liveBits[h >>> 6] |= 1L << h;
    push(expiry, where(entity, deadline, id), h);
    live++;
    changes++;
    if (size > 1024 && size > 4 * live) {
      compact();
    }
  }

  /**
   * Disarms deadline {@code deadline} of {@code id} if armed: its entry stays in the heap, dead,
   * and is dropped when it reaches the top (its handle is reused only then).
   */
  void disarm(InstanceTable t, int id, int deadline) {
    long word = t.armWord(id, deadline);
    if (word == 0) {
      return;
    }
    int h = (int) word - 1;
    t.setArmWord(id, deadline, 0);
    liveBits[h >>> 6] &= ~(1L << h);
    live--;
    changes++;
  }

  void disarmAll(InstanceTable t, int id) {
    for (int d = 0; d < t.deadlineSlots; d++) {
      disarm(t, id, d);
    }
  }

  /**
   * The expiry of deadline {@code deadline} of {@code id}, which must be armed. For checkpoints:
   * the first call after a change indexes every entry by handle (linear in the heap's size).
   */
  long expiry(InstanceTable t, int id, int deadline) {
    if (expirySnapshotAt != changes) {
      expirySnapshot = new long[handleHighWater];
      for (int i = 0; i < size; i++) {
        expirySnapshot[(int) heap[i * ENTRY + 2]] = heap[i * ENTRY];
      }
      for (int g = groupNext; g < groupSize; g++) {
        expirySnapshot[(int) group[g * ENTRY + 2]] = group[g * ENTRY];
      }
      expirySnapshotAt = changes;
    }
    return expirySnapshot[(int) t.armWord(id, deadline) - 1];
  }

  /** Pops the next live entry expiring strictly before {@code watermark}; false when none. */
  boolean pollExpiredBefore(long watermark) {
    if (nextOfGroup()) {
      return true;
    }
    while (size > 0) {
      int h = (int) heap[2];
      if (!isLive(h)) {
        removeTop();
        freeHandle(h);
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
    // pollExpiredBefore(MAX_VALUE) leaves the entries expiring at MAX_VALUE: take them too.
    if (pollExpiredBefore(Long.MAX_VALUE)) {
      return true;
    }
    if (size == 0) {
      return false;
    }
    takeGroup(); // the top is live: pollExpiredBefore dropped the dead ones above it
    return nextOfGroup();
  }

  long armedCount() {
    return live;
  }

  /** Entries in the heap, dead ones included (for tests: bounded by the live ones). */
  int heapSize() {
    return size;
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

  private boolean isLive(int h) {
    return (liveBits[h >>> 6] & (1L << h)) != 0;
  }

  private int newHandle() {
    if (freeCount > 0) {
      return freeHandles[--freeCount];
    }
    if (handleHighWater == liveBits.length * 64) {
      liveBits = Arrays.copyOf(liveBits, liveBits.length * 2);
      if (armedBy != null) {
        armedBy = Arrays.copyOf(armedBy, liveBits.length * 64);
      }
    }
    return handleHighWater++;
  }

  private void freeHandle(int h) {
    if (armedBy != null) {
      armedBy[h] = null; // let go
    }
    if (freeCount == freeHandles.length) {
      freeHandles = Arrays.copyOf(freeHandles, freeCount * 2);
    }
    freeHandles[freeCount++] = h;
  }

  /**
   * Moves every live entry with the top's expiry into {@link #group}, sorted in firing order.
   * They stay armed (the instance's row still names the handle) until {@link #nextOfGroup} fires
   * them. The top must be live.
   */
  private void takeGroup() {
    long expiry = heap[0];
    groupSize = 0;
    groupNext = 0;
    while (size > 0 && heap[0] == expiry) {
      int h = (int) heap[2];
      if (!isLive(h)) {
        removeTop();
        freeHandle(h);
        continue;
      }
      if (groupSize * ENTRY == group.length) {
        group = Arrays.copyOf(group, group.length * 2);
      }
      System.arraycopy(heap, 0, group, groupSize * ENTRY, ENTRY);
      groupSize++;
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
      long where = group[i * ENTRY + 1];
      keys[i] = tables[entityOf(where)].key(idOf(where));
    }
    Arrays.sort(order, 0, groupSize, (a, b) -> {
      int c = StateSnapshot.compareCodePoints(keys[a], keys[b]);
      return c != 0 ? c : StateSnapshot.compareCodePoints(name(group[a * ENTRY + 1]),
          name(group[b * ENTRY + 1]));
    });
    long[] sorted = new long[groupSize * ENTRY];
    for (int i = 0; i < groupSize; i++) {
      System.arraycopy(group, order[i] * ENTRY, sorted, i * ENTRY, ENTRY);
    }
    System.arraycopy(sorted, 0, group, 0, sorted.length);
  }

  private String name(long where) {
    return tables[entityOf(where)].type.deadlines().get(deadlineOf(where)).name();
  }

  /** Fires the next entry of the group; false when the group is used up. */
  private boolean nextOfGroup() {
    while (groupNext < groupSize) {
      int g = groupNext++;
      long where = group[g * ENTRY + 1];
      int h = (int) group[g * ENTRY + 2];
      if (!isLive(h)) {
        freeHandle(h); // defensive: nothing disarms between polls, see the class comment
        continue;
      }
      firedEntity = entityOf(where);
      firedId = idOf(where);
      firedDeadline = deadlineOf(where);
      firedExpiry = group[g * ENTRY];
      firedArmedBy = armedBy == null ? null : armedBy[h];
      tables[firedEntity].setArmWord(firedId, firedDeadline, 0);
      liveBits[h >>> 6] &= ~(1L << h);
      live--;
      changes++;
      freeHandle(h);
      return true;
    }
    groupSize = 0;
    groupNext = 0;
    return false;
  }

  private void push(long expiry, long where, int h) {
    if ((size + 1) * ENTRY > heap.length) {
      heap = Arrays.copyOf(heap, heap.length * 2);
    }
    // Sift up with a hole: parents move down until the new entry's place is found.
    int i = size++;
    while (i > 0) {
      int parent = (i - 1) >>> 1;
      if (heap[parent * ENTRY] <= expiry) {
        break;
      }
      System.arraycopy(heap, parent * ENTRY, heap, i * ENTRY, ENTRY);
      i = parent;
    }
    heap[i * ENTRY] = expiry;
    heap[i * ENTRY + 1] = where;
    heap[i * ENTRY + 2] = h;
  }

  private void removeTop() {
    int last = --size;
    if (last > 0) {
      siftDown(0, heap[last * ENTRY], heap[last * ENTRY + 1], heap[last * ENTRY + 2]);
    }
  }

  /** Places the entry (expiry, where, h) at hole {@code i} or below it. */
  private void siftDown(int i, long expiry, long where, long h) {
    long[] a = heap;
    int n = size;
    while (true) {
      int child = 2 * i + 1;
      if (child >= n) {
        break;
      }
      if (child + 1 < n && a[(child + 1) * ENTRY] < a[child * ENTRY]) {
        child++;
      }
      if (a[child * ENTRY] >= expiry) {
        break;
      }
      System.arraycopy(a, child * ENTRY, a, i * ENTRY, ENTRY);
      i = child;
    }
    a[i * ENTRY] = expiry;
    a[i * ENTRY + 1] = where;
    a[i * ENTRY + 2] = h;
  }

  /** Drops the dead entries (freeing their handles) and restores the heap order. */
  private void compact() {
    int n = 0;
    for (int i = 0; i < size; i++) {
      int h = (int) heap[i * ENTRY + 2];
      if (isLive(h)) {
        System.arraycopy(heap, i * ENTRY, heap, n * ENTRY, ENTRY);
        n++;
      } else {
        freeHandle(h);
      }
    }
    size = n;
    for (int i = (size >>> 1) - 1; i >= 0; i--) {
      siftDown(i, heap[i * ENTRY], heap[i * ENTRY + 1], heap[i * ENTRY + 2]);
    }
  }
}
