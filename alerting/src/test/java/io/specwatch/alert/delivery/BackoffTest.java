package io.specwatch.alert.delivery;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.HashSet;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;

class BackoffTest {
  @Test
  void eachDelayLiesBetweenHalfAndAllOfADoublingCeilingThatStopsAtTheCap() {
    Backoff b = new Backoff(Duration.ofMillis(100), Duration.ofSeconds(1), new Random(7));
    long[] ceilings = {100, 200, 400, 800, 1000, 1000, 1000};
    for (long c : ceilings) {
      long d = b.nextDelayMillis();
      assertTrue(d >= c / 2 && d <= c, "delay " + d + " outside [" + c / 2 + ", " + c + "]");
    }
    for (int i = 0; i < 100; i++) {
      assertTrue(b.nextDelayMillis() <= 1000, "capped, however many failures");
    }
  }

  @Test
  void jitterSpreadsTheDelaysAndResetStartsOver() {
    Backoff b = new Backoff(Duration.ofMillis(1000), Duration.ofMillis(1000), new Random(1));
    Set<Long> seen = new HashSet<>();
    for (int i = 0; i < 20; i++) {
      seen.add(b.nextDelayMillis());
    }
    assertTrue(seen.size() > 10, "jittered: " + seen);
    b.reset();
    assertEquals(0, b.consecutiveFailures());
    Backoff c = new Backoff(Duration.ofMillis(10), Duration.ofSeconds(10), new Random(1));
    c.nextDelayMillis();
    c.nextDelayMillis();
    c.reset();
    assertTrue(c.nextDelayMillis() <= 10, "after reset, the initial delay again");
  }

  @Test
  void anInitialDelayAboveTheCapIsRefused() {
    assertThrows(IllegalArgumentException.class,
        () -> new Backoff(Duration.ofSeconds(2), Duration.ofSeconds(1), new Random()));
  }
}
