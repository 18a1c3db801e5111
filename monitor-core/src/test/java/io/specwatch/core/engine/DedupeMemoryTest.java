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
    DedupeMemory memory = new DedupeMemory(true, WINDOW, DedupeMemory.DEFAULT_MAX_IDS_WITHOUT_TIME);
    long horizon = Math.max(WINDOW, DedupeMemory.MIN_HORIZON_MILLIS);
    Map<String, Long> model = new HashMap<>();
    Random rnd = new Random(5);
    long clock = 0;
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
        long watermark = clock - rnd.nextInt(2_000);
        memory.advanceTo(watermark);
        int before = model.size();
        model.values().removeIf(t -> Checked.saturatingAdd(t + WINDOW, horizon) <= watermark);
        forgotten += before - model.size();
      }
      assertEquals(model.size(), memory.size(), "step " + step);
    }
    assertTrue(duplicates > 1_000 && forgotten > 1_000, duplicates + " duplicates, " + forgotten
        + " forgotten: the sequence must exercise both");
  }
}
