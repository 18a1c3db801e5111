package io.specwatch.alert.delivery;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.specwatch.alert.Alert;
import io.specwatch.testkit.Await;
import io.specwatch.alert.TestAlerts;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** The queue's own behaviour, against a scripted transport (its one collaborator). */
class DeliveryQueueTest {
  private static final Duration WAIT = Duration.ofSeconds(10);

  /** Fails while {@code down} is set; records every batch it accepts. */
  private static final class ScriptedTransport implements AlertTransport {
    final AtomicBoolean down = new AtomicBoolean();
    final AtomicBoolean reject = new AtomicBoolean();
    final List<List<Alert>> batches = new ArrayList<>();
    final AtomicInteger attempts = new AtomicInteger();

    @Override
    public String name() {
      return "scripted";
    }

    @Override
    public synchronized void send(List<Alert> batch) throws DeliveryException {
      attempts.incrementAndGet();
      if (reject.get()) {
        throw DeliveryException.rejected("400 bad alert");
      }
      if (down.get()) {
        throw DeliveryException.retriable("connection refused", null);
      }
      batches.add(batch);
    }

    synchronized List<String> delivered() {
      List<String> names = new ArrayList<>();
      for (List<Alert> b : batches) {
        for (Alert a : b) {
          names.add(a.label("alertname"));
        }
      }
      return names;
    }
  }

  private static DeliveryConfig config(int capacity) {
    return new DeliveryConfig(capacity, 10, Duration.ofMillis(5), Duration.ofMillis(5),
        Duration.ofMillis(40), Duration.ofSeconds(5));
  }

  @Test
  void aDestinationThatIsDownLosesNothingThatFitsAndGetsItAllInOrderWhenBack() {
    ScriptedTransport t = new ScriptedTransport();
    t.down.set(true);
    try (DeliveryQueue q = new DeliveryQueue(t, config(100))) {
      List<String> expected = new ArrayList<>();
      for (int i = 0; i < 50; i++) {
        q.publish(TestAlerts.firing("a" + i));
        expected.add("a" + i);
      }
      Await.until(WAIT, () -> q.failed() >= 3, () -> "retries, failed=" + q.failed());
      assertEquals(50, q.queueDepth());
      t.down.set(false);
      Await.until(WAIT, () -> q.sent() == 50, () -> "sent=" + q.sent());
      assertEquals(expected, t.delivered());
      assertTrue(t.batches.stream().allMatch(b -> b.size() <= 10), "batches of at most 10");
      assertEquals(0, q.dropped());
      assertEquals(0, q.queueDepth());
    }
  }

  @Test
  void aFullQueueDropsAndCountsTheOverflow() {
    ScriptedTransport t = new ScriptedTransport();
    t.down.set(true);
    DeliveryQueue q = new DeliveryQueue(t, config(20).withCloseTimeout(Duration.ZERO));
    for (int i = 0; i < 35; i++) {
      q.publish(TestAlerts.firing("a" + i));
    }
    // 20 fit (one batch may already be in flight, freeing room for up to 10 more).
    Await.until(WAIT, () -> q.sent() + q.dropped() + q.queueDepth() == 35, () -> "accounted");
    assertTrue(q.dropped() >= 5 && q.dropped() <= 15, "dropped " + q.dropped());
    int waiting = q.queueDepth();
    q.close();
    assertEquals(35, q.dropped(), "what was still waiting at close (" + waiting + ") is counted too");
    assertEquals(0, q.sent());
  }

  @Test
  void aRejectedBatchIsDroppedAndCountedNotRetried() {
    ScriptedTransport t = new ScriptedTransport();
    t.reject.set(true);
    try (DeliveryQueue q = new DeliveryQueue(t, config(100))) {
      q.publish(TestAlerts.firing("bad"));
      Await.until(WAIT, () -> q.dropped() == 1, () -> "dropped=" + q.dropped());
      assertEquals(1, t.attempts.get());
      assertEquals(0, q.failed());
    }
  }

  @Test
  void closeDeliversWhatIsQueuedAndLaterPublishesAreCountedAsDropped() {
    ScriptedTransport t = new ScriptedTransport();
    DeliveryQueue q = new DeliveryQueue(t, config(100));
    for (int i = 0; i < 25; i++) {
      q.publish(TestAlerts.firing("a" + i));
    }
    q.close();
    assertEquals(25, q.sent());
    q.publish(TestAlerts.firing("late"));
    assertEquals(1, q.dropped());
  }

  @Test
  void aBatchLargerThanTheQueueIsRefused() {
    assertThrows(IllegalArgumentException.class, () -> new DeliveryConfig(5, 10, Duration.ZERO,
        Duration.ofMillis(1), Duration.ofMillis(2), Duration.ZERO));
  }
}
