package io.specwatch.core.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashMap;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The dedupe memory's id table and expiry heap against the JDK's map and sort. */
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
  void expiryHeapPopsInTimeOrder() {
    ExpiryHeap h = new ExpiryHeap();
    Random rnd = new Random(3);
    for (int i = 0; i < 10_000; i++) {
      h.add(rnd.nextInt(1000), "id" + i);
    }
    long last = Long.MIN_VALUE;
    int n = 0;
    while (h.size() > 0) {
      assertTrue(h.peekAt() >= last);
      last = h.peekAt();
      h.removeTop();
      n++;
    }
    assertEquals(10_000, n);
  }
}
