package io.specwatch.load;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Shared machinery of the small, dense random traces of the differential tests: a clock with late
 * and far-jumping documents, time texts in every accepted and several rejected forms, documents as
 * member lists (noise, duplicate keys, reordering, spacing), and lines that are not documents
 * (truncated, not an object, invalid JSON, invalid UTF-8, blank, CRLF).
 */
abstract class Fuzz {
  final SplittableRandom r;
  final List<byte[]> lines = new ArrayList<>();
  /** Documents written so far (for exact resends and truncated copies). */
  final List<byte[]> docs = new ArrayList<>();
  /** Ids written so far, as JSON literals. */
  final List<String> ids = new ArrayList<>();
  final List<Long> intIds = new ArrayList<>();
  long clock;

  Fuzz(long seed) {
    this.r = new SplittableRandom(seed);
  }

  boolean chance(double p) {
    return r.nextDouble() < p;
  }

  @SafeVarargs
  final <T> T pick(T... xs) {
    return xs[r.nextInt(xs.length)];
  }

  <T> T pick(List<T> xs) {
    return xs.get(r.nextInt(xs.size()));
  }

  /** The whole input: lines joined by LF, usually with a final LF. */
  byte[] input() {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (int i = 0; i < lines.size(); i++) {
      if (i > 0) {
        out.write('\n');
      }
      out.writeBytes(lines.get(i));
    }
    if (!lines.isEmpty() && chance(0.8)) {
      out.write('\n');
    }
    return out.toByteArray();
  }

  // ---------------------------------------------------------------- time

  static String iso(long ms, String t, String z, int fractionDigits, int offsetMinutes) {
    long local = ms + offsetMinutes * 60_000L;
    LocalDateTime d = LocalDateTime.ofEpochSecond(Math.floorDiv(local, 1000),
        Math.floorMod(local, 1000) * 1_000_000, ZoneOffset.UTC);
    StringBuilder sb = new StringBuilder(32);
    two(sb, d.getYear() / 100);
    two(sb, d.getYear() % 100).append('-');
    two(sb, d.getMonthValue()).append('-');
    two(sb, d.getDayOfMonth()).append(t);
    two(sb, d.getHour()).append(':');
    two(sb, d.getMinute()).append(':');
    two(sb, d.getSecond());
    if (fractionDigits > 0) {
      int milli = d.getNano() / 1_000_000;
      String ms3 = "" + (char) ('0' + milli / 100) + (char) ('0' + milli / 10 % 10) + (char) ('0' + milli % 10);
      String frac = fractionDigits <= 3 ? ms3.substring(0, fractionDigits)
          : ms3 + "987654".substring(0, fractionDigits - 3);
      sb.append('.').append(frac);
    }
    if (z != null) {
      sb.append(z);
    } else {
      int a = Math.abs(offsetMinutes);
      two(sb.append(offsetMinutes < 0 ? '-' : '+'), a / 60).append(':');
      two(sb, a % 60);
    }
    return sb.toString();
  }

  private static StringBuilder two(StringBuilder sb, int v) {
    return sb.append((char) ('0' + v / 10)).append((char) ('0' + v % 10));
  }

  /** A JSON literal for event time {@code ms}, or (rarely) an invalid or missing time (null). */
  String timeLiteral(long ms, double invalidRate) {
    double c = r.nextDouble();
    if (c < invalidRate) {
      return pick(null, "null", "\"garbage\"", "\"2026-02-30T10:00:00Z\"", "\"2026-03-02T24:00:00Z\"",
          "\"2026-03-02T10:00:60Z\"", "\"2026-03-02T10:60:00Z\"", "1.7724e12", "1772442000000.0",
          "\"1772442000000\"", "true", "\"2026-03-02 10:00:00Z\"", "\"2026-03-02T10:00:00\"",
          "\"2026-3-2T10:00:00Z\"", "\"2026-03-02T10:00:00.Z\"", "\"2026-03-02T10:00:00+0200\"",
          "\"2026-03-02T10:00:00+24:00\"", "\"2026-13-01T00:00:00Z\"", "\"2100-02-29T00:00:00Z\"",
          "{\"ms\":1}", "\"\"", "\" 2026-03-02T10:00:00Z\"");
    }
    c = r.nextDouble();
    if (c < 0.62) {
      return "\"" + iso(ms, "T", "Z", 3, 0) + "\"";
    } else if (c < 0.68) {
      return "\"" + iso(ms, "T", "Z", 0, 0) + "\"";
    } else if (c < 0.74) {
      return "\"" + iso(ms, "T", "Z", 1 + r.nextInt(9), 0) + "\"";
    } else if (c < 0.78) {
      return "\"" + iso(ms, pick("t", "T"), pick("z", "Z"), 3, 0) + "\"";
    } else if (c < 0.86) {
      int off = pick(120, -300, 330, 840, -720, 0, 23 * 60 + 59, -(23 * 60 + 59), 45);
      return "\"" + iso(ms, "T", null, pick(0, 3, 6), off) + "\"";
    } else if (c < 0.995) {
      return Long.toString(ms);
    } else {
      return pick("\"2024-02-29T10:00:00Z\"", "\"2000-02-29T23:59:59.999+00:00\"", "0", "-0");
    }
  }

