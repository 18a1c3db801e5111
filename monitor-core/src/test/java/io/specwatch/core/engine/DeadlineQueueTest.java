package io.specwatch.core.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.specwatch.core.StateSnapshot;
import io.specwatch.core.program.Deadline;
import io.specwatch.core.program.EntityType;
import io.specwatch.core.program.StateVar;
import io.specwatch.core.program.ValueType;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The deadline heap fires exactly the live arms, in the contract's order (expiry, key by code
 * point, deadline name), after many re-arms (dead entries, compaction past 1024 entries, handles
 * reused), disarms and removed instances whose ids are reused.
 */
class DeadlineQueueTest {
  private record Fired(long expiry, String key, String deadline) {}

  @Test
  void firesLiveArmsInContractOrderAcrossCompactionsAndIdReuse() {
    EntityType type = new EntityType("E", 0, 0, "k", List.of(new StateVar("n", ValueType.INT, 0)),
        new long[] {0}, new Object[0], null, List.of(),
        List.of(new Deadline("b", 0, 1, null), new Deadline("a", 1, 1, null)), null);
    InstanceTable table = new InstanceTable(type);
    DeadlineQueue queue = new DeadlineQueue(new InstanceTable[] {table});
    Map<String, Integer> ids = new HashMap<>();
    Map<String, Long> expected = new HashMap<>(); // "key/deadline" -> expiry of the live arm
    Random rnd = new Random(11);
    for (int step = 0; step < 50_000; step++) {
      // Keys with supplementary characters: code point order differs from UTF-16 order.
      String key = (rnd.nextBoolean() ? "\uD83D\uDE00" : "\uFFFF") + rnd.nextInt(300);
      int id = ids.computeIfAbsent(key, k -> table.insert(k));
      int d = rnd.nextInt(2);
      String name = type.deadlines().get(d).name();
      int op = rnd.nextInt(10);
      if (op < 7) {
        long expiry = rnd.nextInt(50); // few distinct expiries: the key and name decide often
        queue.disarm(table, id, d);
        queue.arm(0, id, d, expiry);
        expected.put(key + "/" + name, expiry);
      } else if (op < 9) {
        queue.disarm(table, id, d);
        expected.remove(key + "/" + name);
      } else {
        queue.disarmAll(table, id);
        table.remove(id);
        ids.remove(key);
        expected.remove(key + "/a");
        expected.remove(key + "/b");
      }
      if (op < 7) {
        // Disarmed entries stay until popped or compacted: at most 4 per live one past 1024.
        assertTrue(queue.heapSize() <= Math.max(1024, 4 * queue.armedCount()),
            "heap entries at step " + step + ": " + queue.heapSize());
      }
    }
    assertEquals(expected.size(), queue.armedCount());
    List<Fired> want = new ArrayList<>();
    expected.forEach((kd, expiry) -> {
      int slash = kd.lastIndexOf('/');
      want.add(new Fired(expiry, kd.substring(0, slash), kd.substring(slash + 1)));
    });
    want.sort(Comparator.comparingLong(Fired::expiry)
        .thenComparing(Fired::key, StateSnapshot::compareCodePoints)
        .thenComparing(Fired::deadline));
    List<Fired> got = new ArrayList<>();
    while (queue.pollExpiredBefore(25)) {
      got.add(fired(queue, table, type));
    }
    while (queue.pollAny()) {
      got.add(fired(queue, table, type));
    }
    assertEquals(want, got);
    assertEquals(0, queue.armedCount());
  }

  /** A position that carries trace context, so the queue keeps it with the entry it armed. */
  private record Traced(String name) implements io.specwatch.core.Position {
    @Override
    public void appendJsonMembers(StringBuilder sb) {
      sb.append("\"trace\":\"").append(name).append('"');
    }

    @Override
    public boolean carriesTraceContext() {
      return true;
    }
  }

  /**
   * Tied expiries are handed out in key order with the position each entry was armed by, even
   * when the ties are sorted at firing time; entries expiring at Long.MAX_VALUE fire on flush.
   */
  @Test
  void tiesKeepTheirArmingPositionAndMaxExpiryFiresOnFlush() {
    EntityType type = new EntityType("E", 0, 0, "k", List.of(new StateVar("n", ValueType.INT, 0)),
        new long[] {0}, new Object[0], null, List.of(), List.of(new Deadline("d", 0, 1, null)), null);
    InstanceTable table = new InstanceTable(type);
    DeadlineQueue queue = new DeadlineQueue(new InstanceTable[] {table});
    String[] keys = {"c", "a", "d", "b", "e"};
    long[] expiries = {5, 5, Long.MAX_VALUE, 5, Long.MAX_VALUE};
    for (int i = 0; i < keys.length; i++) {
      int id = table.insert(keys[i]);
      queue.arm(0, id, 0, expiries[i], i % 2 == 0 ? new Traced("t-" + keys[i]) : null);
    }
    List<String> got = new ArrayList<>();
    while (queue.pollExpiredBefore(6)) {
      got.add(table.key(queue.firedId) + "@" + queue.firedExpiry + " " + queue.firedArmedBy);
    }
    assertEquals(List.of("a@5 null", "b@5 null", "c@5 Traced[name=t-c]"), got);
    got.clear();
    while (queue.pollAny()) {
      got.add(table.key(queue.firedId) + " " + queue.firedArmedBy);
    }
    assertEquals(List.of("d Traced[name=t-d]", "e Traced[name=t-e]"), got);
    assertEquals(0, queue.armedCount());
  }

  private static Fired fired(DeadlineQueue q, InstanceTable t, EntityType type) {
    return new Fired(q.firedExpiry, t.key(q.firedId),
        type.deadlines().get(q.firedDeadline).name());
  }
}
