package io.specwatch.core.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashMap;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The dedupe memory's id table against the JDK's map. */
class IdTimeTableTest {
  @Test
  void behavesLikeAMapUnderRandomPutsAndRemovals() {
    IdTimeTable t = new IdTimeTable();
    Map<String, Long> model = new HashMap<>();
    Random rnd = new Random(7);
    for (int step = 0; step < 200_000; step++) {
      String id = (rnd.nextBoolean() ? "Aa" : "BB") + (rnd.nextBoolean() ? "Aa" : "BB") + rnd.nextInt(5000);
      int slot = t.find(id);
      Long expected = model.get(id);
      assertEquals(expected != null, slot >= 0, id);
      if (slot >= 0) {
        assertEquals(expected, t.timeAt(slot));
        if (rnd.nextBoolean()) {
          t.removeAt(slot);
          model.remove(id);
          continue;
        }
      }
      long time = rnd.nextLong();
      t.put(id, time);
      model.put(id, time);
      assertEquals(model.size(), t.size());
    }
    Map<String, Long> seen = new HashMap<>();
    t.forEach(seen::put);
    assertEquals(model, seen);
  }

  @Test
  void probeThenInsertAtOrSetTimeAtBehavesLikePut() {
    // The dedupe memory's single-probe path, across many resizes and colliding hashes
    // ("Aa" and "BB" hash alike).
    IdTimeTable t = new IdTimeTable();
    Map<String, Long> model = new HashMap<>();
    Random rnd = new Random(11);
    for (int step = 0; step < 100_000; step++) {
      String id = id(rnd);
      long time = rnd.nextLong();
      PackedId packed = packed(id, rnd);
      int slot = t.probe(packed);
      assertEquals(model.containsKey(id), slot >= 0, id);
      if (slot >= 0) {
        assertEquals(model.get(id), t.timeAt(slot));
        t.setTimeAt(slot, time);
      } else {
        t.insertAt(slot, packed, time);
      }
      model.put(id, time);
      if (rnd.nextInt(10) == 0) {
        String gone = id(rnd);
        int s = t.find(gone);
        if (s >= 0) {
          t.removeAt(s);
          model.remove(gone);
        }
      }
    }
    assertEquals(model.size(), t.size());
    Map<String, Long> seen = new HashMap<>();
    t.forEach(seen::put);
    assertEquals(model, seen);
  }

  /**
   * The table grows incrementally (the class comment): while the old table drains, an id must be
   * found in whichever table holds it (and moved over when it is), never be held twice, survive a
   * sweep unless the sweep may take it, and be visited once by {@code forEach} (checkpoints).
   */
  @Test
  void whileTheTableGrowsEveryIdIsHeldOnceFoundAndSweptCorrectly() {
    IdTimeTable t = new IdTimeTable();
    Map<String, Long> model = new HashMap<>();
    Random rnd = new Random(17);
    int drainingSteps = 0;
    long cutoff = Long.MIN_VALUE;
    for (int step = 0; step < 300_000; step++) {
      String id = (rnd.nextBoolean() ? "Aa" : "BB") + rnd.nextInt(120_000)
          + (rnd.nextInt(20) == 0 ? "y".repeat(IdTimeTable.INLINE_CHARS) : "");
      PackedId packed = packed(id, rnd);
      int slot = t.probe(packed);
      Long had = model.get(id);
      if (slot >= 0) {
        assertEquals(had, t.timeAt(slot), id);
        t.setTimeAt(slot, step);
      } else {
        assertTrue(had == null || had < cutoff, id + " lost at step " + step);
        t.insertAt(slot, packed, step);
      }
      model.put(id, (long) step);
      if (rnd.nextInt(3) == 0) {
        cutoff = step - 40_000L;
        long gone = cutoff;
        t.sweep(16, (time, at) -> time < gone);
      }
      if (t.isDraining()) {
        drainingSteps++;
        if (drainingSteps % 100 == 0) {
          Map<String, Long> held = new HashMap<>();
          int[] visits = {0};
          t.forEach((heldId, time) -> {
            visits[0]++;
            held.put(heldId, time);
          });
          assertEquals(t.size(), visits[0], "size at step " + step);
          assertEquals(visits[0], held.size(), "an id is held twice at step " + step);
          for (Map.Entry<String, Long> e : held.entrySet()) {
            assertEquals(model.get(e.getKey()), e.getValue(), e.getKey());
          }
          for (Map.Entry<String, Long> e : model.entrySet()) {
            assertTrue(e.getValue() < cutoff || held.containsKey(e.getKey()), e.getKey());
          }
        }
      }
    }
    assertTrue(drainingSteps > 1_000, "the test saw the table grow: " + drainingSteps);
  }

  /**
   * {@code id} packed as a document's bytes would be (half of the ASCII ids), else from its string:
   * the two forms must find each other.
   */
  private static PackedId packed(String id, Random rnd) {
    PackedId p = new PackedId();
    boolean ascii = id.chars().allMatch(c -> c < 0x80);
    if (ascii && rnd.nextBoolean()) {
      byte[] bytes = ("\"" + id + "\"").getBytes(java.nio.charset.StandardCharsets.US_ASCII);
      p.packAscii(bytes, 1, bytes.length - 1);
    } else {
      p.pack(id);
    }
    return p;
  }

  /**
   * Ids packed into rows (up to 24 Latin-1 characters, "é" included, the empty id too) and kept as
   * strings (longer, or a character above U+00FF); "Aa" and "BB" hash alike.
   */
  private static String id(Random rnd) {
    String stem = (rnd.nextBoolean() ? "Aa" : "BB") + rnd.nextInt(40_000);
    return switch (rnd.nextInt(8)) {
      case 0 -> stem + "x".repeat(IdTimeTable.INLINE_CHARS - stem.length()); // exactly 24
      case 1 -> stem + "y".repeat(IdTimeTable.INLINE_CHARS + 1 - stem.length()); // 25: a string
      case 2 -> stem + "é";
      case 3 -> stem + "ł";
      case 4 -> rnd.nextInt(100) == 0 ? "" : stem + "\u0000";
      default -> stem;
    };
  }

  /**
   * The sweep removes exactly the entries whose time it is told are gone, wherever they sit in
   * the probe runs (colliding hashes), and what it leaves is still found.
   */
  @Test
  void sweepingRemovesExactlyTheGoneEntriesAndKeepsTheRestFindable() {
    IdTimeTable t = new IdTimeTable();
    Map<String, Long> model = new HashMap<>();
    Random rnd = new Random(13);
    for (int i = 0; i < 20_000; i++) {
      String id = id(rnd);
      long time = rnd.nextInt(1_000);
      t.put(id, time);
      model.put(id, time);
    }
    for (long cutoff = 0; cutoff <= 1_000; cutoff += 250) {
      long gone = cutoff;
      for (int i = 0; i < 2 * 65_536 / 16; i++) { // more than one cycle over any capacity here
        t.sweep(16, (time, slot) -> time < gone);
      }
      model.values().removeIf(time -> time < gone);
      assertEquals(model.size(), t.size(), "cutoff " + cutoff);
      for (Map.Entry<String, Long> e : model.entrySet()) {
        int slot = t.find(e.getKey());
        assertTrue(slot >= 0, e.getKey());
        assertEquals(e.getValue(), t.timeAt(slot));
      }
    }
  }
}
