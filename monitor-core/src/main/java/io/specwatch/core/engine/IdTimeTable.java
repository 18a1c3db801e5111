package io.specwatch.core.engine;

import java.util.Arrays;

/**
 * A map from event id to a time, for the dedupe memory: open addressing with linear probing over
 * one array of fixed-size rows, with the id itself inside its row when it is short Latin-1 text.
 *
 * <p>Why not {@code HashMap<String, Long>}: at millions of remembered ids each entry cost a map
 * node and a boxed time (about 100 bytes and two objects beyond the id), and a lookup of a new id,
 * the common case, went through a bucket and a node. Why the id in the row (session 4): the
 * table holds millions of ids (7.4M for the 10M-line payments log), so every access to an id
 * {@code String} was a cache miss on the string and another on its bytes, and the collector
 * copied and marked millions of small objects. An id of up to {@link #INLINE_CHARS} Latin-1
 * characters (every id of the payments logs) is packed into its row, one byte per character, so
 * that finding, inserting or forgetting it touches one row; a longer or non-Latin-1 id is kept as
 * a {@code String} in {@link #overflow}. Removal shifts the following rows back (no tombstones):
 * the rows hold their hash, so that reads nothing else.
 *
 * <p><b>Growing is incremental</b> (session 9), as in {@link InstanceTable}: copying every row
 * into a table twice the size inside one insertion stopped the thread that admits documents
 * for as long as that took (hundreds of milliseconds at millions of ids). Now the new table
 * starts empty and the old one <em>drains</em> into it: each insertion moves the rows of the
 * next {@link #DRAIN_SLOTS_PER_INSERT} old slots. Slot numbers handed out ({@link #probe},
 * {@link #timeAt}, {@link #sweep}) are always the new table's: a lookup that misses there finds
 * the id in the old table and moves it over at once (its old row is marked {@link #MOVED}, which
 * probes step over and the drain skips); old slots below the drain's cursor have moved and are
 * ignored. Only the new table is swept; the old one is never changed but by those marks.
 */
final class IdTimeTable {
  /** Ids of up to this many Latin-1 characters live inside their row. */
  static final int INLINE_CHARS = PackedId.INLINE_CHARS;

  private static final int ROW = 5; // meta, time, three words of id (packed as in PackedId)
  private static final int TIME = 1;
  private static final int WORDS = 2;
  /** The length field of a row whose id is in {@link #overflow}. */
  private static final int OVERFLOW_LENGTH = PackedId.OVERFLOW_LENGTH;

  /**
   * {@code ROW} longs per slot: the meta word (0 when empty, else {@code hash << 32 | length << 8
   * | OCCUPIED}), the time, and the id's characters (8 per word, little-endian, zero-padded).
   */
  private long[] rows = new long[64 * ROW];
  /** Ids that do not fit a row, by slot; null until one is seen. */
  private String[] overflow;
  private int capacity = 64;
  private int size;
  /** Where the next {@link #sweep} starts. */
  private int sweepAt;

  /** While the table grows: the old rows, draining into {@link #rows}; else null. */
  private long[] drainRows;
  private String[] drainOverflow;
  private int drainCapacity;
  /** Old slots below this have been moved (or were empty). */
  private int drainCursor;
  /** The meta word of an old row moved ahead of the drain: not empty, matches no id. */
  private static final long MOVED = 2L;
  /**
   * Old slots drained per insertion: a table of n slots drains in n / 64 insertions, long before
   * the new one (twice as large, growing at half full) can need to grow again.
   */
  static final int DRAIN_SLOTS_PER_INSERT = 64;

  /** Packs the ids of the string-keyed calls (tests, imports); documents bring their own. */
  private final PackedId scratch = new PackedId();

  int size() {
    return size;
  }

  /** The slot holding {@code id}, or -1. */
  int find(String id) {
    scratch.pack(id);
    int slot = probe(scratch);
    return slot >= 0 ? slot : -1;
  }

  /**
   * The slot holding {@code id}, or, when it is absent, {@code ~slot} of the empty slot where
   * {@link #insertAt} puts it: one probe serves both the duplicate check and the insertion.
   */
  int probe(PackedId id) {
    int slot = probeIn(rows, overflow, capacity, id);
    if (slot >= 0 || drainRows == null) {
      return slot;
    }
    int old = probeIn(drainRows, drainOverflow, drainCapacity, id);
    if (old < drainCursor) {
      return slot; // absent, or an old row that has moved: the new table has the truth
    }
    int i = ~slot; // not drained yet: move it now, where the new table would insert it
    moveRow(old, i);
    drainRows[old * ROW] = MOVED;
    if (drainOverflow != null) {
      drainOverflow[old] = null;
    }
    return i;
  }

