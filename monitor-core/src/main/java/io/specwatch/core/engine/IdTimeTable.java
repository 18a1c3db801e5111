package io.specwatch.core.engine;

import java.util.Arrays;

/**
 * A map from event id to a time, for the dedupe memory: open addressing with linear probing over
 * parallel arrays, no object per entry but the id string itself.
 *
 * <p>Why not {@code HashMap<String, Long>}: at millions of remembered ids each entry cost a map
 * node and a boxed time (about 100 bytes and two objects beyond the id), and a lookup of a new id,
 * the common case, went through a bucket and a node. Here {@link #meta} packs the id's hash with
 * an occupied bit, so probing for an absent id reads one array and never touches a string.
 * Removal shifts the following entries back (no tombstones).
 */
final class IdTimeTable {
  private static final long OCCUPIED = 1L;

  /** 0 when empty, else {@code (hash << 32) | OCCUPIED}. */
  private long[] meta = new long[64];
  private String[] ids = new String[64];
  private long[] times = new long[64];
  private int size;

  int size() {
    return size;
  }

  /** The slot holding {@code id}, or -1. */
  int find(String id) {
    long want = pack(id.hashCode());
    int mask = meta.length - 1;
    for (int i = home(want, mask); ; i = (i + 1) & mask) {
      long m = meta[i];
      if (m == 0) {
        return -1;
      }
      if (m == want && ids[i].equals(id)) {
        return i;
      }
    }
  }

  long timeAt(int slot) {
    return times[slot];
  }

  /** Sets the time of {@code id}, adding it when absent. */
  void put(String id, long time) {
    int slot = find(id);
    if (slot >= 0) {
      times[slot] = time;
      return;
    }
    if ((size + 1) * 2 > meta.length) {
      resize(meta.length * 2);
    }
    long m = pack(id.hashCode());
    int mask = meta.length - 1;
    int i = home(m, mask);
    while (meta[i] != 0) {
      i = (i + 1) & mask;
    }
    meta[i] = m;
    ids[i] = id;
    times[i] = time;
    size++;
  }

  /** Removes the entry in {@code slot} (from {@link #find}). */
  void removeAt(int slot) {
    int mask = meta.length - 1;
    int hole = slot;
    for (int j = (hole + 1) & mask; meta[j] != 0; j = (j + 1) & mask) {
      int home = home(meta[j], mask);
      boolean movable = hole <= j ? (home <= hole || home > j) : (home <= hole && home > j);
      if (movable) {
        meta[hole] = meta[j];
        ids[hole] = ids[j];
        times[hole] = times[j];
        hole = j;
      }
    }
    meta[hole] = 0;
    ids[hole] = null;
    size--;
  }

  void clear() {
    Arrays.fill(meta, 0);
    Arrays.fill(ids, null);
    size = 0;
  }

  /** Calls {@code visitor} for every entry, in no particular order. */
  void forEach(Visitor visitor) {
    for (int i = 0; i < meta.length; i++) {
      if (meta[i] != 0) {
        visitor.visit(ids[i], times[i]);
      }
    }
  }

  interface Visitor {
    void visit(String id, long time);
  }

  private static long pack(int hash) {
    return ((long) hash << 32) | OCCUPIED;
  }

  /** The home slot: the hash bits mixed, so that ids alike but for their end still spread. */
  private static int home(long packed, int mask) {
    int h = (int) (packed >>> 32) * 0x9E3779B9;
    return (h ^ (h >>> 15)) & mask;
  }

  private void resize(int capacity) {
    long[] oldMeta = meta;
    String[] oldIds = ids;
    long[] oldTimes = times;
    meta = new long[capacity];
    ids = new String[capacity];
    times = new long[capacity];
    int mask = capacity - 1;
    for (int j = 0; j < oldMeta.length; j++) {
      if (oldMeta[j] != 0) {
        int i = home(oldMeta[j], mask);
        while (meta[i] != 0) {
          i = (i + 1) & mask;
        }
        meta[i] = oldMeta[j];
        ids[i] = oldIds[j];
        times[i] = oldTimes[j];
      }
    }
  }
}
