package io.specwatch.core.engine;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Keys packed from a document's bytes or from an integer must be exactly what packing their
 * string gives (same words, same hash): the instance table compares them with keys packed either
 * way, and the shards are chosen by the hash.
 */
class PackedKeyTest {
  private static void assertSameAsString(PackedKey fromBytes, String text) {
    PackedKey fromString = new PackedKey();
    fromString.pack(text);
    assertEquals(fromString.hash, fromBytes.hash, text);
    assertEquals(text.hashCode(), fromBytes.hash, text);
    assertEquals(fromString.wordCount, fromBytes.wordCount, text);
    assertArrayEquals(Arrays.copyOf(fromString.words, fromString.wordCount),
        Arrays.copyOf(fromBytes.words, fromBytes.wordCount), text);
    assertEquals(text, fromBytes.key(), text);
    assertEquals(text, fromBytes.text(), text);
  }

  private static PackedKey packedAscii(String text, int padding) {
    byte[] raw = ("x".repeat(padding) + text + "y").getBytes(StandardCharsets.US_ASCII);
    PackedKey k = new PackedKey();
    k.packAscii(raw, padding, padding + text.length());
    return k;
  }

  @Test
  void asciiBytesPackLikeTheirString() {
    for (String text : new String[] {"", "a", "pay_0000123456", "1234567", "12345678",
        "x".repeat(61), "x".repeat(62), "x".repeat(63), "y".repeat(200)}) {
      assertSameAsString(packedAscii(text, 3), text);
    }
  }

  @Test
  void integersPackLikeTheirDecimalText() {
    for (long v : new long[] {0, 7, -7, 10, 42, -100, Long.MAX_VALUE, Long.MIN_VALUE,
        Long.MIN_VALUE + 1, 1_000_000_000_000L}) {
      PackedKey k = new PackedKey();
      k.packLong(v);
      assertSameAsString(k, Long.toString(v));
    }
    Random rnd = new Random(9);
    for (int i = 0; i < 10_000; i++) {
      PackedKey k = new PackedKey();
      long v = rnd.nextLong() >> rnd.nextInt(64);
      k.packLong(v);
      assertSameAsString(k, Long.toString(v));
    }
  }

  @Test
  void reusedBuffersForgetTheEarlierKey() {
    PackedKey k = new PackedKey();
    k.pack("a-much-longer-key-than-the-next");
    k.packAscii("ab".getBytes(StandardCharsets.US_ASCII), 0, 2);
    assertSameAsString(k, "ab");
    k.packLong(-5);
    assertSameAsString(k, "-5");
    k.clear();
    assertNull(k.key(), "no key after clear");
  }

  @Test
  void aKeyMadeFromBytesIsFoundUnderItsString() {
    InstanceTable table = new InstanceTable(InstanceTableTest.entity());
    int id = table.insert(packedAscii("order-17", 0));
    assertEquals(id, table.find("order-17"));
    PackedKey number = new PackedKey();
    number.packLong(42);
    int n = table.insert(number);
    assertEquals(n, table.find("42"));
    assertEquals("42", table.key(n));
    String longKey = "k".repeat(70);
    int l = table.insert(packedAscii(longKey, 1));
    assertEquals(l, table.find(longKey));
    assertEquals(longKey, table.key(l));
  }
}
