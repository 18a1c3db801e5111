package io.specwatch.core.engine.reference;

import io.specwatch.core.engine.DedupeLimits;
import io.specwatch.core.eval.Limits;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.PriorityQueue;

/**
 * Which event ids were accepted, and at what event time t0 (the latest accepted copy).
 *
 * <p>With event time, a copy is a duplicate while its own time is before t0 + window, however late
 * it arrives: that is the contract. Remembering every id forever would make memory grow with the
 * input, so an id is forgotten once the watermark is a further {@link #horizon} past the end of
 * its window (the window again, and at least an hour). Only a copy that arrives more than that
 * behind the watermark, far later than any declared lateness, is then taken for new (see
 * docs/language.md). Memory for a finite log ({@code check}) first remembers every id exactly,
 * up to {@link DedupeLimits#exactIds}, and forgets that way only past it, for good. Without event
 * time every accepted id is a duplicate forever, so memory is capped and the oldest ids go first.
 */
final class DedupeMemory {

  private record Expiry(long at, String id) {}

  static final long MIN_HORIZON_MILLIS = 3_600_000L;

  private final boolean timed;
  private final long window;
  private final long horizon;
  private final long maxIds;
  private final Map<String, Long> acceptedAt;
  private final PriorityQueue<Expiry> expiries = new PriorityQueue<>((a, b) -> Long.compare(a.at, b.at));
  private long evicted;
  private final long exactIds;
  /**
   * Nothing is forgotten while true: until more than {@link #exactIds} ids are held and the
   * watermark then moves (so that ids accepted behind it since its last move stay until then).
   */
  private boolean exact;
  private boolean switchPending;

  DedupeMemory(boolean timed, long window, DedupeLimits limits) {
    this.timed = timed;
    this.window = window;
    this.horizon = Math.max(window, MIN_HORIZON_MILLIS);
    this.maxIds = limits.cap();
    this.exactIds = limits.exactIds();
    this.exact = timed && exactIds > 0;
    this.acceptedAt = timed ? new HashMap<>() : new LinkedHashMap<>();
  }

  /** Records the id unless it is a duplicate; returns true for a duplicate. */
  boolean checkAndRecord(String id, long time) {
    Long t0 = acceptedAt.get(id);
    // time < t0 + window, computed without overflow: past Long.MAX_VALUE every time is before it.
    if (t0 != null && (!timed || t0 > Long.MAX_VALUE - window || time < t0 + window)) {
      return true;
    }
    if (timed && t0 == null && acceptedAt.size() >= maxIds) {
      if (exact) {
        switchPending = true; // the cap ends exactness, from the watermark's next move
      }
      return false; // the cap: applied, not recorded (the fast memory sweeps for room first)
    }
    acceptedAt.put(id, time);
    if (timed) {
      if (exact && acceptedAt.size() > exactIds) {
        switchPending = true;
      }
      long at = forgetAt(time);
      if (at != Limits.NEVER_FORGOTTEN) {
        expiries.add(new Expiry(at, id));
      }
    } else if (acceptedAt.size() > maxIds) {
      Iterator<String> oldest = acceptedAt.keySet().iterator();
      oldest.next();
      oldest.remove();
      evicted++;
    }
    return false;
  }

  /** When an id accepted at {@code t0} is forgotten; never when that is past the largest time. */
  private long forgetAt(long t0) {
    return Limits.laterOrNever(t0, window, horizon);
  }

  /** Forgets ids whose window, and the horizon after it, the watermark has passed. */
  void advanceTo(long watermark) {
    if (switchPending) {
      exact = false; // for good
    }
    if (exact) {
      return;
    }
    while (!expiries.isEmpty() && expiries.peek().at <= watermark) {
      Expiry e = expiries.poll();
      Long t0 = acceptedAt.get(e.id);
      if (t0 != null && forgetAt(t0) == e.at) {
        acceptedAt.remove(e.id);
      }
    }
  }

  int size() {
    return acceptedAt.size();
  }

  long evicted() {
    return evicted;
  }
}
