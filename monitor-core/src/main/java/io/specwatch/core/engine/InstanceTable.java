package io.specwatch.core.engine;

import io.specwatch.core.StateSnapshot;
import io.specwatch.core.program.EntityType;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The live instances of one entity type in one evaluator, stored as rows of primitive arrays.
 *
 * <p>Why not {@code HashMap<String, Instance>}: every instance then costs a map node, an instance
 * object and five small arrays, about 390 bytes and seven objects, and at millions of instances
 * the garbage collector's tracing of them dominated {@code check}'s run time. Here an instance is
 * a dense id: one row of longs (its state longs, broken-invariant bits, one word per deadline,
 * and its key with the live and ended flags) and one row of references (its string and set
 * values). A deadline's expiry is kept by the {@link DeadlineQueue}, the row holds only its
 * handle there; the end time shares the word of deadline 0's handle: an instance that ends has
 * every deadline disarmed and never arms one again. So the payments row is 8 longs: 4 of state,
 * broken bits, deadline handle or end time, 2 of key.
 * Ids are stable while the instance lives (the deadline and forget queues refer to them) and
 * reused after it is removed.
 *
 * <p><b>The key lives inside the row.</b> A profile of the payments benchmark (about a million
 * live instances) put about 80 % of evaluation in finding the instance and first reading its row:
 * the index slot, the key {@code String}, its {@code byte[]} and the row were four dependent cache
 * misses per event. A key of at
 * most {@link #MAX_INLINE_CHARS} Latin-1 characters (ids nearly always are) is packed into the
 * row's last words, so a lookup touches the index slot and the row, which the event then reads
 * and writes anyway; no key object exists per instance. Longer or non-Latin-1 keys are kept as
 * strings in {@link #overflowKeys}, allocated only when one appears. The number of key words per
 * row starts at what short ids need and widens (all rows are copied once) when a longer key
 * arrives.
 *
 * <p><b>Rows are stored in chunks</b> of {@link #CHUNK_ROWS} rows, so growing the table allocates
 * one more chunk rather than copying every row into an array 1.5 times larger: with millions of
 * instances a doubling copy needed old and new arrays at once, far beyond the live data.
 *
 * <p>Lookup is open addressing with linear probing over {@link #index}: one {@code int} per slot,
 * {@code id + 1} in the low {@link #idBits} bits (0 is empty) and a <em>tag</em> of the key's hash
 * in the bits above, so a probe rejects nearly every other key (all but 1 in 2^tag bits) without
 * reading its row, and only a matching tag reads the key. With ten million ids the tag is 8
 * bits (2^24 slots). The index is 4 bytes a slot, filled to at most 3/4: 5.3 to 10.7 bytes per
 * instance, where 8-byte slots filled to at most 1/2 took 16 to 32 (with the row's expiry word
 * gone, 99 bytes per live payment became 71 at ten million). The slots hold no full hash, so
 * growing the index recomputes hashes from the keys in the rows (read in id order, so
 * sequentially). Removing an entry leaves a <em>tombstone</em> that probes step over, rather than
 * shifting the following entries back: that needed each following entry's home slot, so a read
 * of its row, a cache miss per entry, and a long-running monitor removes as often as it inserts
 * (every ended instance is forgotten 7 days later). Tombstones count toward the 3/4 bound; when
 * they fill it, the index is rebuilt at the same length.
 *
 * <p><b>Rebuilding is incremental.</b> Rebuilding the whole index in one go stopped the evaluator
 * for as long as it took to re-place every instance: 17 to 25 ms at 393k instances, 180 to 230
 * ms at 3.1M (load-tests/README.md, "Session 9"), so every event behind it waited that long; in a
 * live monitor that is the p99. Now the index starts empty at its new length and the old one is
 * <em>drained</em>: each insertion moves the next {@link #DRAIN_PER_INSERT} ids (in id order, so
 * the rows are read sequentially) from the old index to the new one, until every id below
 * {@link #drainEnd} (the high-water mark when the rebuild began) has moved. Meanwhile a lookup
 * that misses in the new index probes the old one, where only ids at or past the cursor count
 * (an id below it has moved, and an old entry left behind is stale). New instances go to the
 * new index. A freed id is reused as always; one the cursor has yet to reach is marked in
 * {@link #placedAhead}, so that the cursor skips it. (Taking fresh ids instead made the high-water
 * mark creep up with every rebuild of a table whose instances churn, until the ids no longer fit
 * the slots.) Removing an id the cursor has not reached takes it out of the old index, unless it
 * was placed ahead.
 */
final class InstanceTable {
  /** Rows per chunk: 2^12, so that a chunk of a typical row (100 bytes) is about 400 KB. */
  private static final int CHUNK_SHIFT = 12;
  static final int CHUNK_ROWS = 1 << CHUNK_SHIFT;
  private static final int CHUNK_MASK = CHUNK_ROWS - 1;
  private static final int INITIAL_ROWS = 16;

  /**
   * The first key word's low byte: the key's length (bits 0 to 5) and two flags. The other bytes
   * of the key words are the key's characters, one byte each; 8 words hold 62 characters.
   */
  private static final int LENGTH_MASK = 0x3F;
  private static final long LIVE = 0x40;
  private static final long ENDED = 0x80;
  static final int MAX_INLINE_CHARS = 62;
  /** The length of a key kept in {@link #overflowKeys}. */
  private static final int OVERFLOW = LENGTH_MASK;

  final EntityType type;
  final int longSlots;
  final int refSlots;
  /** Deadlines per instance. */
  final int deadlineSlots;
  /** Longs of invariant bits per instance (bit i of word i / 64: invariant i is broken). */
  private final int brokenWords;
  /** Where each part starts within a row (after the state longs at 0). */
  private final int brokenAt;
  private final int armAt;
  /** The end time's word: deadline 0's arm word when there is one (see the class comment). */
  private final int endTimeAt;
  /** The key words; the first also holds the flags. */
  private final int keyAt;
  /** Words of inline key per row: grows when a longer key arrives. */
  private int keyWords;
  /** Longs per row: {@code keyAt + keyWords}. */
  private int stride;

  /** Row {@code id} is at {@code (id & CHUNK_MASK) * stride} of {@code wordChunks[id >>> 12]}. */
  private long[][] wordChunks = new long[1][];
  private Object[][] refChunks = new Object[1][];
  /** Rows the chunks hold. */
  private int capacity;
  /** Keys that do not fit inline, by id; null until the first such key. */
  private String[] overflowKeys;

  /**
   * A removed entry's slot: no id (so it matches no probe) but not empty (so probes go on past
   * it). Any value with zero id bits and nonzero tag bits would do; all ones above bit 31 of any
   * id field is simplest.
   */
  private static final int TOMBSTONE = Integer.MIN_VALUE;

  /** Packs the keys of the string-keyed calls; events bring their own (see {@link PackedKey}). */
  private final PackedKey scratchKey = new PackedKey();

  /** 0 when empty, else {@code id + 1} and above it the high bits of {@code mix(hash)}. */
  private int[] index = new int[32];
  /**
   * Bits of an index slot that hold {@code id + 1}: log2 of the index's length, the rest is the
   * tag. Enough, because ids are handed out densely (freed ones first) and the index grows before
   * it is 3/4 full: every id ever handed out is below the largest size so far, so below 3/4 of
   * the length. Fixed per index length (a rebuild at the same length keeps it).
   */
  private int idBits = Integer.numberOfTrailingZeros(32);
  private int size;
  /** Index slots holding {@link #TOMBSTONE}: removed entries a probe must step over. */
  private int tombstones;
  /** Ids below this were handed out at least once. */
  private int highWater;
  private int[] freeIds = new int[0];
  private int freeCount;

  /** While a rebuild drains it (see the class comment): the old index, else null. */
  private int[] draining;
  /** {@link #idBits} of {@link #draining}. */
  private int drainingIdBits;
  /** Ids below this have moved to {@link #index} (or were not live). */
  private int drainCursor;
  /** {@link #highWater} when the rebuild began: no id at or past it is in {@link #draining}. */
  private int drainEnd;
  /**
   * By id below {@link #drainEnd}: handed out again (so placed in the new index) while the drain
   * had not reached it; the drain skips these. One bit per id, for the length of a drain.
   */
  private long[] placedAhead;

  InstanceTable(EntityType type) {
    this.type = type;
    this.longSlots = type.longSlots();
    this.refSlots = type.refSlots();
    this.deadlineSlots = type.deadlines().size();
    this.brokenWords = (type.invariants().size() + 63) / 64;
    this.brokenAt = longSlots;
    this.armAt = brokenAt + brokenWords;
    this.endTimeAt = armAt; // deadline 0's arm word, or a word of its own when there is none
    this.keyAt = armAt + Math.max(1, deadlineSlots);
    this.keyWords = 2; // 15 characters: most generated ids ("pay_0000123456", "o-42")
    this.stride = keyAt + keyWords;
    wordChunks[0] = new long[0];
    refChunks[0] = new Object[0];
    growTo(INITIAL_ROWS);
  }

  int size() {
    return size;
  }

  /** Ids handed out at least once: rows in use or free (for tests: it must not creep). */
  int idsHandedOut() {
    return highWater;
  }

  /** Whether a rebuild is draining the old index (for tests). */
  boolean isDraining() {
    return draining != null;
  }

  /** Slots in the index (for tests: removals must not make it grow). */
  int indexLength() {
    return index.length;
  }

  /** The id of the instance with this key, or -1 (tools, tests, imports: events bring PackedKeys). */
  int find(String key) {
    scratchKey.pack(key);
    return find(scratchKey);
  }

  /** The id of the instance with this key, or -1. */
  int find(PackedKey key) {
    int mixed = mix(key.hash);
    int id = probe(index, idBits, mixed, key);
    if (id < 0 && draining != null) {
      id = probe(draining, drainingIdBits, mixed, key);
      if (id < drainCursor) {
        return -1; // moved already, so the new index has the truth: a stale entry, or -1
      }
    }
    return id;
  }

  /** The id of the instance with {@code key} in index {@code idx}, or -1. */
  private int probe(int[] idx, int bits, int mixed, PackedKey key) {
    int mask = idx.length - 1;
    int idMask = (1 << bits) - 1;
    int tag = mixed & ~idMask;
    for (int i = mixed & mask; ; i = (i + 1) & mask) {
      int slot = idx[i];
      if (slot == 0) {
        return -1;
      }
      if ((slot & ~idMask) == tag && (slot & idMask) != 0) {
        int id = (slot & idMask) - 1;
        if (keyEquals(id, key)) {
          return id;
        }
      }
    }
  }

  /**
   * Reads the index slot and (when its tag matches) the row that {@code find(key, hash)} will
   * read, so that their cache misses are under way while earlier events are evaluated; returns
   * a value the caller must keep (so that the reads are not optimised away). Touching is only a
   * hint: it changes nothing, and a wrong guess costs two loads.
   */
  long touch(int hash) {
    int[] idx = index;
    int mixed = mix(hash);
    int slot = idx[mixed & (idx.length - 1)];
    int idMask = (1 << idBits) - 1;
    if ((slot & idMask) == 0 || ((slot ^ mixed) & ~idMask) != 0) {
      if (draining != null) { // most keys are still there while it drains
        return slot + draining[mixed & (draining.length - 1)];
      }
      return slot; // empty, a tombstone, or another key
    }
    int id = (slot & idMask) - 1;
    long[] w = wordChunks[id >>> CHUNK_SHIFT];
    int row = (id & CHUNK_MASK) * stride;
    // The row's first and last words: a row of up to 64 bytes spans at most two cache lines,
    // and the event reads both (key and state; broken bits and arm words).
    return w[row] + w[row + stride - 1];
  }

  /** Whether instance {@code id}'s key is {@code key}: compares the packed words in the row. */
  private boolean keyEquals(int id, PackedKey key) {
    long[] w = wordChunks[id >>> CHUNK_SHIFT];
    int at = (id & CHUNK_MASK) * stride + keyAt;
    long first = w[at];
    int n = key.wordCount;
    if (n == 0) {
      return ((int) first & LENGTH_MASK) == OVERFLOW && key.key().equals(overflowKeys[id]);
    }
    // The length byte is in word 0 (an overflow row's length matches no inline key); words past
    // the key's last are not compared: rows and packed keys alike may hold anything there.
    if ((first & ~(LIVE | ENDED)) != key.words[0]) {
      return false;
    }
    for (int i = 1; i < n; i++) {
      if (w[at + i] != key.words[i]) {
        return false;
      }
    }
    return true;
  }

  /** {@link #insert(PackedKey)} for tools, tests and imports. */
  int insert(String key) {
    scratchKey.pack(key);
    return insert(scratchKey);
  }

  /** Adds a fresh instance (initial state, nothing armed) for a key that is not present. */
  int insert(PackedKey key) {
    if (draining != null) {
      drain(DRAIN_PER_INSERT);
    }
    if ((long) (size + tombstones + 1) * 4 > (long) index.length * 3) {
      // Full of live entries: double. Mostly tombstones (instances forgotten): rebuild at the same
      // length, which leaves it at most 3/8 full, so the next rebuild is that many changes away.
      boolean live = (long) (size + 1) * 8 > (long) index.length * 3;
      startRebuild(live ? index.length * 2 : index.length);
    }
    boolean inline = key.wordCount > 0;
    if (key.wordCount > keyWords) {
      widenKeys(key.wordCount);
    }
    int id;
    if (freeCount > 0) {
      id = freeIds[--freeCount];
      if (draining != null && id >= drainCursor && id < drainEnd) {
        placedAhead[id >>> 6] |= 1L << id; // the drain must not move it again
      }
    } else {
      if (highWater == capacity) {
        growTo(capacity < CHUNK_ROWS ? Math.min(CHUNK_ROWS, capacity * 2) : capacity + CHUNK_ROWS);
      }
      id = highWater++;
    }
    long[] w = wordChunks[id >>> CHUNK_SHIFT];
    int row = (id & CHUNK_MASK) * stride;
    System.arraycopy(type.initialLongs(), 0, w, row, longSlots);
    Arrays.fill(w, row + longSlots, row + stride, 0L);
    if (inline) {
      System.arraycopy(key.words, 0, w, row + keyAt, key.wordCount);
      w[row + keyAt] |= LIVE;
    } else {
      w[row + keyAt] = OVERFLOW | LIVE;
      if (overflowKeys == null) {
        overflowKeys = new String[capacity];
      }
      overflowKeys[id] = key.key();
    }
    System.arraycopy(type.initialRefs(), 0, refChunks[id >>> CHUNK_SHIFT],
        (id & CHUNK_MASK) * refSlots, refSlots);
    place(index, key.hash, id);
    size++;
    return id;
  }

  /**
   * Removes instance {@code id}; its id may be handed out again by the next insert. Its index slot
   * becomes a tombstone (see the class comment), so removing reads no other instance's row.
   */
  void remove(int id) {
    if (draining != null && id >= drainCursor && id < drainEnd
        && (placedAhead[id >>> 6] & (1L << id)) == 0) {
      erase(draining, drainingIdBits, id); // not moved yet; the old index is not counted
    } else {
      if (draining != null && id < drainEnd) {
        placedAhead[id >>> 6] &= ~(1L << id); // freed: if handed out again, marked again
      }
      erase(index, idBits, id);
      tombstones++;
    }
    setWord(id, keyAt, word(id, keyAt) & ~(LIVE | ENDED));
    if (overflowKeys != null) {
      overflowKeys[id] = null;
    }
    int refsAt = refsAt(id);
    Arrays.fill(refChunks[id >>> CHUNK_SHIFT], refsAt, refsAt + refSlots, null); // let go
    if (freeCount == freeIds.length) {
      freeIds = Arrays.copyOf(freeIds, Math.max(16, freeIds.length * 2));
    }
    freeIds[freeCount++] = id;
    size--;
  }

  /** Replaces {@code id}'s slot in {@code idx} with a tombstone. */
  private void erase(int[] idx, int bits, int id) {
    int mask = idx.length - 1;
    int idMask = (1 << bits) - 1;
    int i = mix(keyHash(id)) & mask;
    while ((idx[i] & idMask) != id + 1) {
      if (idx[i] == 0) { // a bug, not bad input: fail loudly rather than probe for ever
        throw new IllegalStateException("instance " + id + " is not in the index");
      }
      i = (i + 1) & mask;
    }
    idx[i] = TOMBSTONE;
  }

  /** Whether {@code id} currently holds a live instance. */
  boolean isLive(int id) {
    return id < highWater && (word(id, keyAt) & LIVE) != 0;
  }

  /** The key of live instance {@code id} (a new string unless it is an overflow key). */
  String key(int id) {
    long[] w = wordChunks[id >>> CHUNK_SHIFT];
    int at = (id & CHUNK_MASK) * stride + keyAt;
    int len = (int) w[at] & LENGTH_MASK;
    if (len == OVERFLOW) {
      return overflowKeys[id];
    }
    byte[] bytes = new byte[len];
    for (int i = 0; i < len; i++) {
      int b = i + 1;
      bytes[i] = (byte) (w[at + (b >>> 3)] >>> ((b & 7) << 3));
    }
    return new String(bytes, StandardCharsets.ISO_8859_1);
  }

  /** {@code key(id).hashCode()} without building the string. */
  private int keyHash(int id) {
    long[] w = wordChunks[id >>> CHUNK_SHIFT];
    int at = (id & CHUNK_MASK) * stride + keyAt;
    int len = (int) w[at] & LENGTH_MASK;
    if (len == OVERFLOW) {
      return overflowKeys[id].hashCode();
    }
    int h = 0;
    for (int i = 0; i < len; i++) {
      int b = i + 1;
      h = 31 * h + (int) ((w[at + (b >>> 3)] >>> ((b & 7) << 3)) & 0xFF);
    }
    return h;
  }

  /** The chunk of longs that holds row {@code id}. */
  long[] wordsOf(int id) {
    return wordChunks[id >>> CHUNK_SHIFT];
  }

  /** Where row {@code id} (its state longs first) starts in {@link #wordsOf}. */
  int rowAt(int id) {
    return (id & CHUNK_MASK) * stride;
  }

  /** The chunk of references that holds instance {@code id}'s values. */
  Object[] refsOf(int id) {
    return refChunks[id >>> CHUNK_SHIFT];
  }

  /** Where instance {@code id}'s values start in {@link #refsOf}. */
  int refsAt(int id) {
    return (id & CHUNK_MASK) * refSlots;
  }

  Object ref(int id, int slot) {
    return refsOf(id)[refsAt(id) + slot];
  }

  void setRef(int id, int slot, Object value) {
    refsOf(id)[refsAt(id) + slot] = value;
  }

  private long word(int id, int offset) {
    return wordChunks[id >>> CHUNK_SHIFT][(id & CHUNK_MASK) * stride + offset];
  }

  private void setWord(int id, int offset, long value) {
    wordChunks[id >>> CHUNK_SHIFT][(id & CHUNK_MASK) * stride + offset] = value;
  }

  long stateLong(int id, int slot) {
    return word(id, slot);
  }

  void setStateLong(int id, int slot, long value) {
    setWord(id, slot, value);
  }

  boolean isBroken(int id, int invariant) {
    return (word(id, brokenAt + (invariant >>> 6)) & (1L << invariant)) != 0;
  }

  void setBroken(int id, int invariant, boolean value) {
    int offset = brokenAt + (invariant >>> 6);
    long w = word(id, offset);
    setWord(id, offset, value ? w | (1L << invariant) : w & ~(1L << invariant));
  }

  /**
   * Deadline {@code d}'s arm word: 0 when disarmed, else what {@link DeadlineQueue} keeps there
   * (its handle + 1). Meaningful only while the instance has not ended: an ended instance has
   * every deadline disarmed and deadline 0's word holds its end time.
   */
  long armWord(int id, int d) {
    return word(id, armAt + d);
  }

  void setArmWord(int id, int d, long value) {
    setWord(id, armAt + d, value);
  }

  /** Whether deadline {@code d} of {@code id} is armed (false for an ended instance). */
  boolean isArmed(int id, int d) {
    return !ended(id) && armWord(id, d) != 0;
  }

  boolean ended(int id) {
    return (word(id, keyAt) & ENDED) != 0;
  }

  /** When the instance ended; valid only while {@link #ended}. */
  long endTime(int id) {
    return word(id, endTimeAt);
  }

  /**
   * Marks {@code id} ended at {@code endTime}, or not ended (the end time is then ignored). An
   * instance must have every deadline disarmed before it ends: the end time takes deadline 0's
   * arm word.
   */
  void setEnded(int id, boolean ended, long endTime) {
    long first = word(id, keyAt);
    if (ended) {
      setWord(id, keyAt, first | ENDED);
      setWord(id, endTimeAt, endTime);
    } else {
      setWord(id, keyAt, first & ~ENDED);
    }
  }

  /** The committed state of {@code id} as a violation shows it. */
  StateSnapshot snapshot(int id) {
    int row = rowAt(id);
    int refsAt = refsAt(id);
    return new StateSnapshot(type, Arrays.copyOfRange(wordsOf(id), row, row + longSlots),
        Arrays.copyOfRange(refsOf(id), refsAt, refsAt + refSlots));
  }

  /** The ids of the live instances, in no particular order. */
  int[] liveIds() {
    int[] out = new int[size];
    int n = 0;
    for (int id = 0; id < highWater; id++) {
      if (isLive(id)) {
        out[n++] = id;
      }
    }
    return out;
  }

  List<String> liveKeys() {
    List<String> out = new ArrayList<>(size);
    for (int id : liveIds()) {
      out.add(key(id));
    }
    return out;
  }

  /**
   * Spreads hash codes over all 32 bits (murmur3's finalizer): the low bits pick the home slot,
   * the bits above {@link #idBits} are the slot's tag, so both depend on every bit of the hash.
   * Ids that differ only in their last characters (sequential ids) have hash codes in
   * near-arithmetic progressions, which a single multiply spreads less evenly.
   */
  private static int mix(int h) {
    h ^= h >>> 16;
    h *= 0x85EBCA6B;
    h ^= h >>> 13;
    h *= 0xC2B2AE35;
    return h ^ (h >>> 16);
  }

  /** Puts {@code id}, whose key hashes to {@code hash}, in the first free slot of its probe run. */
  private void place(int[] idx, int hash, int id) {
    int mask = idx.length - 1;
    int mixed = mix(hash);
    int idMask = (1 << idBits) - 1;
    int i = mixed & mask;
    while ((idx[i] & idMask) != 0) { // an empty slot or a tombstone takes it
      i = (i + 1) & mask;
    }
    if (idx[i] == TOMBSTONE) {
      tombstones--;
    }
    idx[i] = (mixed & ~idMask) | (id + 1);
  }

  /**
   * Ids moved from the old index per insertion while it drains (see the class comment): the
   * rebuild of n instances ends after n / 64 insertions, long before the new index can fill
   * (it has room for a quarter of its length, at least n / 3, more entries). While it drains, a
   * key not yet moved costs a probe of each index, so the drain is kept short; moving 64 ids
   * takes a few microseconds.
   */
  static final int DRAIN_PER_INSERT = 64;
  /** Keeps what {@link #drain} read ahead, so that the reads are not optimised away. */
  @SuppressWarnings("unused")
  private int drainTouched;
  private final int[] drainIds = new int[DRAIN_PER_INSERT];
  private final int[] drainHashes = new int[DRAIN_PER_INSERT];

  /**
   * Starts re-indexing every live instance into {@code length} slots (a power of two): the new
   * index starts empty and the old one drains into it over the next insertions. A rebuild still
   * draining is finished first (it cannot be: see {@link #DRAIN_PER_INSERT}).
   */
  private void startRebuild(int length) {
    if (draining != null) {
      drain(Integer.MAX_VALUE);
    }
    draining = index;
    drainingIdBits = idBits;
    drainCursor = 0;
    drainEnd = highWater;
    placedAhead = new long[(drainEnd + 63) >>> 6];
    index = new int[length];
    idBits = Integer.numberOfTrailingZeros(length);
    tombstones = 0;
    if (drainEnd == 0) {
      draining = null;
      placedAhead = null;
    }
  }

  /**
   * Moves the live instances of up to {@code ids} more ids from the old index to the new one.
   * The hashes come from the keys in the rows, read in id order (sequential memory). Placing is a
   * read of a random slot of an index far larger than the caches, so a batch is hashed first,
   * its home slots read in one tight loop (independent loads, whose misses overlap), and only
   * then placed: one at a time, rebuilding was 19 % of the payments benchmark (session 5).
   */
  private void drain(int ids) {
    int[] fresh = index;
    int mask = fresh.length - 1;
    int id = drainCursor;
    int end = ids == Integer.MAX_VALUE ? drainEnd : (int) Math.min(drainEnd, (long) id + ids);
    while (id < end) {
      int n = 0;
      for (; id < end && n < DRAIN_PER_INSERT; id++) {
        if (isLive(id) && (placedAhead[id >>> 6] & (1L << id)) == 0) {
          drainIds[n] = id;
          drainHashes[n++] = keyHash(id);
        }
      }
      int touched = 0;
      for (int i = 0; i < n; i++) {
        touched += fresh[mix(drainHashes[i]) & mask];
      }
      // Kept in a field so that the JIT cannot drop the loads above; placing then reads the
      // same slots, now cached.
      drainTouched = touched;
      for (int i = 0; i < n; i++) {
        place(fresh, drainHashes[i], drainIds[i]);
      }
    }
    drainCursor = id;
    if (id >= drainEnd) {
      draining = null; // every instance is in the new index
      placedAhead = null;
    }
  }

  /**
   * Room for {@code rows} rows: the first chunk grows by doubling up to {@link #CHUNK_ROWS} (small
   * tables stay small), after that whole chunks are added and no row is ever copied.
   */
  private void growTo(int rows) {
    if (rows <= CHUNK_ROWS) {
      wordChunks[0] = Arrays.copyOf(wordChunks[0], rows * stride);
      refChunks[0] = Arrays.copyOf(refChunks[0], rows * refSlots);
    } else {
      int chunks = (rows + CHUNK_ROWS - 1) >>> CHUNK_SHIFT;
      int had = wordChunks.length;
      wordChunks = Arrays.copyOf(wordChunks, chunks);
      refChunks = Arrays.copyOf(refChunks, chunks);
      for (int c = had; c < chunks; c++) {
        wordChunks[c] = new long[CHUNK_ROWS * stride];
        refChunks[c] = new Object[CHUNK_ROWS * refSlots];
      }
    }
    capacity = rows;
    if (overflowKeys != null) {
      overflowKeys = Arrays.copyOf(overflowKeys, rows);
    }
  }

  /** Re-lays every row with {@code words} key words: a longer key arrived (at most 3 times). */
  private void widenKeys(int words) {
    int oldStride = stride;
    int newStride = keyAt + words;
    for (int c = 0; c < wordChunks.length; c++) {
      long[] old = wordChunks[c];
      int rows = old.length / oldStride;
      long[] fresh = new long[rows * newStride];
      for (int r = 0; r < rows; r++) {
        System.arraycopy(old, r * oldStride, fresh, r * newStride, oldStride);
      }
      wordChunks[c] = fresh;
    }
    keyWords = words;
    stride = newStride;
  }
}
