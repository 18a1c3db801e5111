package io.specwatch.core.engine;

import io.specwatch.core.StateSnapshot;
import io.specwatch.core.program.EntityType;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The live instances of one entity type in one evaluator, stored as rows of primitive arrays.
 *
 * <p>Why not {@code HashMap<String, Instance>}: every instance then costs a map node, an instance
 * object and five small arrays, about 390 bytes and seven objects, and at millions of instances
 * the garbage collector's tracing of them dominated {@code check}'s run time. Here an instance is
 * a dense id: row {@code id} of {@link #words} (its state longs, broken-invariant bits, deadline
 * arm numbers and expiries, end time and flags, adjacent so that one event touches one or two
 * cache lines) and of {@link #refs} (its string and set values); the only objects per instance
 * are its key string and those values. Ids are stable while the instance lives (the deadline and
 * forget queues refer to them) and reused after it is removed.
 *
 * <p>Lookup is open addressing with linear probing over {@link #index}, which packs the key's hash
 * with {@code id + 1} (0 is empty), so a probe compares hashes without reading another array and
 * only a matching hash reads the key; removal shifts the following entries back (no tombstones).
 */
final class InstanceTable {
  private static final int INITIAL_ROWS = 16;
  private static final long ENDED = 1L;

  final EntityType type;
  final int longSlots;
  final int refSlots;
  /** Deadlines per instance. */
  final int deadlineSlots;
  /** Longs of invariant bits per instance (bit i of word i / 64: invariant i is broken). */
  private final int brokenWords;
  /** Longs per row, and where each part starts within it (after the state longs at 0). */
  final int stride;
  private final int brokenAt;
  private final int armSeqAt;
  private final int expiryAt;
  private final int endTimeAt;
  private final int flagsAt;

  String[] keys = new String[0];
  long[] words = new long[0];
  Object[] refs = new Object[0];

  /** 0 when empty, else {@code (hash << 32) | (id + 1)}. */
  private long[] index = new long[32];
  private int size;
  /** Ids below this were handed out at least once. */
  private int highWater;
  private int[] freeIds = new int[0];
  private int freeCount;

  InstanceTable(EntityType type) {
    this.type = type;
    this.longSlots = type.longSlots();
    this.refSlots = type.refSlots();
    this.deadlineSlots = type.deadlines().size();
    this.brokenWords = (type.invariants().size() + 63) / 64;
    this.brokenAt = longSlots;
    this.armSeqAt = brokenAt + brokenWords;
    this.expiryAt = armSeqAt + deadlineSlots;
    this.endTimeAt = expiryAt + deadlineSlots;
    this.flagsAt = endTimeAt + 1;
    this.stride = flagsAt + 1;
    grow(INITIAL_ROWS);
  }

  int size() {
    return size;
  }

  /** The id of the instance with this key, or -1; {@code hash} is {@code key.hashCode()}. */
  int find(String key, int hash) {
    int mask = index.length - 1;
    for (int i = mix(hash) & mask; ; i = (i + 1) & mask) {
      long slot = index[i];
      if (slot == 0) {
        return -1;
      }
      int id = (int) slot - 1;
      if ((int) (slot >>> 32) == hash && keys[id].equals(key)) {
        return id;
      }
    }
  }

  /** Adds a fresh instance (initial state, nothing armed) for a key that is not present. */
  int insert(String key, int hash) {
    if ((size + 1) * 2 > index.length) {
      rehash(index.length * 2);
    }
    int id;
    if (freeCount > 0) {
      id = freeIds[--freeCount];
    } else {
      if (highWater == keys.length) {
        grow(keys.length + (keys.length >> 1) + 1);
      }
      id = highWater++;
    }
    keys[id] = key;
    int row = id * stride;
    System.arraycopy(type.initialLongs(), 0, words, row, longSlots);
    Arrays.fill(words, row + longSlots, row + stride, 0L);
    System.arraycopy(type.initialRefs(), 0, refs, id * refSlots, refSlots);
    int mask = index.length - 1;
    int i = mix(hash) & mask;
    while (index[i] != 0) {
      i = (i + 1) & mask;
    }
    index[i] = entry(hash, id);
    size++;
    return id;
  }

  /** Removes instance {@code id}; its id may be handed out again by the next insert. */
  void remove(int id) {
    int mask = index.length - 1;
    int i = mix(keys[id].hashCode()) & mask; // String caches its hash
    while ((int) index[i] != id + 1) {
      i = (i + 1) & mask;
    }
    // Backward-shift deletion: move later entries of the probe run into the hole.
    int hole = i;
    for (int j = (hole + 1) & mask; index[j] != 0; j = (j + 1) & mask) {
      int home = mix((int) (index[j] >>> 32)) & mask;
      boolean movable = hole <= j ? (home <= hole || home > j) : (home <= hole && home > j);
      if (movable) {
        index[hole] = index[j];
        hole = j;
      }
    }
    index[hole] = 0;
    keys[id] = null;
    Arrays.fill(refs, id * refSlots, (id + 1) * refSlots, null); // let the values go
    if (freeCount == freeIds.length) {
      freeIds = Arrays.copyOf(freeIds, Math.max(16, freeIds.length * 2));
    }
    freeIds[freeCount++] = id;
    size--;
  }

  /** Whether {@code id} currently holds a live instance. */
  boolean isLive(int id) {
    return id < highWater && keys[id] != null;
  }

  /** Where the state longs of {@code id} start in {@link #words}. */
  int longsAt(int id) {
    return id * stride;
  }

  long stateLong(int id, int slot) {
    return words[id * stride + slot];
  }

  void setStateLong(int id, int slot, long value) {
    words[id * stride + slot] = value;
  }

  boolean isBroken(int id, int invariant) {
    return (words[id * stride + brokenAt + (invariant >>> 6)] & (1L << invariant)) != 0;
  }

  void setBroken(int id, int invariant, boolean value) {
    int w = id * stride + brokenAt + (invariant >>> 6);
    if (value) {
      words[w] |= 1L << invariant;
    } else {
      words[w] &= ~(1L << invariant);
    }
  }

  /** 0 when deadline {@code d} of {@code id} is disarmed, else its live queue entry's number. */
  long armSeq(int id, int d) {
    return words[id * stride + armSeqAt + d];
  }

  void setArmSeq(int id, int d, long seq) {
    words[id * stride + armSeqAt + d] = seq;
  }

  /** The expiry of deadline {@code d}, valid while it is armed. */
  long expiry(int id, int d) {
    return words[id * stride + expiryAt + d];
  }

  void setExpiry(int id, int d, long expiry) {
    words[id * stride + expiryAt + d] = expiry;
  }

  boolean ended(int id) {
    return (words[id * stride + flagsAt] & ENDED) != 0;
  }

  long endTime(int id) {
    return words[id * stride + endTimeAt];
  }

  void setEnded(int id, boolean ended, long endTime) {
    words[id * stride + flagsAt] = ended ? ENDED : 0;
    words[id * stride + endTimeAt] = endTime;
  }

  /** The committed state of {@code id} as a violation shows it. */
  StateSnapshot snapshot(int id) {
    return new StateSnapshot(type, Arrays.copyOfRange(words, id * stride, id * stride + longSlots),
        Arrays.copyOfRange(refs, id * refSlots, (id + 1) * refSlots));
  }

  /** The ids of the live instances, in no particular order. */
  int[] liveIds() {
    int[] out = new int[size];
    int n = 0;
    for (int id = 0; id < highWater; id++) {
      if (keys[id] != null) {
        out[n++] = id;
      }
    }
    return out;
  }

  List<String> liveKeys() {
    List<String> out = new ArrayList<>(size);
    for (int id : liveIds()) {
      out.add(keys[id]);
    }
    return out;
  }

  /** Spreads hash codes whose differences are in the high bits (similar keys) over the index. */
  private static int mix(int h) {
    h *= 0x9E3779B9;
    return h ^ (h >>> 15);
  }

  private static long entry(int hash, int id) {
    return ((long) hash << 32) | (id + 1);
  }

  private void rehash(int capacity) {
    long[] fresh = new long[capacity];
    int mask = capacity - 1;
    for (long e : index) {
      if (e != 0) {
        int i = mix((int) (e >>> 32)) & mask;
        while (fresh[i] != 0) {
          i = (i + 1) & mask;
        }
        fresh[i] = e;
      }
    }
    index = fresh;
  }

  private void grow(int rows) {
    keys = Arrays.copyOf(keys, rows);
    words = Arrays.copyOf(words, rows * stride);
    refs = Arrays.copyOf(refs, rows * refSlots);
  }
}
