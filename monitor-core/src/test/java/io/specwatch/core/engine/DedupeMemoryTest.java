package io.specwatch.core.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.specwatch.core.eval.Checked;
import java.util.HashMap;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The timed dedupe memory against a plain map with the contract's rules: a copy is a duplicate
 * while its time is before t0 + window, and an id is forgotten once the watermark reaches
 * t0 + window + horizon. Ids collide on purpose ("Aa" and "BB" hash alike) and come in every form
 * the table stores (packed in a row, or kept as a string), because the memory forgets by hash and
 * time.
 */
class DedupeMemoryTest {
  private static final long WINDOW = 100_000;

  @Test
  void agreesWithAMapOfAcceptedTimes() {
    DedupeMemory memory = new DedupeMemory(true, WINDOW, DedupeLimits.DEFAULT_MAX_IDS);
    long horizon = Math.max(WINDOW, DedupeMemory.MIN_HORIZON_MILLIS);
    Map<String, Long> model = new HashMap<>();
    Random rnd = new Random(5);
    long clock = 0;
    long lastWatermark = Long.MIN_VALUE;
    int duplicates = 0;
    int forgotten = 0;
    for (int step = 0; step < 50_000; step++) {
      clock += rnd.nextInt(400);
      long time = clock - rnd.nextInt(3_000); // late copies too
      String id = (rnd.nextBoolean() ? "Aa" : "BB") + (rnd.nextBoolean() ? "Aa" : "BB")
          + rnd.nextInt(rnd.nextBoolean() ? 20 : 1_000_000) + (rnd.nextInt(10) == 0 ? "-long-id-kept-as-a-string" : "");
      Long t0 = model.get(id);
      boolean expected = t0 != null && time < t0 + WINDOW;
      assertEquals(expected, memory.checkAndRecord(id, time), "step " + step + " id " + id);
      if (expected) {
        duplicates++;
      } else {
        model.put(id, time);
      }
      if (rnd.nextInt(50) == 0) {
        long watermark = Math.max(lastWatermark, clock - rnd.nextInt(2_000)); // never goes back
        lastWatermark = watermark;
        memory.advanceTo(watermark);
        int before = model.size();
        model.values().removeIf(t -> Checked.saturatingAdd(t + WINDOW, horizon) <= watermark);
        forgotten += before - model.size();
      }
      if (step % 97 == 0) {
        assertEquals(model.size(), memory.remembered(), "step " + step);
      }
    }
    assertTrue(memory.size() <= model.size() + memory.size() / 8 + DedupeMemory.SWEEP_SLOTS,
        "the sweep keeps forgotten ids from piling up: " + memory.size() + " held, "
            + model.size() + " remembered");
    assertTrue(duplicates > 1_000 && forgotten > 1_000, duplicates + " duplicates, " + forgotten
        + " forgotten: the sequence must exercise both");
  }

  /**
   * docs/language.md, choice 4: an id accepted when the watermark is already past its forget
   * time (a copy hours late) is remembered until the watermark next moves, and then forgotten.
   */
  /**
   * At the top of the time range: an id whose window ends past the largest time is never
   * forgotten, even by a watermark at the largest time and sweeps after it (the forget time was
   * capped there, so such an id, still inside its window, was forgotten).
   */
  @Test
  void anIdWhoseWindowEndsPastTheLargestTimeIsNeverForgotten() {
    long max = Long.MAX_VALUE;
    DedupeMemory memory = new DedupeMemory(true, WINDOW, DedupeLimits.DEFAULT_MAX_IDS);
    assertEquals(false, memory.checkAndRecord("x", max - 1000));
    memory.advanceTo(max);
    for (int i = 0; i < 10_000; i++) {
      memory.checkAndRecord("fresh-" + i, max); // insertions sweep the table
    }
    assertEquals(true, memory.checkAndRecord("x", max), "a copy inside the window");
    assertEquals(true, memory.checkAndRecord("fresh-0", max));
  }

