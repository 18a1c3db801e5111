package io.specwatch.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.specwatch.cli.CheckTestSupport.Outcome;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Hostile lines through {@code specwatch check}: each is reported as malformed (or judged), the
 * run never crashes, and the lines after it are still processed. Every test runs both on the
 * pipeline and with {@code --sequential}.
 */
class CheckHostileInputTest {
  private static final int MIB = 1 << 20;
  /** A valid document that raises a transition (capture before authorization) for key "after". */
  private static final String CANARY = "{\"event_id\":\"c\",\"type\":\"payment.captured\","
      + "\"ts\":\"2026-03-02T10:00:00Z\",\"payment_id\":\"after\",\"amount_cents\":1}";

  @TempDir
  Path dir;
  Path spec;

  @BeforeEach
  void writeSpec() throws IOException {
    spec = Files.writeString(dir.resolve("payments.sw"), CheckCommandTest.PAYMENTS);
  }

  /** Lines joined with LF, each given as bytes. */
  private static byte[] lines(byte[]... lines) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (byte[] l : lines) {
      out.writeBytes(l);
      out.write('\n');
    }
    return out.toByteArray();
  }

  private static byte[] utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  private static byte[] concat(String a, byte[] b, String c) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.writeBytes(utf8(a));
    out.writeBytes(b);
    out.writeBytes(utf8(c));
    return out.toByteArray();
  }

  private Outcome check(byte[] input, boolean sequential, String... extra) throws IOException {
    Path events = Files.write(dir.resolve("events.jsonl"), input);
    List<String> args = new ArrayList<>(List.of("check", spec.toString(), "--events", events.toString()));
    args.addAll(List.of(extra));
    args.add(sequential ? "--sequential" : "--pipeline");
    Outcome o = assertTimeoutPreemptively(Duration.ofMinutes(2),
        () -> CheckTestSupport.run(args.toArray(new String[0])));
    assertEquals(1, o.status(), o::toString);
    assertTrue(!o.stderr().contains("internal error"), o::toString);
    return o;
  }

  /** The malformed violation of {@code line}, with its reason. */
  private static void assertMalformed(Map<String, Object> v, long line, String message) {
    assertEquals("malformed", v.get("kind"), v::toString);
    assertEquals(line, v.get("line"), v::toString);
    assertEquals(message, v.get("message"), v::toString);
    assertEquals(null, v.get("rule"));
    assertEquals(null, v.get("state"));
  }

  /** The canary raised its transition at {@code line}, as the last violation. */
  private static void assertCanary(Outcome o, long line) {
    List<Map<String, Object>> all = o.violations();
    Map<String, Object> last = all.get(all.size() - 1);
    assertEquals(List.of("payments", "transition", "captured", "Payment", "after", line),
        CheckTestSupport.tuple(last), o::toString);
  }

  @ParameterizedTest(name = "sequential: {0}")
  @ValueSource(booleans = {false, true})
  void aFiveMegabyteLineExceedsTheLimit(boolean sequential) throws IOException {
    byte[] huge = utf8("{\"pad\":\"" + "x".repeat(5 * MIB - 10) + "\"}");
    Outcome o = check(lines(huge, utf8(CANARY)), sequential);
    assertEquals(2, o.violations().size(), o::toString);
    assertMalformed(o.violations().get(0), 1, "document of " + huge.length
        + " bytes exceeds the limit of 1048576 bytes (--max-document-bytes)");
    assertCanary(o, 2);
  }

  @ParameterizedTest(name = "sequential: {0}")
  @ValueSource(booleans = {false, true})
  void nesting100000DeepIsMalformed(boolean sequential) throws IOException {
    byte[] arrays = utf8("{\"payment_id\":" + "[".repeat(100_000) + "]".repeat(100_000) + "}");
    byte[] objects = utf8("{\"x\":" + "{\"x\":".repeat(100_000) + "1" + "}".repeat(100_000) + "}");
    byte[] unclosed = utf8("{\"x\":" + "[{\"a\":".repeat(100_000));
    Outcome o = check(lines(arrays, objects, unclosed, utf8(CANARY)), sequential);
    List<Map<String, Object>> v = o.violations();
    assertEquals(4, v.size(), o::toString);
    for (int i = 0; i < 3; i++) {
      assertMalformed(v.get(i), i + 1, "document nested deeper than 500 levels");
    }
    assertCanary(o, 4);
  }

  private static byte[] millionKeys() {
    StringBuilder sb = new StringBuilder(20 * MIB).append('{');
    for (int i = 0; i < 1_000_000; i++) {
      sb.append("\"k").append(i).append("\":").append(i).append(',');
    }
    // The document is an event: it decodes only if all of it was parsed.
    return utf8(sb.append("\"event_id\":\"m\",\"type\":\"payment.captured\",\"ts\":\"2026-03-02T09:00:00Z\","
        + "\"payment_id\":\"million\",\"amount_cents\":1}").toString());
  }

  @ParameterizedTest(name = "sequential: {0}")
  @ValueSource(booleans = {false, true})
  void aLineWithAMillionKeysIsOverTheDefaultLimit(boolean sequential) throws IOException {
    byte[] doc = millionKeys();
    Outcome o = check(lines(doc, utf8(CANARY)), sequential);
    assertEquals(2, o.violations().size(), o::toString);
    assertMalformed(o.violations().get(0), 1, "document of " + doc.length
        + " bytes exceeds the limit of 1048576 bytes (--max-document-bytes)");
    assertCanary(o, 2);
  }

  @ParameterizedTest(name = "sequential: {0}")
  @ValueSource(booleans = {false, true})
  void aLineWithAMillionKeysIsJudgedUnderARaisedLimit(boolean sequential) throws IOException {
    Outcome o = check(lines(millionKeys(), millionKeys(), utf8(CANARY)), sequential,
        "--max-document-bytes", String.valueOf(32 * MIB));
    List<List<Object>> tuples = o.violations().stream().map(CheckTestSupport::tuple).toList();
    // Line 2 is a duplicate of line 1 (same event_id): dropped, not reported.
    assertEquals(List.of(
        List.of("payments", "transition", "captured", "Payment", "million", 1L),
        List.of("payments", "transition", "captured", "Payment", "after", 3L)), tuples, o::toString);
  }

  @ParameterizedTest(name = "sequential: {0}")
  @ValueSource(booleans = {false, true})
  void invalidUtf8AndNulBytesAreNotValidJson(boolean sequential) throws IOException {
    byte[][] bad = {
        concat("{\"note\":\"", new byte[] {(byte) 0xC0, (byte) 0x80}, "\"}"), // overlong NUL, skipped
        concat(CANARY.replace("\"after\"", "\"af"), new byte[] {(byte) 0xED, (byte) 0xA0, (byte) 0x80},
            "\"}"), // an encoded surrogate in the key: this event must not apply
        concat("{\"payment_id\":\"", new byte[] {(byte) 0xFF}, "\"}"),
        concat("{\"a\":\"", new byte[] {(byte) 0xF4, (byte) 0x90, (byte) 0x80, (byte) 0x80}, "\"}"),
        concat("{\"a\":\"", new byte[] {(byte) 0xE2, (byte) 0x82}, "\"}"), // truncated
        concat("{\"a\":1}", new byte[] {0}, ""), // a NUL after the object
        concat("{\"a\":\"", new byte[] {0}, "\"}"), // a raw NUL inside a string
        new byte[] {0},
        concat("", new byte[] {0, 0, 0}, "{}"),
    };
    byte[][] all = new byte[bad.length + 1][];
    System.arraycopy(bad, 0, all, 0, bad.length);
    all[bad.length] = utf8(CANARY);
    Outcome o = check(lines(all), sequential);
    List<Map<String, Object>> v = o.violations();
    assertEquals(bad.length + 1, v.size(), o::toString);
    for (int i = 0; i < bad.length; i++) {
      assertMalformed(v.get(i), i + 1, "not valid JSON");
    }
    assertCanary(o, bad.length + 1);
  }

  @ParameterizedTest(name = "sequential: {0}")
  @ValueSource(booleans = {false, true})
  void randomBytesNeverStopTheRun(boolean sequential) throws IOException {
    SplittableRandom r = new SplittableRandom(1234);
    ByteArrayOutputStream input = new ByteArrayOutputStream();
    // Lines of random bytes without LF: each is exactly one malformed violation (or blank).
    int lines = 0;
    int blank = 0;
    for (int i = 0; i < 3000; i++) {
      byte[] line = new byte[r.nextInt(0, 300)];
      r.nextBytes(line);
      for (int k = 0; k < line.length; k++) {
        if (line[k] == '\n') {
          line[k] = '{';
        }
      }
      input.writeBytes(line);
      input.write('\n');
      lines++;
      if (new String(line, StandardCharsets.ISO_8859_1).replaceAll("[ \t\r\f\u000b]", "").isEmpty()) {
        blank++;
      }
    }
    // Then a megabyte of random bytes, newlines included, and the canary.
    byte[] noise = new byte[MIB];
    r.nextBytes(noise);
    input.writeBytes(noise);
    input.write('\n');
    for (byte b : noise) {
      lines += b == '\n' ? 1 : 0;
    }
    lines++;
    input.writeBytes(utf8(CANARY));
    input.write('\n');
    lines++;
    Outcome o = check(input.toByteArray(), sequential);
    List<Map<String, Object>> v = o.violations();
    for (int i = 0; i < 3000 - blank; i++) {
      assertEquals("malformed", v.get(i).get("kind"), () -> v.get(0).toString());
    }
    assertCanary(o, lines);
    assertTrue(o.stderr().contains("specwatch check: " + lines + " lines"), o::toString);
  }

  @ParameterizedTest(name = "sequential: {0}")
  @ValueSource(booleans = {false, true})
  void hostileLinesThroughStandardInput(boolean sequential) {
    byte[] input = lines(utf8("{\"x\":" + "[".repeat(100_000)), new byte[] {(byte) 0xC0, (byte) 0xAF},
        utf8("{\"a\":1}{\"a\":2}"), utf8("\"just a string\""), utf8(CANARY));
    List<String> args = new ArrayList<>(List.of("check", spec.toString(), "--events", "-"));
    args.add(sequential ? "--sequential" : "--pipeline");
    Outcome o = CheckTestSupport.run(new ByteArrayInputStream(input), args.toArray(new String[0]));
    assertEquals(1, o.status(), o::toString);
    List<Map<String, Object>> v = o.violations();
    assertEquals(5, v.size(), o::toString);
    assertMalformed(v.get(0), 1, "document nested deeper than 500 levels");
    assertMalformed(v.get(1), 2, "not valid JSON");
    assertMalformed(v.get(2), 3, "not valid JSON");
    assertMalformed(v.get(3), 4, "not a JSON object");
    assertCanary(o, 5);
  }
}
