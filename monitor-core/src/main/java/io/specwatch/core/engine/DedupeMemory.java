package io.specwatch.core.engine;

import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.PriorityQueue;

/**
 * Which event ids were accepted, and at what event time t0 (the latest accepted copy).
 *
 * <p>With event time, a copy is a duplicate while its own time is before t0 + window. An id is
 * forgotten once the watermark reaches t0 + window: a copy arriving after that is already later
 * than the spec's declared lateness and is treated as new (see docs/language.md). Without event
 * time every accepted id is a duplicate forever, so memory is capped and the oldest ids go first.
 */
final class DedupeMemory {
  static final int DEFAULT_MAX_IDS_WITHOUT_TIME = 10_000_000;

  private record Expiry(long at, String id) {}

  private final boolean timed;
  private final long window;
  private final int maxIdsWithoutTime;
  private final Map<String, Long> acceptedAt;
  private final PriorityQueue<Expiry> expiries = new PriorityQueue<>((a, b) -> Long.compare(a.at, b.at));
  private long evicted;

  DedupeMemory(boolean timed, long window, int maxIdsWithoutTime) {
    this.timed = timed;
    this.window = window;
    this.maxIdsWithoutTime = maxIdsWithoutTime;
    this.acceptedAt = timed ? new HashMap<>() : new LinkedHashMap<>();
  }

  /** Records the id unless it is a duplicate; returns true for a duplicate. */
  boolean checkAndRecord(String id, long time) {
    Long t0 = acceptedAt.get(id);
    if (t0 != null && (!timed || time < io.specwatch.core.eval.Checked.saturatingAdd(t0, window))) {
      return true;
    }
    acceptedAt.put(id, time);
    if (timed) {
      expiries.add(new Expiry(io.specwatch.core.eval.Checked.saturatingAdd(time, window), id));
    } else if (acceptedAt.size() > maxIdsWithoutTime) {
      Iterator<String> oldest = acceptedAt.keySet().iterator();
      oldest.next();
      oldest.remove();
      evicted++;
    }
    return false;
  }

  /** Forgets ids whose window the watermark has reached. */
  void advanceTo(long watermark) {
    while (!expiries.isEmpty() && expiries.peek().at <= watermark) {
      Expiry e = expiries.poll();
      Long t0 = acceptedAt.get(e.id);
      if (t0 != null && io.specwatch.core.eval.Checked.saturatingAdd(t0, window) == e.at) {
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