  /** {@link #probe} in one table: the slot holding {@code id}, or {@code ~slot} of a free one. */
  private static int probeIn(long[] r, String[] over, int cap, PackedId id) {
    int mask = cap - 1;
    long want = id.meta;
    String wantOverflow = id.overflow;
    for (int i = home(want, mask); ; i = (i + 1) & mask) {
      int base = i * ROW;
      long m = r[base];
      if (m == 0) {
        return ~i;
      }
      if (m == want && (wantOverflow == null
          ? r[base + WORDS] == id.w0 && r[base + WORDS + 1] == id.w1 && r[base + WORDS + 2] == id.w2
          : wantOverflow.equals(over[i]))) {
        return i;
      }
    }
  }

  /** Copies the old table's row {@code from} into the new table's free slot {@code to}. */
  private void moveRow(int from, int to) {
    System.arraycopy(drainRows, from * ROW, rows, to * ROW, ROW);
    if (drainOverflow != null && drainOverflow[from] != null) {
      if (overflow == null) {
        overflow = new String[capacity];
      }
      overflow[to] = drainOverflow[from];
    }
  }

  /**
   * Reads the row where a probe for an id with this hash code starts (its first and last word: a
   * row may span two cache lines, and inserting writes both); returns a value the caller must
   * keep, so that the reads are not optimised away. A hint: it changes nothing.
   */
  long touch(int hash) {
    int base = home((long) hash << 32, capacity - 1) * ROW;
    long[] r = rows;
    long touched = r[base] + r[base + ROW - 1];
    if (drainRows != null) { // most ids are still there while it drains
      int old = home((long) hash << 32, drainCapacity - 1) * ROW;
      touched += drainRows[old] + drainRows[old + ROW - 1];
    }
    return touched;
  }

  long timeAt(int slot) {
    return rows[slot * ROW + TIME];
  }

  void setTimeAt(int slot, long time) {
    rows[slot * ROW + TIME] = time;
  }

  /** Adds the absent {@code id}, where {@link #probe} (just called with it) said. */
  void insertAt(int notFound, PackedId id, long time) {
    int i = ~notFound;
    if (drainRows != null) {
      drain(DRAIN_SLOTS_PER_INSERT);
      i = ~probeIn(rows, overflow, capacity, id); // the rows moved may have taken that slot
    }
    if ((size + 1) * 2 > capacity) {
      startGrowing(capacity * 2);
      i = ~probeIn(rows, overflow, capacity, id);
    }
    int base = i * ROW;
    rows[base] = id.meta;
    rows[base + TIME] = time;
    rows[base + WORDS] = id.w0;
    rows[base + WORDS + 1] = id.w1;
    rows[base + WORDS + 2] = id.w2;
    if (id.overflow != null) {
      if (overflow == null) {
        overflow = new String[capacity];
      }
      overflow[i] = id.overflow;
    }
    size++;
  }

  /** Sets the time of {@code id}, adding it when absent. */
  void put(String id, long time) {
    scratch.pack(id);
    int slot = probe(scratch);
    if (slot >= 0) {
      setTimeAt(slot, time);
    } else {
      insertAt(slot, scratch, time);
    }
  }

  /**
   * Looks at the next {@code slots} slots after where the last call stopped (cyclically) and
   * removes every entry {@code forgotten} accepts (given its time and slot). The dedupe memory calls this on
   * each insertion, so forgetting costs a short sequential scan instead of a lookup per forgotten
   * id (a cache miss each in a table of millions): see {@link DedupeMemory}.
   */
  void sweep(int slots, Forgotten forgotten) {
    long[] r = rows;
    int mask = capacity - 1;
    int i = sweepAt;
    for (int n = 0; n < slots; n++) {
      // A removal shifts a later entry of the run into slot i: look at i again until it holds
      // none to remove. Shifts only ever move entries back toward i, never past the cursor.
      while (r[i * ROW] != 0 && forgotten.test(r[i * ROW + TIME], i)) {
        removeAt(i);
      }
      i = (i + 1) & mask;
    }
    sweepAt = i;
  }

