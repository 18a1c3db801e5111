package io.specwatch.cli.demo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The pacer on a fake clock: parking advances it, so nothing here waits for real. */
class PacerTest {
  private long now = 1_000_000_000L;
  private final List<Long> parks = new ArrayList<>();

  private Pacer pacer(long rate) {
    return new Pacer(rate, () -> now, nanos -> {
      parks.add(nanos);
      now += nanos;
    });
  }

  @Test
  void parksUntilTheBatchIsDueInSlicesOfAtMostFiftyMilliseconds() {
    Pacer p = pacer(1000);
    p.await(200, () -> false); // 200 events at 1000/s are due 200 ms after the start
    assertEquals(List.of(50_000_000L, 50_000_000L, 50_000_000L, 50_000_000L), parks);
    parks.clear();
    now += 30_000_000L; // the next batch took 30 ms to publish
    p.await(250, () -> false);
    assertEquals(List.of(20_000_000L), parks);
  }

  @Test
  void doesNotParkWhenBehindSchedule() {
    Pacer p = pacer(1000);
    now += 500_000_000L;
    p.await(100, () -> false);
    assertEquals(List.of(), parks);
  }

  @Test
  void aStopRequestEndsTheWaitAfterOneSlice() {
    Pacer p = pacer(1);
    int[] asked = {0};
    p.await(3600, () -> ++asked[0] > 1); // an hour ahead
    assertEquals(List.of(50_000_000L), parks);
  }

  @Test
  void fallingBehindByMoreThanASecondRestartsTheScheduleInsteadOfBursting() {
    Pacer p = pacer(1000);
    now += 5_000_000_000L; // stalled 5 s with only 10 events published
    p.await(10, () -> false);
    assertEquals(List.of(), parks);
    p.await(110, () -> false); // the next 100 are due 100 ms after the restart
    assertEquals(100_000_000L, parks.stream().mapToLong(Long::longValue).sum());
  }

  @Test
  void batchesAreSmallEnoughToPaceSmoothly() {
    assertEquals(1, pacer(1).batchSize());
    assertEquals(10, pacer(5000).batchSize());
    assertEquals(4096, pacer(100_000_000).batchSize());
    assertTrue(assertThrows(IllegalArgumentException.class, () -> pacer(0)).getMessage().contains("at least 1"));
  }
}