  /** Advances the clock: mostly small steps, sometimes minutes, rarely eight days. */
  void tick(long small, long medium, long large) {
    double c = r.nextDouble();
    long step;
    if (c < 0.15) {
      step = 0;
    } else if (c < 0.5) {
      step = r.nextLong(small);
    } else if (c < 0.82) {
      step = r.nextLong(medium);
    } else if (c < 0.96) {
      step = medium + r.nextLong(large);
    } else if (c < 0.99) {
      step = large + r.nextLong(3 * large);
    } else {
      step = 8L * 24 * 3600 * 1000 + r.nextLong(large);
    }
    clock = clock >= Long.MAX_VALUE - step ? nearMax(1000) : clock + step;
  }

  /** A time within {@code below} ms of the 64-bit limit, {@code Long.MAX_VALUE} included. */
  long nearMax(long below) {
    return Long.MAX_VALUE - r.nextLong(below);
  }

  // ---------------------------------------------------------------- documents

  static final String[] NOISE = {
      "\"region\":\"eu-west-1\"",
      "\"merchant\":{\"id\":\"m1\",\"tags\":[\"a\",\"b\"]}",
      "\"note\":\"Caf\u00e9 \u2713 \\\"quoted\\\" \\n\"",
      "\"n\":null",
      "\"arr\":[1,2.5,-3e2,true,false,null,{},[]]",
      "\"deep\":{\"a\":{\"b\":{\"c\":[[[{\"d\":1}]]]}}}",
      "\"big\":123456789012345678901234567890",
      "\"esc\":\"\\u00e9\\/\\b\\f\\r\\t\\\\\"",
      "\"\":\"empty key\"",
      "\"\u043a\u043b\u044e\u0447\":\"\u0437\u043d\u0430\u0447\u0435\u043d\u0438\u0435 \ud83d\ude00\"",
      "\"neg\":-0.0e-0",
      "\"nested\":{\"type\":\"payment.failed\",\"op\":\"ack\",\"id\":7}",
  };

  /** Adds 0..3 noise members. */
  void noise(List<String> members) {
    int n = r.nextInt(4);
    for (int i = 0; i < n; i++) {
      members.add(pick(NOISE));
    }
  }

  /** Joins members into an object; sometimes reordered or spaced. */
  String object(List<String> members) {
    if (chance(0.15)) {
      Collections.shuffle(members, new java.util.Random(r.nextLong()));
    }
    if (chance(0.1)) {
      return "  { " + String.join(" ,\t", members).replace("\":", "\" : ") + " }  ";
    }
    return "{" + String.join(",", members) + "}";
  }

  void addDocument(String text) {
    byte[] b = text.getBytes(StandardCharsets.UTF_8);
    docs.add(b);
    if (chance(0.04)) {
      byte[] crlf = java.util.Arrays.copyOf(b, b.length + 1);
      crlf[b.length] = '\r';
      b = crlf;
    }
    lines.add(b);
  }

  /** An exact resend of a recent document (a duplicate when its id was accepted). */
  boolean resend() {
    if (docs.isEmpty()) {
      return false;
    }
    int from = Math.max(0, docs.size() - 25);
    lines.add(docs.get(from + r.nextInt(docs.size() - from)));
    return true;
  }

