package io.specwatch.core.engine;

import io.specwatch.core.Position;
import io.specwatch.core.StateSnapshot;
import java.util.Arrays;

/**
 * The armed deadlines of one evaluator, ordered as the contract fires them: by expiry, then
 * entity key (by code point), then deadline name.
 *
 * <p>A binary heap over parallel primitive arrays (expiry, entity type, instance id, deadline,
 * arm number): arming allocates nothing once the arrays have grown, and comparing two entries is
 * a long comparison except on equal expiries. Disarming is lazy: an entry stays in the heap and is
 * skipped when popped if its instance no longer holds the same arm number (arm numbers are never
 * reused, so an entry can never come back to life, not even when its instance's id is reused).
 * When stale entries outnumber live ones four to one the heap is rebuilt, so re-arming on every
 * heartbeat cannot grow it without bound.
 *
 * <p>A successful poll leaves the fired entry in {@link #firedEntity}, {@link #firedId},
 * {@link #firedDeadline}, {@link #firedExpiry} and {@link #firedArmedBy}.
 *
 * <p>A deadline armed by a document whose position carries trace context (OTLP) keeps that
 * position, so the violation links to the trace that armed it (the checkout that never
 * committed) rather than to whichever document moved the watermark. The array for those is
 * allocated on the first such arm: sources without trace context pay nothing for it.
 */
final class DeadlineQueue {
  private final InstanceTable[] tables;
  private long[] expiries = new long[64];
  private long[] seqs = new long[64];
  private int[] entities = new int[64];
  private int[] ids = new int[64];
  private int[] deadlines = new int[64];
  /**
   * The instance's key at arming. Held here, not read from the table, because a stale entry's id
   * may since hold another instance: the order of entries in the heap must never change.
   */
  private String[] keys = new String[64];
  /** The trace-carrying position that armed each entry, or null; null until first needed. */
  private Position[] armedBy;
  private int size;
  private long nextSeq = 1;
  private long live;

  int firedEntity;
  int firedId;
  int firedDeadline;
  long firedExpiry;
  /** The trace-carrying position that armed the fired entry, or null. */
  Position firedArmedBy;

  DeadlineQueue(InstanceTable[] tables) {
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
      armedBy = new Position[expiries.length];
    }
    push(expiry, entity, id, deadline, seq, t.keys[id], by);
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
    while (size > 0) {
      if (!isLive(0)) {
        removeTop();
        continue;
      }
      if (expiries[0] >= watermark) {
        return false;
      }
      fireTop();
      return true;
    }
    return false;
  }

  /** Pops the next live entry whatever its expiry (for {@code --flush}); false when none. */
  boolean pollAny() {
    while (size > 0) {
      if (isLive(0)) {
        fireTop();
        return true;
      }
      removeTop();
    }
    return false;
  }

  long armedCount() {
    return live;
  }

  private boolean isLive(int i) {
    return tables[entities[i]].armSeq(ids[i], deadlines[i]) == seqs[i];
  }

  private void fireTop() {
    firedEntity = entities[0];
    firedId = ids[0];
    firedDeadline = deadlines[0];
    firedExpiry = expiries[0];
    firedArmedBy = armedBy == null ? null : armedBy[0];
    removeTop();
    disarm(tables[firedEntity], firedId, firedDeadline);
  }

  /** True when entry a fires before entry b. */
  private boolean before(int a, int b) {
    if (expiries[a] != expiries[b]) {
      return expiries[a] < expiries[b];
    }
    int c = StateSnapshot.compareCodePoints(keys[a], keys[b]);
    if (c != 0) {
      return c < 0;
    }
    return StateSnapshot.compareCodePoints(
        tables[entities[a]].type.deadlines().get(deadlines[a]).name(),
        tables[entities[b]].type.deadlines().get(deadlines[b]).name()) < 0;
  }

  private void push(long expiry, int entity, int id, int deadline, long seq, String key,
      Position by) {
    if (size == expiries.length) {
      int n = size * 2;
      expiries = Arrays.copyOf(expiries, n);
      seqs = Arrays.copyOf(seqs, n);
      entities = Arrays.copyOf(entities, n);
      ids = Arrays.copyOf(ids, n);
      deadlines = Arrays.copyOf(deadlines, n);
      keys = Arrays.copyOf(keys, n);
      if (armedBy != null) {
        armedBy = Arrays.copyOf(armedBy, n);
      }
    }
    int i = size++;
    set(i, expiry, entity, id, deadline, seq, key, by);
    siftUp(i);
  }

  private void set(int i, long expiry, int entity, int id, int deadline, long seq, String key,
      Position by) {
    expiries[i] = expiry;
    if (armedBy != null) {
      armedBy[i] = by;
    }
    keys[i] = key;
    entities[i] = entity;
    ids[i] = id;
    deadlines[i] = deadline;
    seqs[i] = seq;
  }

  private void move(int from, int to) {
    set(to, expiries[from], entities[from], ids[from], deadlines[from], seqs[from], keys[from],
        armedBy == null ? null : armedBy[from]);
  }

  private void swap(int a, int b) {
    long e = expiries[a];
    int en = entities[a];
    int id = ids[a];
    int d = deadlines[a];
    long s = seqs[a];
    String k = keys[a];
    Position by = armedBy == null ? null : armedBy[a];
    move(b, a);
    set(b, e, en, id, d, s, k, by);
  }

  private void siftUp(int i) {
    while (i > 0) {
      int parent = (i - 1) >>> 1;
      if (!before(i, parent)) {
        return;
      }
      swap(i, parent);
      i = parent;
    }
  }

  private void removeTop() {
    size--;
    if (size > 0) {
      move(size, 0);
      siftDown(0);
    }
    keys[size] = null; // the key may belong to an instance long forgotten
    if (armedBy != null) {
      armedBy[size] = null;
    }
  }

  private void siftDown(int i) {
    while (true) {
      int left = 2 * i + 1;
      if (left >= size) {
        return;
      }
      int child = left + 1 < size && before(left + 1, left) ? left + 1 : left;
      if (!before(child, i)) {
        return;
      }
      swap(i, child);
      i = child;
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
    Arrays.fill(keys, n, size, null);
    if (armedBy != null) {
      Arrays.fill(armedBy, n, size, null);
    }
    size = n;
    for (int i = (size >>> 1) - 1; i >= 0; i--) {
      siftDown(i);
    }
  }
}
