package io.specwatch.core.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.specwatch.core.program.Deadline;
import io.specwatch.core.program.EntityType;
import io.specwatch.core.program.Exprs;
import io.specwatch.core.program.Invariant;
import io.specwatch.core.program.StateVar;
import io.specwatch.core.program.ValueType;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The open-addressing instance table against a {@link HashMap} under random inserts and removals,
 * with colliding hashes, so that probing, growth, backward-shift removal and id reuse are all hit.
 */
class InstanceTableTest {
  static EntityType entity() {
    return new EntityType("E", 0, 0, "k", List.of(new StateVar("n", ValueType.INT, 0)),
        new long[] {7}, new Object[] {"init"}, null,
        List.of(new Invariant("ok", 0, new Exprs.LongConst(ValueType.BOOL, 1), null)),
        List.of(new Deadline("d", 0, 1000, null)), null);
  }

  @Test
  void behavesLikeAMapUnderRandomInsertsAndRemovals() {
    InstanceTable t = new InstanceTable(entity());
    Map<String, Integer> model = new HashMap<>();
    Random rnd = new Random(42);
    for (int step = 0; step < 200_000; step++) {
      // "Aa" and "BB" have the same hash code: keys built from them collide in groups.
      String key = (rnd.nextBoolean() ? "Aa" : "BB") + (rnd.nextBoolean() ? "Aa" : "BB") + rnd.nextInt(3000);
      int id = t.find(key);
      Integer expected = model.get(key);
      assertEquals(expected == null ? -1 : expected, id, "find " + key + " at step " + step);
      if (id < 0) {
        int fresh = t.insert(key);
        assertEquals(7, t.stateLong(fresh, 0), "a new instance starts in the initial state");
        assertEquals("init", t.ref(fresh, 0));
        assertFalse(t.ended(fresh));
        assertEquals(0, t.armWord(fresh, 0), "a reused row starts with nothing armed");
        t.setStateLong(fresh, 0, key.length());
        t.setEnded(fresh, true, 5); // the end time takes deadline 0's arm word
        model.put(key, fresh);
      } else if (rnd.nextInt(3) == 0) {
        t.remove(id);
        model.remove(key);
        assertFalse(t.isLive(id));
      } else {
        assertEquals(key.length(), t.stateLong(id, 0), "state stays with its instance");
      }
      assertEquals(model.size(), t.size());
    }
    assertEquals(new HashSet<>(model.keySet()), new HashSet<>(t.liveKeys()));
    for (Map.Entry<String, Integer> e : model.entrySet()) {
      assertTrue(t.isLive(e.getValue()));
      assertEquals(e.getKey(), t.key(e.getValue()));
    }
  }

  /**
   * Keys are packed into the rows when short and Latin-1, else kept as strings: lengths from 0
   * to past the inline limit (the rows widen as longer keys arrive, with state already stored),
   * characters above 0xFF, a NUL, and prefixes of each other, over more rows than one chunk.
   */
  @Test
  void keysOfEveryLengthAndAlphabetRoundTripThroughWideningAndChunks() {
    InstanceTable t = new InstanceTable(entity());
    Map<String, Integer> model = new HashMap<>();
    Random rnd = new Random(7);
    String alphabet = "ab\u00e9\u00ff\u0000\u20ac\uD83D\uDE00-_0123456789";
    int maxLength = InstanceTable.MAX_INLINE_CHARS + 5;
    for (int step = 0; step < 60_000; step++) {
      int length = step < 20_000 ? rnd.nextInt(16) : rnd.nextInt(maxLength + 1);
      StringBuilder b = new StringBuilder();
      boolean latin1 = rnd.nextInt(4) != 0;
      for (int i = 0; i < length; i++) {
        b.append(alphabet.charAt(rnd.nextInt(latin1 ? 5 : alphabet.length())));
      }
      String key = b.toString();
      int id = t.find(key);
      Integer expected = model.get(key);
      assertEquals(expected == null ? -1 : expected, id, "find " + key + " at step " + step);
      if (id < 0) {
        int fresh = t.insert(key);
        t.setStateLong(fresh, 0, key.hashCode());
        t.setArmWord(fresh, 0, step + 1);
        model.put(key, fresh);
      } else if (rnd.nextInt(4) == 0) {
        t.remove(id);
        model.remove(key);
      } else {
        assertEquals(key, t.key(id));
        assertEquals(key.hashCode(), t.stateLong(id, 0), "state survives widening");
        assertTrue(t.isArmed(id, 0), "so does the arm word");
      }
    }
    assertTrue(model.size() > InstanceTable.CHUNK_ROWS, "more rows than one chunk");
    for (Map.Entry<String, Integer> e : model.entrySet()) {
      assertEquals(e.getKey(), t.key(e.getValue()));
      assertEquals(e.getKey().hashCode(), t.stateLong(e.getValue(), 0));
      assertEquals(e.getValue(), t.find(e.getKey()));
    }
  }

