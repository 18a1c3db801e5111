package io.specwatch.core.engine.reference;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.specwatch.core.engine.DedupeLimits;
import org.junit.jupiter.api.Test;

/** The reference engine's dedupe memory at the edges the fast one is also tested at. */
class ReferenceDedupeMemoryTest {
  private static final long WINDOW = 3_600_000L;

  /** An id whose window ends past the largest time stays remembered at the largest watermark. */
  @Test
  void anIdWhoseWindowEndsPastTheLargestTimeIsNeverForgotten() {
    long max = Long.MAX_VALUE;
    DedupeMemory memory = new DedupeMemory(true, WINDOW, DedupeLimits.LIVE);
    assertEquals(false, memory.checkAndRecord("x", max - 1000));
    memory.advanceTo(max);
    assertEquals(true, memory.checkAndRecord("x", max), "a copy inside the window");
  }

  /** An id whose window and horizon fit is forgotten once the watermark reaches their end. */
  @Test
  void anIdWhoseForgetTimeFitsIsForgottenThere() {
    DedupeMemory memory = new DedupeMemory(true, WINDOW, DedupeLimits.LIVE);
    long t0 = 1_000_000L;
    assertEquals(false, memory.checkAndRecord("y", t0));
    memory.advanceTo(t0 + 2 * WINDOW - 1);
    assertEquals(true, memory.checkAndRecord("y", t0 + 1), "1 ms short of window and horizon");
    memory.advanceTo(t0 + 2 * WINDOW);
    assertEquals(false, memory.checkAndRecord("y", t0 + 2), "forgotten");
  }
}
