package io.specwatch.core.engine;

import io.specwatch.core.eval.Checked;
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
 * docs/language.md). Without event time every accepted id is a duplicate forever, so memory is
 * capped and the oldest ids go first.
 *
 * <p>The timed memory, the one on the hot path, is an {@link IdTimeTable} and an
 * {@link ExpiryHeap}: no object per id (short ids are packed into the table's rows). The untimed
 * one keeps a {@link LinkedHashMap}, whose insertion order is the eviction order.
 */
final class DedupeMemory {
  static final int DEFAULT_MAX_IDS_WITHOUT_TIME = 10_000_000;

  static final long MIN_HORIZON_MILLIS = 3_600_000L;

  private final boolean timed;
  private final long window;
  private final long horizon;
  private final int maxIdsWithoutTime;
  /** With event time: id to t0. */
  private final IdTimeTable acceptedAt;
  /** With event time: when each accepted copy may be forgotten (stale once re-accepted). */
  private final ExpiryHeap expiries;
  /** Without event time: every accepted id, oldest first. */
  private final LinkedHashMap<String, Long> untimed;
  private long evicted;

  DedupeMemory(boolean timed, long window, int maxIdsWithoutTime) {
    this.timed = timed;
    this.window = window;
    this.horizon = Math.max(window, MIN_HORIZON_MILLIS);
    this.maxIdsWithoutTime = maxIdsWithoutTime;
    this.acceptedAt = timed ? new IdTimeTable() : null;
    this.expiries = timed ? new ExpiryHeap() : null;
    this.untimed = timed ? null : new LinkedHashMap<>();
  }

  /** Records the id unless it is a duplicate; returns true for a duplicate. */
  boolean checkAndRecord(String id, long time) {
    if (!timed) {
      if (untimed.putIfAbsent(id, time) != null) {
        return true;
      }
      if (untimed.size() > maxIdsWithoutTime) {
        Iterator<String> oldest = untimed.keySet().iterator();
        oldest.next();
        oldest.remove();
        evicted++;
      }
      return false;
    }
    int slot = acceptedAt.probe(id); // one probe: the check, then the insertion if it is new
    if (slot >= 0) {
      long t0 = acceptedAt.timeAt(slot);
      // time < t0 + window, computed without overflow: past Long.MAX_VALUE every time is before it.
      if (t0 > Long.MAX_VALUE - window || time < t0 + window) {
        return true;
      }
      acceptedAt.setTimeAt(slot, time);
    } else {
      acceptedAt.insertAt(slot, id, time);
    }
    expiries.add(forgetAt(time), id.hashCode());
    return false;
  }

  private long forgetAt(long t0) {
    return Checked.saturatingAdd(Checked.saturatingAdd(t0, window), horizon);
  }

  /** Forgets ids whose window, and the horizon after it, the watermark has passed. */
  void advanceTo(long watermark) {
    if (!timed) {
      return;
    }
    while (expiries.size() > 0 && expiries.peekAt() <= watermark) {
      long at = expiries.peekAt();
      int hash = expiries.peekHash();
      expiries.removeTop();
      // Forget the id with this hash whose time is due. Two ids that share a hash and are due at
      // the same time are both forgotten now (each has its entry), in either order; an entry made
      // stale by a later copy of its id matches no row, or one that is due anyway.
      for (int i = acceptedAt.nextWithHash(hash, acceptedAt.firstProbe(hash)); i >= 0;
          i = acceptedAt.nextWithHash(hash, acceptedAt.nextSlot(i))) {
        if (forgetAt(acceptedAt.timeAt(i)) == at) {
          acceptedAt.removeAt(i);
          break;
        }
      }
    }
  }

  int size() {
    return timed ? acceptedAt.size() : untimed.size();
  }

  long evicted() {
    return evicted;
  }

  // ---- checkpoint hooks (io.specwatch.core.checkpoint): keep in step with the fields above ----

  /** Writes the accepted ids and their times, oldest first where the order matters. */
  void exportState(io.specwatch.core.checkpoint.StateWriter w) {
    w.writeInt(size());
    if (timed) {
      acceptedAt.forEach((id, t0) -> {
        w.writeString(id);
        w.writeLong(t0);
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
      expiries.clear();
    } else {
      untimed.clear();
    }
    int n = r.readInt();
    for (int i = 0; i < n; i++) {
      String id = r.readString();
      long t0 = r.readLong();
      if (timed) {
        acceptedAt.put(id, t0);
        expiries.add(forgetAt(t0), id.hashCode());
      } else {
        untimed.put(id, t0);
      }
    }
    evicted = r.readLong();
  }
}