  @Test
  void anIdAcceptedBehindItsForgetTimeIsRememberedUntilTheWatermarkMoves() {
    DedupeMemory memory = new DedupeMemory(true, WINDOW, DedupeLimits.DEFAULT_MAX_IDS);
    long horizon = Math.max(WINDOW, DedupeMemory.MIN_HORIZON_MILLIS);
    long watermark = 10 * horizon;
    memory.advanceTo(watermark);
    long late = watermark - WINDOW - horizon; // forget time exactly the watermark
    // Many such ids, each checked again at once: whichever slot it lands in, the sweep that
    // follows its own insertion must not take it.
    for (int i = 0; i < 200; i++) {
      assertEquals(false, memory.checkAndRecord("late-" + i, late));
      assertEquals(true, memory.checkAndRecord("late-" + i, late), "late-" + i + " remembered");
      memory.advanceTo(watermark);
    }
    assertEquals(false, memory.checkAndRecord("late", late));
    for (int i = 0; i < 1_000; i++) {
      memory.checkAndRecord("fresh-" + i, watermark); // insertions sweep the table
    }
    assertEquals(true, memory.checkAndRecord("late", late + 1), "still remembered");
    assertEquals(1_001, memory.remembered());
    memory.advanceTo(watermark + 1);
    assertEquals(false, memory.checkAndRecord("late", late + 2), "forgotten once it moved");
  }

  /**
   * Every other document hours late: each late id is accepted behind its forget time, so the set
   * of such ids is non-empty at every on-time insertion. The table must still be swept (a first
   * version swept only when that set was empty, and held every id ever seen).
   */
  @Test
  void lateDocumentsBetweenEveryOnTimeOneDoNotStopTheSweep() {
    long window = 3_600_000;
    DedupeMemory memory = new DedupeMemory(true, window, DedupeLimits.DEFAULT_MAX_IDS);
    long second = 1_000;
    for (int k = 1; k <= 200_000; k++) {
      long t = 100 * window + k * second;
      assertEquals(false, memory.checkAndRecord("live-" + k, t));
      memory.advanceTo(t); // the on-time document moved the watermark (lateness 0)
      assertEquals(false, memory.checkAndRecord("late-" + k, t - 3 * window));
    }
    // Remembered: the last two hours of on-time ids (window plus a one-hour horizon), 7,200,
    // and the last late id, until the watermark next moves.
    assertEquals(7_201, memory.remembered());
    assertTrue(memory.size() < 30_000, memory.size() + " ids held for 7,201 remembered");
  }

  /**
   * {@code check}'s memory: the contract exactly. A copy is a duplicate while its own time is
   * before t0 + window, however far behind the watermark it arrives, so nothing is forgotten.
   */
  @Test
  void anExactMemoryTakesACopyForADuplicateHoweverLateItComes() {
    DedupeMemory memory = new DedupeMemory(true, WINDOW, DedupeLimits.forCheck(1_000_000));
    long horizon = Math.max(WINDOW, DedupeMemory.MIN_HORIZON_MILLIS);
    Map<String, Long> model = new HashMap<>();
    Random rnd = new Random(7);
    long clock = 0;
    int lateDuplicates = 0;
    for (int step = 0; step < 50_000; step++) {
      clock += rnd.nextInt(4_000);
      memory.advanceTo(clock);
      // One copy in ten is hours late: past what a live stream's memory would remember.
      long time = rnd.nextInt(10) == 0 ? clock - rnd.nextInt((int) (20 * horizon)) : clock;
      String id = "id-" + rnd.nextInt(20_000) + (rnd.nextInt(10) == 0 ? "-long-id-kept-as-a-string" : "");
      Long t0 = model.get(id);
      boolean expected = t0 != null && time < t0 + WINDOW;
      assertEquals(expected, memory.checkAndRecord(id, time), "step " + step + " id " + id);
      if (expected && t0 + WINDOW + horizon <= clock) {
        lateDuplicates++;
      }
      if (!expected) {
        model.put(id, time);
      }
    }
    assertEquals(model.size(), memory.remembered());
    assertEquals(false, memory.exactnessLost());
    assertTrue(lateDuplicates > 100, lateDuplicates + " copies later than the horizon: the "
        + "sequence must have some, or it does not tell exact from forgetting");
  }

