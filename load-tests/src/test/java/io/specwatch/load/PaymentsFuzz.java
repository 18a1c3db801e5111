package io.specwatch.load;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Small dense random traces for {@code payments-load.sw}: 20 to 200 lines over one to four
 * payments (with key aliases: {@code 7} and {@code "7"}, {@code "p1"} and {@code "p\u0031"},
 * {@code 0} and {@code -0}), mostly plausible lifecycles mixed with random events, amounts that are
 * zero, negative, of the wrong type or large enough to overflow, currencies of various lengths in
 * code points, duplicate ids, late and far-jumping times, and the malformed lines of {@link Fuzz}.
 */
final class PaymentsFuzz extends Fuzz {
  static final long BASE = 1_772_442_000_000L; // 2026-03-02T09:00:00Z

  static final String[][] KEY_GROUPS = {
      {"\"p1\"", "\"p\\u0031\""}, {"\"p2\""}, {"\"p3\""}, {"7", "\"7\""}, {"\"0\"", "0", "-0"},
      {"\"\u00fc-9\""}, {"\"\ufffd\""}, {"\"\ud835\udd38\""}, {"\"P1\""}, {"\"\""},
  };

  private final Map<String[], Integer> shadow = new HashMap<>();

  PaymentsFuzz(long seed) {
    super(seed);
  }

  static byte[] trace(long seed) {
    return new PaymentsFuzz(seed).build();
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
    clock = BASE + r.nextLong(3_600_000);
    while (lines.size() < n) {
      if (chance(0.06) && resend()) {
        continue;
      }
      tick(2_000, 90_000, 360_000);
      String doc = document(keys);
      if (chance(0.07)) {
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
    String id = idMember("event_id", false);
    if (id != null) {
      m.add(id);
    }
    long ts = clock;
    if (chance(0.12)) {
      ts -= r.nextLong(chance(0.5) ? 120_000 : 1_800_000);
    }
    String time = chance(0.004) ? Long.toString(nearMax(100_000))
        : timeLiteral(ts, 0.05);
    if (time != null) {
      m.add("\"ts\":" + time);
    }
    String type = type(key);
    if (type != null) {
      m.add("\"type\":" + type);
    }
    String keyLit = chance(0.05)
        ? pick(null, "null", "1.5", "{}", "true", "9223372036854775808", "9223372036854775807", "[\"p1\"]")
        : pick(key);
    if (keyLit != null) {
      m.add("\"payment_id\":" + keyLit);
    }
    String amount = chance(0.8) ? pick("100", "250", "500", "1000", "2500")
        : pick("0", "-100", "\"250\"", "2.5", "1e3", "null", null, "9223372036854775000",
            "9223372036854775808", "-0", "250.0", "4611686018427387904");
    if (amount != null) {
      m.add("\"amount_cents\":" + amount);
    }
    if (chance(0.9)) {
      m.add("\"currency\":" + pick("\"EUR\"", "\"EUR\"", "\"EUR\"", "\"USD\"", "\"EURO\"", "\"\"",
          "\"\u20ac\u20ac\u20ac\"", "\"\\ud835\\udd3cUR\"", "\"\ud835\udd3cUR\"", "978", "null", "\"E\\u0055R\""));
    }
    noise(m);
    if (chance(0.04)) {
      m.add(pick("\"type\":\"payment.failed\"", "\"type\":\"payment.captured\"",
          "\"payment_id\":\"p2\"", "\"amount_cents\":5", "\"ts\":\"2026-03-02T09:00:00Z\"",
          "\"event_id\":\"e0\"", "\"type\":null"));
    }
    return object(m);
  }

  /** Mostly the next plausible step of this payment; sometimes anything. */
  private String type(String[] key) {
    int s = shadow.getOrDefault(key, 0);
    String t;
    if (chance(0.65)) {
      switch (s) {
        case 0 -> t = chance(0.9) ? "authorized" : "failed";
        case 1 -> t = chance(0.75) ? "captured" : chance(0.5) ? "failed" : "refunded";
        case 2 -> t = chance(0.3) ? "captured" : "refunded";
        default -> t = pick("authorized", "captured", "refunded", "failed");
      }
    } else {
      t = pick("authorized", "captured", "refunded", "failed", "pending", "CAPTURED", null, "42", "null");
    }
    if (t == null) {
      return null;
    }
    if (t.equals("42") || t.equals("null")) {
      return t;
    }
    switch (t) {
      case "authorized" -> shadow.put(key, s == 0 ? 1 : s);
      case "captured" -> shadow.put(key, s == 1 || s == 2 ? 2 : s);
      case "failed" -> shadow.put(key, s <= 1 ? 3 : s);
      case "refunded" -> shadow.put(key, s == 2 && chance(0.3) ? 3 : s);
      default -> { }
    }
    return t.equals("CAPTURED") ? "\"PAYMENT.CAPTURED\"" : "\"payment." + t + "\"";
  }
}
