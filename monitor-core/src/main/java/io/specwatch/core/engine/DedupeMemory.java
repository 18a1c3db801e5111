package io.specwatch.core.engine;

import io.specwatch.core.eval.Limits;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Which event ids were accepted, and at what event time t0 (the latest accepted copy).
 *
 * <p>With event time, a copy is a duplicate while its own time is before t0 + window, however late
 * it arrives: that is the contract. Remembering every id forever would make memory grow with the
 * input, so an id is forgotten once the watermark is a further {@link #horizon} past the end of
 * its window (the window again, and at least an hour). Only a copy that arrives more than that
 * behind the watermark, far later than any declared lateness, is then taken for new (see
 * docs/language.md). Memory for a finite log ({@code check}) first remembers every id
 * <em>exactly</em>, up to {@link DedupeLimits#exactIds}, and forgets that way only past it (for
 * good: {@link #exact}). Without event time every accepted id is a duplicate forever, so memory is
 * capped ({@link DedupeLimits#maxIds}) and the oldest ids go first. With event time the same cap
 * bounds a flood of fresh ids inside the window: a new id past it is applied but not recorded,
 * and counted, rather than let the memory grow until the heap runs out.
 *
 * <p>The timed memory, the one on the hot path, is an {@link IdTimeTable}: no object per id (short
 * ids are packed into the table's rows). <b>Forgetting is lazy</b>: an id whose forget time the
 * watermark has reached counts as absent the moment that is so (a copy finds it and is accepted
 * anew, as it would be had the id been removed), checkpoints leave it out, and each insertion
 * sweeps the next {@link #SWEEP_SLOTS} rows of the table, removing such ids, so they do not pile
 * up. Until session 5 an expiry heap named each id's forget time and the id was looked up and
 * removed then: a second cache miss per id, in a table of millions (7.4M ids on the 10M-line
 * payments log). With it, `check` ran at 0.37 to 0.44 of a bare parse on that log, and at 1.0
 * on the same log and spec without `id` (load-tests/README.md, "Session 5"). The untimed memory
 * keeps a {@link LinkedHashMap}, whose insertion order is the eviction order.
 */
final class DedupeMemory {
  static final long MIN_HORIZON_MILLIS = 3_600_000L;
  /**
   * Rows swept per insertion. At most one cycle's worth of forgotten ids waits in the table (one
   * in every {@code SWEEP_SLOTS} rows of it); the table grows at half full, so the ids it
   * remembers can fill it to 1/2 - 1/16: about the memory of removing each id on time.
   */
  static final int SWEEP_SLOTS = 16;

  private final boolean timed;
  private final long window;
  private final long horizon;
  /** {@link DedupeLimits#cap}: the most ids held. */
  private final long maxIds;
  /**
   * Rows swept (and old rows drained) for room when the memory holds {@link #maxIds} ids and a
   * new one comes ({@link #makeRoom}). 64 covers the whole of the smallest table, so at caps of
   * up to 32 ids the memory holds exactly the ids the reference engine holds (the differential
   * tests run such caps); a 1024-row scan per refused id measured 10 times the cost of an
   * accepted id under a flood at the cap.
   */
  static final int ROOM_SWEEP_SLOTS = 64;
  /** See {@link DedupeLimits#exactIds}. */
  private final long exactIds;
  /**
   * Whether nothing is forgotten: true until the memory has held more than {@link #exactIds} ids
   * and the watermark then moved, false from then on, for good (a permanent switch, so that the
   * verdicts do not depend on when the sweep got where). Always false with {@code exactIds} 0.
   */
  private boolean exact;
  /**
   * More than {@link #exactIds} ids are held: the switch out of {@link #exact} waits for the
   * watermark's next move, so that ids accepted behind the watermark since it last moved stay
   * until then, as a live stream's memory keeps them (choice 4).
   */
  private boolean switchPending;
  /** With event time: id to t0. */
  private final IdTimeTable acceptedAt;
  /** With event time: ids whose forget time is at or before this are forgotten (see above). */
  private long watermark = Long.MIN_VALUE;
  /**
   * Ids accepted since the watermark last moved at a time already past their forget time (a
   * copy hours late): remembered until the watermark next moves (docs/language.md, choice 4),
   * so they are not forgotten, nor swept, before then. Usually empty.
   */
  private final java.util.HashSet<String> acceptedBehind = new java.util.HashSet<>();
  private final IdTimeTable.Forgotten sweepable = this::sweepable;
  /** Without event time: every accepted id, oldest first. */
  private final LinkedHashMap<String, Long> untimed;
  private long evicted;
  /** With event time: new ids not recorded because {@link #maxIds} were held. */
  private long unrecorded;

  /** A memory that forgets by the horizon from the start, holding at most {@code maxIds} ids. */
  DedupeMemory(boolean timed, long window, long maxIds) {
    this(timed, window, new DedupeLimits(0, maxIds));
  }

  DedupeMemory(boolean timed, long window, DedupeLimits limits) {
    this.timed = timed;
    this.window = window;
    this.horizon = Math.max(window, MIN_HORIZON_MILLIS);
    this.maxIds = limits.cap();
    this.exactIds = limits.exactIds();
    this.exact = timed && exactIds > 0;
    this.acceptedAt = timed ? new IdTimeTable() : null;
    this.untimed = timed ? null : new LinkedHashMap<>();
  }

  /**
   * Reads where {@link #checkAndRecord} of {@code id} will look first, so that its cache miss is
   * under way early (see {@link Admission#touchDedupe}); returns a value the caller must keep.
   */
  long touch(PackedId id) {
    return timed ? acceptedAt.touch(id.hash()) : 0;
  }

  /** {@link #checkAndRecord(PackedId, long)} for tests. */
  boolean checkAndRecord(String id, long time) {
    PackedId packed = new PackedId();
    packed.pack(id);
    return checkAndRecord(packed, time);
  }

  /** Records the id unless it is a duplicate; returns true for a duplicate. */
  boolean checkAndRecord(PackedId id, long time) {
    if (!timed) {
      if (untimed.putIfAbsent(id.text(), time) != null) {
        return true;
      }
      evictPastTheCap();
      return false;
    }
    int slot = acceptedAt.probe(id); // one probe: the check, then the insertion if it is new
    if (slot >= 0) {
      long t0 = acceptedAt.timeAt(slot);
      // time < t0 + window, computed without overflow: past Long.MAX_VALUE every time is before it.
      boolean remembered = !forgotten(t0) || acceptedBehind.contains(id.text());
      if (remembered && (t0 > Long.MAX_VALUE - window || time < t0 + window)) {
        return true;
      }
      acceptedAt.setTimeAt(slot, time); // accepted again, or anew after it was forgotten
    } else {
      if (acceptedAt.size() >= maxIds) {
        if (!makeRoom()) {
          unrecorded++;
          if (exact) {
            switchPending = true; // the cap ends exactness: from the watermark's next move on
          }
          return false; // applied, but a copy of it will not be recognised: counted
        }
        slot = acceptedAt.probe(id); // the sweep moved rows
      }
      acceptedAt.insertAt(slot, id, time);
      if (exact && acceptedAt.size() > exactIds) {
        switchPending = true; // from the watermark's next move on, ids are forgotten
      }
    }
    if (exact) {
      return false; // nothing to forget, so nothing to sweep
    }
    if (forgotten(time)) {
      acceptedBehind.add(id.text()); // before the sweep, which would otherwise take this very row
    }
    if (slot < 0) {
      acceptedAt.sweep(SWEEP_SLOTS, sweepable);
    }
    return false;
  }

  /**
   * At the cap: sweeps a few more rows for forgotten ids, as many as four ordinary insertions
   * would, and keeps a growth's drain going (it moves only on insertions, and the sweep sees
   * only the new table); returns whether that made room. So a refused id costs a bounded scan,
   * and the forgotten ids the sweep has not reached yet are found over the next refusals, not
   * at once: the memory may refuse an id while it still holds some (docs/operations.md).
   */
  private boolean makeRoom() {
    if (exact) {
      return false; // nothing is forgotten
    }
    acceptedAt.drainSome(ROOM_SWEEP_SLOTS);
    acceptedAt.sweep(ROOM_SWEEP_SLOTS, sweepable);
    return acceptedAt.size() < maxIds;
  }

  /** Without event time: evicts the oldest ids while more than the cap are held. */
  private void evictPastTheCap() {
    Iterator<String> oldest = untimed.keySet().iterator();
    while (untimed.size() > maxIds) {
      oldest.next();
      oldest.remove();
      evicted++;
    }
  }

  /**
   * Whether the sweep may remove the id accepted at {@code t0} in {@code slot}: forgotten, and
   * not accepted behind since the watermark last moved. Sweeping on every insertion, whatever
   * that set holds, matters: a stream where every other document is hours late would otherwise
   * keep the set non-empty at each insertion and the table would grow without bound.
   */
  private boolean sweepable(long t0, int slot) {
    return forgotten(t0)
        && (acceptedBehind.isEmpty() || !acceptedBehind.contains(acceptedAt.idAt(slot)));
  }

  /**
   * Whether an id accepted at {@code t0} is forgotten: its window and horizon are behind. Never
   * when they end past the largest time (capped there, a watermark at the largest time would
   * forget ids still inside their window).
   */
  private boolean forgotten(long t0) {
    if (exact) {
      return false;
    }
    long at = Limits.laterOrNever(t0, window, horizon);
    return at != Limits.NEVER_FORGOTTEN && at <= watermark;
  }

  /** Forgets ids whose window, and the horizon after it, the watermark has passed. */
  void advanceTo(long watermark) {
    if (timed) {
      // The ids go now, lazily: see the class comment. Watermarks never go back; if one did,
      // what was forgotten would stay forgotten, as when ids were removed on time.
      this.watermark = Math.max(this.watermark, watermark);
      acceptedBehind.clear();
      if (switchPending) {
        exact = false;
        switchPending = false;
      }
    }
  }

  /**
   * The ids held: those remembered, plus forgotten ones the sweep has not reached yet (at most
   * one in {@link #SWEEP_SLOTS} rows). For a metric of memory; {@link #remembered} is exact.
   */
  int size() {
    return timed ? acceptedAt.size() : untimed.size();
  }

  /** The ids remembered, exactly (a scan of the table: for tests). */
  int remembered() {
    if (!timed) {
      return untimed.size();
    }
    int[] n = new int[1];
    acceptedAt.forEach((id, t0) -> {
      if (!forgotten(t0) || acceptedBehind.contains(id)) {
        n[0]++;
      }
    });
    return n[0];
  }

  long evicted() {
    return evicted;
  }

  long unrecorded() {
    return unrecorded;
  }

  /**
   * Whether this memory was to remember ids exactly ({@link DedupeLimits#exactIds}) and passed
   * that many: copies are since deduplicated by the horizon only.
   */
  boolean exactnessLost() {
    return timed && exactIds > 0 && !exact;
  }

  // ---- checkpoint hooks (io.specwatch.core.checkpoint): keep in step with the fields above ----

  /** Writes the remembered ids and their times, oldest first where the order matters. */
  void exportState(io.specwatch.core.checkpoint.StateWriter w) {
    w.writeInt(remembered());
    if (timed) {
      acceptedAt.forEach((id, t0) -> {
        if (!forgotten(t0) || acceptedBehind.contains(id)) { // the same as eager forgetting
          w.writeString(id);
          w.writeLong(t0);
        }
      });
    } else {
      for (Map.Entry<String, Long> e : untimed.entrySet()) {
        w.writeString(e.getKey());
        w.writeLong(e.getValue());
      }
    }
    w.writeLong(evicted);
  }

  /** Replaces this memory's content with what {@link #exportState} wrote. */
  void importState(io.specwatch.core.checkpoint.StateReader r) {
    if (timed) {
      acceptedAt.clear();
      acceptedBehind.clear();
      watermark = Long.MIN_VALUE; // nothing is forgotten until the watermark next moves
    } else {
      untimed.clear();
    }
    int n = r.readInt();
    // Only check remembers exactly, and it writes no checkpoints: a memory restored from one
    // (a live stream's) forgets as before. Were one restored here, it would be exact again while
    // it holds no more than exactIds ids: never less exact than the one that wrote it.
    exact = timed && exactIds > 0 && n <= exactIds;
    switchPending = false;
    for (int i = 0; i < n; i++) {
      String id = r.readString();
      long t0 = r.readLong();
      if (timed) {
        acceptedAt.put(id, t0);
      } else {
        untimed.put(id, t0);
      }
    }
    evicted = r.readLong();
    // A checkpoint written under a larger cap (a smaller heap now, more specs, another member):
    // without event time the oldest go now; with it nothing remembered is dropped, and new ids
    // are refused until forgetting brings the memory under the cap.
    if (!timed) {
      evictPastTheCap();
    }
  }
}