  /**
   * Past its {@code exactIds}, {@code check}'s memory forgets as a live stream's does, for good,
   * from the watermark's next move, and says so. Until that move it keeps what a live stream's
   * would also keep then: the ids accepted behind the watermark since its last move.
   */
  @Test
  void pastItsExactIdsTheMemoryForgetsByTheHorizonFromTheWatermarksNextMove() {
    DedupeMemory memory = new DedupeMemory(true, WINDOW, DedupeLimits.forCheck(3));
    long horizon = Math.max(WINDOW, DedupeMemory.MIN_HORIZON_MILLIS);
    long later = 10 * (WINDOW + horizon);
    assertEquals(false, memory.checkAndRecord("a", 0));
    memory.advanceTo(later);
    // b and c are accepted behind the watermark (hours late), then d passes the limit.
    assertEquals(false, memory.checkAndRecord("b", 0));
    assertEquals(false, memory.checkAndRecord("c", 0));
    assertEquals(true, memory.checkAndRecord("a", 0), "three ids: still exact");
    assertEquals(false, memory.checkAndRecord("d", 0), "the fourth id");
    assertEquals(true, memory.checkAndRecord("b", 0), "b stays until the watermark moves, as "
        + "it would in a live stream's memory");
    assertEquals(false, memory.exactnessLost(), "nothing forgotten yet");
    memory.advanceTo(later + 1);
    assertEquals(true, memory.exactnessLost());
    assertEquals(false, memory.checkAndRecord("a", 0), "a is forgotten now");
    assertEquals(false, memory.checkAndRecord("c", 0), "and c");
    assertEquals(true, memory.checkAndRecord("c", 0), "c, accepted anew behind the watermark, "
        + "stays until it moves");
    memory.advanceTo(later + 2);
    assertEquals(false, memory.checkAndRecord("c", 0), "forgetting is for good");
  }

  /**
   * A flood of fresh ids inside the window hits the cap, not the heap: past it a new id is applied
   * (not a duplicate) but not recorded, and counted; ids already held still deduplicate, and
   * room comes back as the watermark forgets old ids, the forgotten ones the usual sweep has not
   * reached yet included.
   */
  @Test
  void aFloodOfFreshIdsStopsAtTheCapAndRoomComesBackAsIdsAreForgotten() {
    long horizon = Math.max(WINDOW, DedupeMemory.MIN_HORIZON_MILLIS);
    DedupeMemory memory = new DedupeMemory(true, WINDOW, 5_000);
    for (int i = 0; i < 5_000; i++) {
      assertEquals(false, memory.checkAndRecord("old-" + i, 0));
    }
    assertEquals(0, memory.unrecorded());
    assertEquals(false, memory.checkAndRecord("fresh", 0), "applied");
    assertEquals(false, memory.checkAndRecord("fresh", 0), "but not recorded");
    assertEquals(2, memory.unrecorded());
    assertEquals(true, memory.checkAndRecord("old-17", 1), "held ids still deduplicate");
    assertEquals(5_000, memory.size());
    // The watermark passes the old ids' forget time: all 5,000 are forgotten at once, and the
    // sweep of a few rows per insertion has reached none of them yet.
    memory.advanceTo(WINDOW + horizon);
    for (int i = 0; i < 5_000; i++) {
      assertEquals(false, memory.checkAndRecord("new-" + i, WINDOW + horizon));
    }
    assertEquals(2, memory.unrecorded(), "room was swept for, not refused");
    assertEquals(true, memory.checkAndRecord("new-4999", WINDOW + horizon));
    assertEquals(5_000, memory.remembered());
  }

  /** Without event time the cap evicts the oldest id instead, and counts it. */
  @Test
  void withoutEventTimeTheCapEvictsTheOldestId() {
    DedupeMemory memory = new DedupeMemory(false, 0, 3);
    for (String id : new String[] {"a", "b", "c", "d"}) {
      assertEquals(false, memory.checkAndRecord(id, 0));
    }
    assertEquals(1, memory.evicted());
    assertEquals(false, memory.checkAndRecord("a", 0), "a was evicted");
    assertEquals(true, memory.checkAndRecord("d", 0));
    assertEquals(0, memory.unrecorded());
  }