  /**
   * A rebuild drains the old index over later insertions (the class comment): while it does,
   * every key must be found in whichever index holds it, a removed key must be gone from both,
   * and no id may be handed out twice (a freed id the drain has not passed yet would be moved a
   * second time, and a stale entry would find a removed key). Checked against a map at every step
   * of a drain, with removals and id reuse going on.
   */
  @Test
  void whileARebuildDrainsEveryKeyIsFoundRemovedKeysAreGoneAndNoIdIsHandedOutTwice() {
    InstanceTable t = new InstanceTable(entity());
    Map<String, Integer> model = new HashMap<>();
    java.util.Set<Integer> ids = new HashSet<>();
    java.util.List<String> keys = new java.util.ArrayList<>();
    Random rnd = new Random(3);
    int drainingSteps = 0;
    int removalsWhileDraining = 0;
    for (int step = 0; step < 150_000; step++) {
      String removed = null;
      if (!keys.isEmpty() && rnd.nextInt(3) == 0) {
        int at = rnd.nextInt(keys.size());
        removed = keys.get(at);
        keys.set(at, keys.get(keys.size() - 1));
        keys.remove(keys.size() - 1);
        int gone = model.remove(removed);
        t.remove(gone);
        ids.remove(gone);
        removalsWhileDraining += t.isDraining() ? 1 : 0;
      } else {
        String key = "k" + step;
        int id = t.insert(key);
        assertTrue(ids.add(id), "id " + id + " handed out twice, step " + step);
        model.put(key, id);
        keys.add(key);
      }
      if (t.isDraining()) {
        drainingSteps++;
        for (int i = 0; i < 4 && !keys.isEmpty(); i++) {
          String k = keys.get(rnd.nextInt(keys.size()));
          assertEquals(model.get(k), t.find(k), "find " + k + " while draining, step " + step);
        }
        if (removed != null) {
          assertEquals(-1, t.find(removed), "removed " + removed + " while draining");
        }
      }
    }
    assertTrue(drainingSteps > 1_000, "the test saw drains: " + drainingSteps);
    assertTrue(removalsWhileDraining > 100, "and removals during them: " + removalsWhileDraining);
    assertEquals(model.size(), t.size());
    for (Map.Entry<String, Integer> e : model.entrySet()) {
      assertEquals(e.getValue(), t.find(e.getKey()), e.getKey());
    }
  }

  /**
   * A monitor whose instances churn (as many forgotten as created) rebuilds its index at the same
   * length again and again, each time draining over later insertions. Freed ids must be reused
   * during those drains too: taking fresh ones instead made the rows handed out creep up with
   * every rebuild (a review found it), until the ids no longer fit the index slots.
   */
  @Test
  void churnDuringDrainsReusesFreedIdsSoTheRowsDoNotCreep() {
    InstanceTable t = new InstanceTable(entity());
    java.util.List<String> live = new java.util.ArrayList<>();
    Random rnd = new Random(21);
    int next = 0;
    for (; next < 20_000; next++) {
      t.insert("k" + next);
      live.add("k" + next);
    }
    int drains = 0;
    for (int step = 0; step < 300_000; step++) {
      int at = rnd.nextInt(live.size());
      String gone = live.get(at);
      live.set(at, live.get(live.size() - 1));
      live.remove(live.size() - 1);
      t.remove(t.find(gone));
      String key = "k" + next++;
      t.insert(key);
      live.add(key);
      drains += t.isDraining() ? 1 : 0;
    }
    assertTrue(drains > 1_000, "the churn rebuilt the index: " + drains + " steps in a drain");
    assertEquals(20_000, t.idsHandedOut(), "every row reused: as many handed out as ever live");
    for (String key : live) {
      assertTrue(t.find(key) >= 0, key);
    }
  }

  @Test
  void brokenInvariantBitsAreKeptPerInstanceAndClearedOnReuse() {
    InstanceTable t = new InstanceTable(entity());
    int a = t.insert("a");
    int b = t.insert("b");
    t.setBroken(a, 0, true);
    assertTrue(t.isBroken(a, 0));
    assertFalse(t.isBroken(b, 0));
    t.remove(a);
    int c = t.insert("c");
    assertEquals(a, c, "the freed id is reused");
    assertFalse(t.isBroken(c, 0), "a reused id starts with no broken invariant");
  }

  /**
   * A long-running monitor forgets as many instances as it creates: removals leave tombstones,
   * and the index must be cleaned at its length rather than grow with every key ever seen, while
   * every probe still steps over the tombstones to the keys behind them.
   */
  @Test
  void steadyInsertAndRemoveKeepsTheIndexSizeAndFindsEveryKeyBehindTombstones() {
    InstanceTable t = new InstanceTable(entity());
    java.util.ArrayDeque<String> live = new java.util.ArrayDeque<>();
    int lengthAtSteadyState = -1;
    for (int i = 0; i < 300_000; i++) {
      String key = "pay_" + i;
      assertEquals(-1, t.find(key), "a fresh key is absent");
      t.setStateLong(t.insert(key), 0, i);
      live.addLast(key);
      if (live.size() > 1000) {
        String gone = live.removeFirst();
        t.remove(t.find(gone));
        assertEquals(-1, t.find(gone), "a removed key is absent");
      }
      if (i == 10_000) {
        lengthAtSteadyState = t.indexLength();
      }
      if (i % 997 == 0) {
        for (String k : live) {
          assertEquals(Long.parseLong(k.substring(4)), t.stateLong(t.find(k), 0), k);
        }
      }
    }
    assertEquals(1000, t.size());
    assertEquals(lengthAtSteadyState, t.indexLength(), "removals do not grow the index");
    assertTrue(t.indexLength() <= 4096, "1000 live keys need no more than 4096 slots");
  }
}
