package io.specwatch.load;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Small dense random traces for {@code access-grants.sw}: grants created (regular or break-glass,
 * approved purpose or not, expiry in the future, the past, far away or invalid), reads by the
 * grantee or others, extensions (some overflowing), revocations and reviews (some by the grantee),
 * over one to four grants and a few days, with the malformed lines of {@link Fuzz}.
 */
final class AccessGrantsFuzz extends Fuzz {
  static final long BASE = 1_780_300_800_000L; // 2026-06-01T08:00:00Z
  static final long HOUR = 3_600_000L;

  static final String[][] KEY_GROUPS = {
      {"\"g-1\""}, {"\"g-2\""}, {"\"g-3\""}, {"5001", "\"5001\""}, {"\"g-\\u0034\"", "\"g-4\""},
  };
  static final String[] PEOPLE = {"\"alice\"", "\"bob\"", "\"carol\""};

  /** Per grant: 0 none, 1 active, 2 revoked; break-glass; grantee; purpose; dataset. */
  private final Map<String[], Integer> status = new HashMap<>();
  private final Map<String[], String[]> facts = new HashMap<>();

  AccessGrantsFuzz(long seed) {
    super(seed);
  }

  static byte[] trace(long seed) {
    return new AccessGrantsFuzz(seed).build();
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
    clock = BASE + r.nextLong(HOUR);
    while (lines.size() < n) {
      if (chance(0.05) && resend()) {
        continue;
      }
      tick(60_000, 20 * 60_000, 3 * HOUR);
      String doc = document(keys);
      if (chance(0.05)) {
        specialLine(doc);
        if (chance(0.5)) {
          continue;
        }
      }
      addDocument(doc);
    }
    return input();
  }

  private String time(long ms) {
    return chance(0.5) ? Long.toString(ms) : "\"" + iso(ms, "T", "Z", 3, 0) + "\"";
  }

  private String document(List<String[]> keys) {
    String[] key = pick(keys);
    List<String> m = new ArrayList<>();
    String id = idMember("audit_id", false);
    if (id != null) {
      m.add(id);
    }
    long ts = clock;
    if (chance(0.12)) {
      ts -= r.nextLong(chance(0.5) ? 60_000 : 2 * HOUR);
    }
    String t = chance(0.004) ? pick(Long.toString(nearMax(100_000)),
        Long.toString(Long.MIN_VALUE + r.nextLong(3)))
        : timeLiteral(ts, 0.04);
    if (t != null) {
      m.add("\"ts\":" + t);
    }
    String keyLit = chance(0.04) ? pick(null, "null", "1.5", "{}", "true") : pick(key);
    int s = status.getOrDefault(key, 0);
    String[] f = facts.get(key);
    String action;
    if (chance(0.7)) {
      action = switch (s) {
        case 0 -> "grant.created";
        case 1 -> pick("data.read", "data.read", "data.export", "grant.extended", "grant.revoked");
        default -> pick("grant.reviewed", "grant.reviewed", "data.read", "grant.revoked");
      };
    } else {
      action = pick("grant.created", "data.read", "data.export", "grant.extended", "grant.revoked",
          "grant.reviewed", "grant.deleted", null);
    }
    if (action != null) {
      m.add("\"action\":" + (chance(0.01) ? "7" : "\"" + action + "\""));
    }
    switch (action == null ? "" : action) {
      case "grant.created" -> {
        String who = pick(PEOPLE);
        String purpose = chance(0.85) ? pick("\"support\"", "\"incident\"", "\"fraud-review\"",
            "\"legal-hold\"") : pick("\"marketing\"", null, "5", "\"Support\"");
        String dataset = chance(0.8) ? pick("\"crm.contacts\"", "\"db.orders\"", "\"payments.cards\"")
            : pick(null, "null", "7");
        String bg = chance(0.6) ? null : pick("true", "true", "false", "\"true\"", "1", "null");
        long lifetime = chance(0.8) ? pick(30, 45, 60, 120, 240, 480) * 60_000L
            : pick(-60_000L, 0L, 9 * HOUR, 30 * 24 * HOUR);
        String expires = chance(0.94) ? time(ts + lifetime)
            : pick(null, "\"tomorrow\"", "\"2026-02-30T00:00:00Z\"",
                Long.toString(Long.MAX_VALUE - r.nextLong(HOUR)), "1.5",
                "-9223372036854775808");
        List<String> g = new ArrayList<>();
        if (keyLit != null) {
          g.add("\"id\":" + keyLit);
        }
        g.add("\"principal\":" + who);
        if (purpose != null) {
          g.add("\"purpose\":" + purpose);
        }
        if (dataset != null) {
          g.add("\"dataset\":" + dataset);
        }
        if (bg != null) {
          g.add("\"break_glass\":" + bg);
        }
        if (expires != null) {
          g.add("\"expires_at\":" + expires);
        }
        m.add("\"actor\":{\"id\":\"ivan\"}");
        m.add("\"grant\":{" + String.join(",", g) + "}");
        if (s == 0) {
          status.put(key, 1);
          facts.put(key, new String[] {who, purpose, dataset});
        }
      }
      case "data.read", "data.export" -> {
        boolean right = f != null && chance(0.75);
        String who = right ? f[0] : pick(PEOPLE);
        String purpose = right && f[1] != null && chance(0.9) ? f[1] : pick("\"support\"", "\"marketing\"");
        String dataset = right && f[2] != null && chance(0.8) ? f[2]
            : pick("\"crm.contacts\"", "\"db.orders\"", "\"db.audit_log\"", "\"db.customers\"");
        if (chance(0.97)) {
          m.add("\"actor\":{\"id\":" + who + "}");
        }
        m.add("\"request\":{" + (keyLit != null ? "\"grant_id\":" + keyLit + "," : "")
            + "\"purpose\":" + purpose + "}");
        m.add("\"resource\":{\"dataset\":" + dataset + "}");
      }
      case "grant.extended" -> {
        String by = chance(0.85) ? pick("3600000", "7200000", "1800000")
            : pick("0", "-5", "\"1h\"", "1.5", Long.toString(Long.MAX_VALUE - 5), null);
        m.add("\"grant\":{" + (keyLit != null ? "\"id\":" + keyLit : "")
            + (by != null ? (keyLit != null ? "," : "") + "\"extend_ms\":" + by : "") + "}");
      }
      case "grant.revoked" -> {
        m.add("\"grant\":{" + (keyLit != null ? "\"id\":" + keyLit : "") + "}");
        if (s == 1) {
          status.put(key, 2);
        }
      }
      case "grant.reviewed" -> {
        String who = f != null && chance(0.2) ? f[0] : pick("\"dave\"", "\"erin\"", "\"alice\"");
        m.add("\"actor\":{\"id\":" + who + "}");
        m.add("\"review\":{" + (keyLit != null ? "\"grant_id\":" + keyLit : "") + "}");
      }
      default -> m.add("\"grant\":{\"id\":" + pick(key) + "}");
    }
    noise(m);
    if (chance(0.03)) {
      m.add(pick("\"action\":\"grant.revoked\"", "\"grant\":{\"id\":\"g-2\",\"break_glass\":true}",
          "\"ts\":\"2026-06-01T08:00:00Z\""));
    }
    return object(m);
  }
}