  /**
   * At a cap of thousands, reached just as the table starts to grow: each refused id drains a few
   * old rows and sweeps a few, so the forgotten ids are found over the next refusals and fresh
   * ids are recorded again. (The drain moves only on insertions: without the refusals' share, the
   * forgotten rows would stay in the old table, where the sweep never looks, and every new id
   * would be refused until the fresh one is forgotten, an hour later.)
   */
  @Test
  void atALargeCapForgottenIdsAreFoundOverTheNextRefusalsEvenWhileTheTableGrows() {
    long horizon = Math.max(WINDOW, DedupeMemory.MIN_HORIZON_MILLIS);
    long later = WINDOW + horizon;
    int cap = 2_049; // the 2,049th id makes the table grow from 4,096 to 8,192 slots
    DedupeMemory memory = new DedupeMemory(true, WINDOW, cap);
    for (int i = 0; i < cap - 1; i++) {
      assertEquals(false, memory.checkAndRecord("old-" + i, 0));
    }
    assertEquals(false, memory.checkAndRecord("fresh", later)); // the growth starts: none moved
    memory.advanceTo(later); // every old id is forgotten, none swept
    for (int i = 0; i < 2 * cap; i++) {
      assertEquals(false, memory.checkAndRecord("new-" + i, later));
    }
    long recorded = 2 * cap - memory.unrecorded();
    assertTrue(recorded >= cap - 1 - 64 && recorded <= cap - 1, recorded + " of the new ids "
        + "recorded: room for all but a sweep's worth of the forgotten ones");
    assertEquals(cap, memory.size(), "full again, of new ids and the fresh one");
    assertEquals(true, memory.checkAndRecord("new-0", later), "the first recorded");
  }

  /** Exact memory at its cap: exactness gives way to forgetting at the watermark's next move. */
  @Test
  void anExactMemoryAtItsCapStartsForgettingAtTheNextMove() {
    long horizon = Math.max(WINDOW, DedupeMemory.MIN_HORIZON_MILLIS);
    DedupeMemory memory = new DedupeMemory(true, WINDOW, new DedupeLimits(1_000, 2));
    assertEquals(false, memory.checkAndRecord("a", 0));
    assertEquals(false, memory.checkAndRecord("b", 0));
    memory.advanceTo(WINDOW + horizon);
    assertEquals(false, memory.checkAndRecord("c", WINDOW + horizon), "over the cap: refused");
    assertEquals(1, memory.unrecorded());
    assertEquals(true, memory.checkAndRecord("a", 0), "exact until the watermark moves");
    memory.advanceTo(WINDOW + horizon + 1);
    assertEquals(true, memory.exactnessLost());
    assertEquals(false, memory.checkAndRecord("c", WINDOW + horizon), "a and b forgotten: room");
    assertEquals(true, memory.checkAndRecord("c", WINDOW + horizon));
    assertEquals(1, memory.unrecorded());
  }

  /**
   * A checkpoint written under a larger cap: without event time the oldest ids go at once; with
   * it nothing remembered is dropped, and new ids wait for forgetting.
   */
  @Test
  void aRestoreIntoASmallerCapKeepsTheTimedIdsAndEvictsTheOldestUntimedOnes() {
    DedupeMemory bigUntimed = new DedupeMemory(false, 0, 10);
    DedupeMemory bigTimed = new DedupeMemory(true, WINDOW, 10);
    for (int i = 0; i < 5; i++) {
      bigUntimed.checkAndRecord("u" + i, 0);
      bigTimed.checkAndRecord("t" + i, 0);
    }
    DedupeMemory untimed = new DedupeMemory(false, 0, 3);
    untimed.importState(roundTrip(bigUntimed));
    assertEquals(3, untimed.size());
    assertEquals(2, untimed.evicted());
    assertEquals(false, untimed.checkAndRecord("u0", 0), "the oldest went");
    assertEquals(true, untimed.checkAndRecord("u4", 0));
    DedupeMemory timed = new DedupeMemory(true, WINDOW, 3);
    timed.importState(roundTrip(bigTimed));
    assertEquals(5, timed.remembered(), "nothing remembered is dropped");
    assertEquals(true, timed.checkAndRecord("t0", 1));
    assertEquals(false, timed.checkAndRecord("fresh", 1));
    assertEquals(1, timed.unrecorded(), "new ids wait");
  }

  private static io.specwatch.core.checkpoint.StateReader roundTrip(DedupeMemory m) {
    io.specwatch.core.checkpoint.BinaryStateWriter w = new io.specwatch.core.checkpoint.BinaryStateWriter();
    m.exportState(w);
    return new io.specwatch.core.checkpoint.BinaryStateReader(w.toByteArray());
  }
}