  private static final String[] NOT_OBJECTS = {
      "[]", "[{\"type\":\"payment.failed\",\"payment_id\":\"p1\"}]", "42", "\"str\"", "null", "true",
      "-1", "{\"a\":1} x", "{\"a\":01}", "{\"a\":1,}", "{'a':1}", "{\"a\":1}{\"b\":2}",
      "{\"a\":\"tab\there\"}", "{\"a\":NaN}", "{\"a\":-}", "{\"a\":1.}", "{\"a\":.5}", "{\"a\":+1}",
      "{\"a\" 1}", "{a:1}", "{\"a\":tru}", "{\"a\":\"\\x\"}", "{\"a\":\"\\u12\"}", "}", "{",
      "{\"a\":[1,2}", "{\"a\":1]", "// comment", "{\"a\":1} // c", "\u00a0{\"a\":1}",
      "{\"a\":Infinity}", "{\"a\":0x10}", "{\"a\":1e}", "{\"a\":\"\u0001\"}",
  };

  /** Ill-formed UTF-8: bad bytes, truncated sequences, overlong forms, surrogates, > U+10FFFF. */
  private static final int[][] BAD_UTF8 = {
      {0xFF}, {0x80}, {0xC3}, {0xE2, 0x82}, {0xF8, 0x88, 0x80, 0x80, 0x80}, {0xFE},
      {0xC0, 0xAF}, {0xC1, 0xBF}, {0xE0, 0x80, 0x80}, {0xF0, 0x80, 0x80, 0x80}, {0xED, 0xA0, 0x80},
      {0xF4, 0x90, 0x80, 0x80},
  };

  /** A line that is not a well-formed document, or a blank line. */
  void specialLine(String nextDocument) {
    double c = r.nextDouble();
    if (c < 0.3 && (nextDocument != null || !docs.isEmpty())) {
      byte[] d = nextDocument != null ? nextDocument.getBytes(StandardCharsets.UTF_8) : pick(docs);
      lines.add(java.util.Arrays.copyOf(d, 1 + r.nextInt(d.length - 1)));
    } else if (c < 0.55) {
      lines.add(pick(NOT_OBJECTS).getBytes(StandardCharsets.UTF_8));
    } else if (c < 0.8 && nextDocument != null) {
      // Invalid UTF-8 inside a string of an otherwise good document: a member name or a value.
      int[] bad = pick(BAD_UTF8);
      byte[] raw = new byte[bad.length];
      for (int i = 0; i < bad.length; i++) {
        raw[i] = (byte) bad[i];
      }
      String head = nextDocument.substring(0, nextDocument.lastIndexOf('}'));
      boolean inValue = chance(0.5);
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      out.writeBytes((head + (inValue ? ",\"zz\":\"x" : ",\"z")).getBytes(StandardCharsets.UTF_8));
      out.writeBytes(raw);
      out.writeBytes((inValue ? "y\"}" : "\":1}").getBytes(StandardCharsets.UTF_8));
      lines.add(out.toByteArray());
    } else if (c < 0.85 && nextDocument != null) {
      // A byte order mark before a good document (RFC 8259 lets a parser ignore it).
      byte[] b = nextDocument.getBytes(StandardCharsets.UTF_8);
      byte[] bom = new byte[b.length + 3];
      bom[0] = (byte) 0xEF;
      bom[1] = (byte) 0xBB;
      bom[2] = (byte) 0xBF;
      System.arraycopy(b, 0, bom, 3, b.length);
      lines.add(bom);
    } else {
      lines.add(pick("", "   ", "\t", " \t ", "\r").getBytes(StandardCharsets.UTF_8));
    }
  }

  /** An id member ({@code "NAME":...}) or null for none: fresh, reused, integer, or invalid. */
  String idMember(String name, boolean integerIds) {
    double c = r.nextDouble();
    String lit;
    if (c < 0.78) {
      if (integerIds || chance(0.15)) {
        long id = 7_340_000 + ids.size();
        intIds.add(id);
        lit = Long.toString(id);
      } else {
        lit = "\"e" + ids.size() + "\"";
      }
    } else if (c < 0.86 && !ids.isEmpty()) {
      lit = pick(ids); // the same id, with other content
    } else if (c < 0.90 && !intIds.isEmpty()) {
      lit = "\"" + pick(intIds) + "\""; // an integer id written as a string: the same id
    } else if (c < 0.95) {
      return null;
    } else {
      lit = pick("1.5", "true", "{\"a\":1}", "null", "\"\"", "[1]", "7340000.0", "1e3",
          "99999999999999999999");
    }
    ids.add(lit);
    return "\"" + name + "\":" + lit;
  }
}
