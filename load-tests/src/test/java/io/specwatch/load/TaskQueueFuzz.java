package io.specwatch.load;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Small dense random traces for {@code task-queue.sw}: 20 to 200 lines over one to four tasks,
 * mostly plausible lease/heartbeat/complete/nack/reap/ack sequences (with wrong workers, zombie
 * completions and small attempt limits), epoch-millisecond times with late and far-jumping
 * documents, integer {@code seq} ids with resends and string aliases, and the malformed lines of
 * {@link Fuzz}.
 */
final class TaskQueueFuzz extends Fuzz {
  static final long BASE = 1_778_076_000_000L; // 2026-05-06T14:00:00Z

  static final String[][] KEY_GROUPS = {
      {"\"t1\""}, {"\"t2\""}, {"5", "\"5\""}, {"\"t\\u0033\"", "\"t3\""}, {"\"\u00fc\""},
      {"\"tsk_0101\""},
  };
  static final String[] WORKERS = {"\"w1\"", "\"w2\"", "\"w3\""};

  /** Per task: 0 new, 1 queued, 2 leased, 3 completed, 4 ended; and the guessed holder. */
  private final Map<String[], Integer> status = new HashMap<>();
  private final Map<String[], String> holder = new HashMap<>();
  private boolean nearMax;

  TaskQueueFuzz(long seed) {
    super(seed);
  }

  static byte[] trace(long seed) {
    return new TaskQueueFuzz(seed).build();
  }

  byte[] build() {
    int n = 20 + r.nextInt(181);
    List<String[]> keys = new ArrayList<>();
    int k = 1 + r.nextInt(4);
    while (keys.size() < k) {
      String[] g = pick(KEY_GROUPS);
      if (!keys.contains(g)) {
        keys.add(g);
      }
    }
    clock = BASE + r.nextLong(60_000);
    if (chance(0.04)) {
      // Epoch milliseconds within minutes of the 64-bit limit: deadline expiries can overflow
      // while the deadline is already armed (see ContractCasesTest).
      nearMax = true;
      clock = Long.MAX_VALUE - 200_000 - r.nextLong(200_000);
    }
    while (lines.size() < n) {
      if (chance(0.06) && resend()) {
        continue;
      }
      tick(3_000, 20_000, 60_000);
      String doc = document(keys);
      if (chance(0.06)) {
        specialLine(doc);
        if (chance(0.5)) {
          continue;
        }
      }
      addDocument(doc);
    }
    return input();
  }

  private String document(List<String[]> keys) {
    String[] key = pick(keys);
    List<String> m = new ArrayList<>();
    String id = idMember("seq", true);
    if (id != null) {
      m.add(id);
    }
    String[] op = op(key); // {op literal, worker literal or null, run literal or null}
    if (op[0] != null) {
      m.add("\"op\":" + op[0]);
    }
    long at = clock;
    if (chance(0.12)) {
      at -= r.nextLong(chance(0.5) ? 10_000 : 900_000);
    }
    String time = nearMax ? Long.toString(at) : chance(0.004) ? Long.toString(nearMax(100_000))
        : chance(0.85) ? (chance(0.97) ? Long.toString(at) : pick("-1", "0", "1.5", "\"x\""))
        : timeLiteral(at, 0.2);
    if (time != null) {
      m.add("\"at\":" + time);
    }
    List<String> task = new ArrayList<>();
    String keyLit = chance(0.04) ? pick(null, "null", "1.5", "{}", "true") : pick(key);
    if (keyLit != null) {
      task.add("\"id\":" + keyLit);
    }
    if (chance(0.3)) {
      task.add("\"max_attempts\":" + pick("1", "2", "2", "3", "\"3\"", "2.0", "null", "-1", "0"));
    }
    if (chance(0.3)) {
      task.add("\"priority\":\"normal\"");
    }
    m.add(chance(0.02) ? "\"task\":" + pick("\"t1\"", "[{\"id\":\"t1\"}]", "null")
        : "\"task\":{" + String.join(",", task) + "}");
    if (op[1] != null) {
      m.add(chance(0.02) ? "\"lease\":" + pick("null", "[]", "\"w1\"")
          : "\"lease\":{\"worker\":" + op[1] + (chance(0.3) ? ",\"lease_ms\":30000" : "") + "}");
    }
    if (op[2] != null) {
      m.add("\"result\":{\"run_id\":" + op[2] + "}");
    }
    noise(m);
    if (chance(0.04)) {
      m.add(pick("\"op\":\"ack\"", "\"op\":\"lease\"", "\"task\":{\"id\":\"t2\"}",
          "\"lease\":{\"worker\":\"w2\"}", "\"at\":" + clock, "\"seq\":7340000", "\"op\":5"));
    }
    return object(m);
  }

  private String worker() {
    return chance(0.95) ? pick(WORKERS) : pick("\"\"", "7", "null", "\"W1\"");
  }

  private String run() {
    return chance(0.95) ? pick("\"r1\"", "\"r2\"", "\"r3\"") : pick("5", "null", "\"\"");
  }

  private String[] op(String[] key) {
    int s = status.getOrDefault(key, 0);
    String h = holder.getOrDefault(key, pick(WORKERS));
    String op;
    if (chance(0.7)) {
      switch (s) {
        case 0 -> op = "enqueue";
        case 1 -> op = chance(0.9) ? "lease" : "dead_letter";
        case 2 -> op = pick("heartbeat", "heartbeat", "complete", "complete", "nack", "lease_expired");
        case 3 -> op = chance(0.7) ? "ack" : "complete";
        default -> op = pick("heartbeat", "ack", "lease", "enqueue");
      }
    } else {
      op = pick("enqueue", "lease", "heartbeat", "complete", "nack", "lease_expired", "ack",
          "dead_letter", "unknown", null, "5");
    }
    String w = null;
    String run = null;
    if (op != null && (op.equals("lease") || op.equals("heartbeat") || op.equals("complete")
        || op.equals("nack"))) {
      w = op.equals("lease") || chance(0.2) ? worker() : h;
      if (chance(0.03)) {
        w = null; // the worker is missing
      }
    }
    if ("complete".equals(op)) {
      run = chance(0.97) ? run() : null;
    }
    if (op != null) {
      switch (op) {
        case "enqueue" -> status.put(key, s == 0 ? 1 : s);
        case "lease" -> {
          if (s == 1) {
            status.put(key, 2);
            holder.put(key, w);
          }
        }
        case "complete" -> status.put(key, s == 2 ? 3 : s);
        case "nack", "lease_expired" -> status.put(key, s == 2 ? 1 : s);
        case "ack" -> status.put(key, s == 3 ? 4 : s);
        case "dead_letter" -> status.put(key, s == 1 && chance(0.3) ? 4 : s);
        default -> { }
      }
    }
    String lit = op == null ? null : op.equals("5") ? "5" : "\"" + op + "\"";
    return new String[] {lit, w, run};
  }
}