  /** Removes the entry in {@code slot}. */
  void removeAt(int slot) {
    long[] r = rows;
    int mask = capacity - 1;
    int hole = slot;
    for (int j = (hole + 1) & mask; r[j * ROW] != 0; j = (j + 1) & mask) {
      int home = home(r[j * ROW], mask);
      boolean movable = hole <= j ? (home <= hole || home > j) : (home <= hole && home > j);
      if (movable) {
        System.arraycopy(r, j * ROW, r, hole * ROW, ROW);
        if (overflow != null) {
          overflow[hole] = overflow[j];
        }
        hole = j;
      }
    }
    r[hole * ROW] = 0;
    if (overflow != null) {
      overflow[hole] = null;
    }
    size--;
  }

  void clear() {
    drainRows = null;
    drainOverflow = null;
    sweepAt = 0;
    Arrays.fill(rows, 0);
    if (overflow != null) {
      Arrays.fill(overflow, null);
    }
    size = 0;
  }

  /** Calls {@code visitor} for every entry, in no particular order. */
  void forEach(Visitor visitor) {
    for (int i = 0; i < capacity; i++) {
      long m = rows[i * ROW];
      if (m != 0) {
        visitor.visit(idAt(rows, overflow, i), rows[i * ROW + TIME]);
      }
    }
    if (drainRows != null) {
      for (int i = drainCursor; i < drainCapacity; i++) {
        if ((drainRows[i * ROW] & PackedId.OCCUPIED) != 0) {
          visitor.visit(idAt(drainRows, drainOverflow, i), drainRows[i * ROW + TIME]);
        }
      }
    }
  }

  /** Whether the table is growing (for tests). */
  boolean isDraining() {
    return drainRows != null;
  }

  /** The id in {@code slot} as a string (checkpoints, rare sweep checks; not the hot path). */
  String idAt(int slot) {
    return idAt(rows, overflow, slot);
  }

  private static String idAt(long[] r, String[] over, int slot) {
    long m = r[slot * ROW];
    int n = (int) (m >>> 8) & 0xFF;
    if (n == OVERFLOW_LENGTH) {
      return over[slot];
    }
    byte[] latin1 = new byte[n];
    for (int k = 0; k < n; k++) {
      latin1[k] = (byte) (r[slot * ROW + WORDS + (k >>> 3)] >>> ((k & 7) << 3));
    }
    return new String(latin1, java.nio.charset.StandardCharsets.ISO_8859_1);
  }

  interface Visitor {
    void visit(String id, long time);
  }

  /** Which entries {@link #sweep} removes: by time, and by slot for the rare look at the id. */
  interface Forgotten {
    boolean test(long time, int slot);
  }

  /** The home slot: the hash bits mixed, so that ids alike but for their end still spread. */
  private static int home(long meta, int mask) {
    int h = (int) (meta >>> 32) * 0x9E3779B9;
    return (h ^ (h >>> 15)) & mask;
  }

  /**
   * Starts growing into a table of {@code newCapacity} slots: the current rows become the old
   * table, which drains into the new one over the next insertions (see the class comment).
   */
  private void startGrowing(int newCapacity) {
    if (drainRows != null) {
      drain(Integer.MAX_VALUE); // cannot happen: a drain ends long before (see its constant)
    }
    drainRows = rows;
    drainOverflow = overflow;
    drainCapacity = capacity;
    drainCursor = 0;
    rows = new long[newCapacity * ROW];
    overflow = drainOverflow == null ? null : new String[newCapacity];
    capacity = newCapacity;
    sweepAt = 0;
  }

  /**
   * Moves the rows of up to {@code slots} more old slots into the new table, if it is growing:
   * for a caller that inserts nothing for a while (the dedupe memory at its cap) yet needs every
   * row where {@link #sweep} can see it.
   */
  void drainSome(int slots) {
    if (drainRows != null) {
      drain(slots);
    }
  }

  /** Moves the rows of up to {@code slots} more old slots into the new table. */
  private void drain(int slots) {
    long[] old = drainRows;
    int end = (int) Math.min(drainCapacity, (long) drainCursor + slots);
    int mask = capacity - 1;
    for (int j = drainCursor; j < end; j++) {
      long m = old[j * ROW];
      if ((m & PackedId.OCCUPIED) != 0) { // not empty, not moved ahead
        int i = home(m, mask);
        while (rows[i * ROW] != 0) {
          i = (i + 1) & mask;
        }
        moveRow(j, i);
      }
    }
    drainCursor = end;
    if (end == drainCapacity) {
      drainRows = null;
      drainOverflow = null;
    }
  }
}
