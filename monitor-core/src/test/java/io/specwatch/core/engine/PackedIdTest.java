package io.specwatch.core.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.nio.charset.StandardCharsets;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Dedupe ids packed from a document's bytes or from an integer must be exactly what packing their
 * string gives: the dedupe memory compares them with ids packed either way (imports, tests).
 */
class PackedIdTest {
  private static void assertSameAsString(PackedId fromBytes, String text) {
    PackedId fromString = new PackedId();
    fromString.pack(text);
    assertEquals(fromString.meta, fromBytes.meta, text);
    assertEquals(text.hashCode(), fromBytes.hash(), text);
    assertEquals(fromString.w0, fromBytes.w0, text);
    assertEquals(fromString.w1, fromBytes.w1, text);
    assertEquals(fromString.w2, fromBytes.w2, text);
    assertEquals(fromString.overflow, fromBytes.overflow, text);
    assertEquals(text, fromBytes.text(), text);
  }

  private static PackedId packedAscii(String text) {
    byte[] raw = ("{\"id\":\"" + text + "\"}").getBytes(StandardCharsets.US_ASCII);
    PackedId p = new PackedId();
    p.packAscii(raw, 7, 7 + text.length());
    return p;
  }

  @Test
  void asciiBytesPackLikeTheirString() {
    for (String text : new String[] {"", "e", "evt-00000001", "1234567", "12345678",
        "x".repeat(16), "x".repeat(17), "x".repeat(23), "x".repeat(24), "x".repeat(25),
        "y".repeat(300)}) {
      assertSameAsString(packedAscii(text), text);
    }
  }

  @Test
  void integersPackLikeTheirDecimalText() {
    for (long v : new long[] {0, 9, -9, 42, Long.MAX_VALUE, Long.MIN_VALUE}) {
      PackedId p = new PackedId();
      p.packLong(v);
      assertSameAsString(p, Long.toString(v));
    }
    Random rnd = new Random(5);
    PackedId reused = new PackedId();
    for (int i = 0; i < 10_000; i++) {
      long v = rnd.nextLong() >> rnd.nextInt(64);
      reused.packLong(v);
      assertSameAsString(reused, Long.toString(v));
    }
  }

  @Test
  void aReusedBufferForgetsTheEarlierId() {
    PackedId p = new PackedId();
    p.pack("é-is-latin-1-and-long-enough-to-overflow");
    assertEquals("é-is-latin-1-and-long-enough-to-overflow", p.overflow);
    p.packAscii("ab".getBytes(StandardCharsets.US_ASCII), 0, 2);
    assertNull(p.overflow);
    assertSameAsString(p, "ab");
    p.pack("\u20ac"); // above U+00FF: kept as a string
    assertEquals("\u20ac", p.overflow);
    p.packLong(-1);
    assertSameAsString(p, "-1");
  }

  @Test
  void theDedupeMemoryFindsAnIdWhicheverWayItWasPacked() {
    DedupeMemory memory = new DedupeMemory(true, 60_000, 10);
    assertEquals(false, memory.checkAndRecord(packedAscii("evt-1"), 1_000));
    assertEquals(true, memory.checkAndRecord("evt-1", 2_000));
    PackedId number = new PackedId();
    number.packLong(42);
    assertEquals(false, memory.checkAndRecord(number, 1_000));
    assertEquals(true, memory.checkAndRecord("42", 1_500), "42 and \"42\" are the same id");
    DedupeMemory untimed = new DedupeMemory(false, 0, 10);
    assertEquals(false, untimed.checkAndRecord(packedAscii("u"), 0));
    assertEquals(true, untimed.checkAndRecord("u", 0));
  }
}
