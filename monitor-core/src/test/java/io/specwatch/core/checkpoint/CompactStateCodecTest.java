package io.specwatch.core.checkpoint;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.function.Consumer;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/** The compact state codec: what is written is read back, and bad bytes fail clearly. */
class CompactStateCodecTest {
  private static final long[] EDGE_LONGS = {0, 1, -1, 63, 64, -64, -65, 127, 128, 16_383, 16_384,
      Integer.MAX_VALUE, Integer.MIN_VALUE, 1_772_442_000_000L, -1_772_442_000_000L,
      Long.MAX_VALUE, Long.MIN_VALUE, Long.MAX_VALUE - 1, Long.MIN_VALUE + 1};

  /** Strings that UTF-8 cannot carry: each has a surrogate without its other half. */
  private static final String[] LONE_SURROGATES = {"\ud800", "a\udc00b", "x\ud83d",
      "\udc00\ud800", "é\ud800\ud83d\ude00"};

  /** One value written and how to check it on the way back. */
  private record Item(Consumer<StateWriter> write, Function<StateReader, Object> read,
      Object value) {}

  /** The bytes are refused as a corrupt checkpoint, not with any other exception. */
  private static void refused(org.junit.jupiter.api.function.Executable read) {
    assertThrows(CheckpointFormatException.class, read);
  }

  @Test
  void randomSequencesOfEveryKindComeBackUnchanged() {
    Random rnd = new Random(20261122);
    for (int round = 0; round < 500; round++) {
      List<Item> items = new ArrayList<>();
      int n = rnd.nextInt(60);
      for (int i = 0; i < n; i++) {
        items.add(randomItem(rnd));
      }
      CompactStateWriter w = new CompactStateWriter(1 + rnd.nextInt(32)); // grows as it goes
      items.forEach(it -> it.write().accept(w));
      byte[] bytes = w.toByteArray();
      assertEquals(w.size(), bytes.length);
      int off = rnd.nextInt(5);
      byte[] framed = new byte[off + bytes.length + 3];
      assertEquals(bytes.length, w.copyTo(framed, off));
      CompactStateReader r = new CompactStateReader(framed, off, bytes.length);
      for (Item it : items) {
        assertEquals(it.value(), it.read().apply(r), "round " + round);
      }
      assertTrue(r.atEnd(), "round " + round);
    }
  }

  private static Item randomItem(Random rnd) {
    switch (rnd.nextInt(6)) {
      case 0: {
        long v = rnd.nextBoolean() ? EDGE_LONGS[rnd.nextInt(EDGE_LONGS.length)] : rnd.nextLong()
            >> rnd.nextInt(64);
        return new Item(w -> w.writeLong(v), StateReader::readLong, v);
      }
      case 1: {
        int v = rnd.nextBoolean()
            ? (int) EDGE_LONGS[rnd.nextInt(13)] // the first 13 fit in an int
            : rnd.nextInt() >> rnd.nextInt(32);
        return new Item(w -> w.writeInt(v), StateReader::readInt, v);
      }
      case 2: {
        boolean v = rnd.nextBoolean();
        return new Item(w -> w.writeBoolean(v), StateReader::readBoolean, v);
      }
      case 3: {
        String v = randomString(rnd);
        return new Item(w -> w.writeString(v), StateReader::readString, v);
      }
      case 4: {
        Object v = switch (rnd.nextInt(4)) {
          case 0 -> null;
          case 1 -> randomString(rnd) + "";
          case 2 -> Set.of(rnd.nextLong(), (long) rnd.nextInt(100) + 200, Long.MIN_VALUE);
          default -> Set.of("EUR", "é€" + rnd.nextInt(10), "");
        };
        return new Item(w -> w.writeRef(v), StateReader::readRef, v);
      }
      default:
        return new Item(w -> w.writeRef(Set.of()), StateReader::readRef, Set.of());
    }
  }

  private static String randomString(Random rnd) {
    switch (rnd.nextInt(5)) {
      case 0:
        return null;
      case 1:
        return "";
      case 2:
        return "ev_" + Long.toHexString(rnd.nextLong());
      case 3: {
        char[] cs = new char[rnd.nextInt(300)]; // past one varint byte of length
        Arrays.fill(cs, 'x');
        return new String(cs);
      }
      default:
        return rnd.nextBoolean()
            ? "Zürich 東京 \uD83D\uDE00 " + rnd.nextInt() // two, three and four UTF-8 bytes
            : LONE_SURROGATES[rnd.nextInt(LONE_SURROGATES.length)] + rnd.nextInt();
    }
  }

  @Test
  void aStringWithALoneSurrogateComesBackExactlyWhereUtf8WouldNot() {
    for (String s : LONE_SURROGATES) {
      CompactStateWriter w = new CompactStateWriter();
      w.writeString(s);
      w.writeRef(s);
      w.writeRef(Set.of(s, "ok"));
      CompactStateReader r = new CompactStateReader(w.toByteArray());
      assertEquals(s, r.readString());
      assertEquals(s, r.readRef());
      assertEquals(Set.of(s, "ok"), r.readRef());
      assertTrue(r.atEnd());
      // Why the form exists: two different keys would be one after a restore.
      byte[] utf8 = s.getBytes(java.nio.charset.StandardCharsets.UTF_8);
      assertFalse(new String(utf8, java.nio.charset.StandardCharsets.UTF_8).equals(s), s);
    }
  }

  @Test
  void lengthsWithTheTopBitSetAreRefusedNotMisread() {
    // Varints of 2^64 - 1 and of 2^63 + 12: read as lengths they are negative as signed numbers.
    byte[] allOnes = {-1, -1, -1, -1, -1, -1, -1, -1, -1, 0x01};
    byte[] topBitAndTwelve = {-116, -128, -128, -128, -128, -128, -128, -128, -128, 0x01, 'a', 'b'};
    for (byte[] bytes : List.of(allOnes, topBitAndTwelve)) {
      refused(() -> new CompactStateReader(bytes).readString());
      refused(() -> new CompactStateReader(bytes).readBytes());
    }
    CompactStateWriter w = new CompactStateWriter();
    w.writeLong(Long.MIN_VALUE);
    w.writeLong(Long.MAX_VALUE);
    byte[] extremes = w.toByteArray();
    refused(() -> new CompactStateReader(extremes).readString());
    refused(() -> new CompactStateReader(extremes).readBytes());
  }

  @Test
  void smallNumbersTakeOneByteAndTimesSix() {
    assertEquals(1, sizeOf(w -> w.writeLong(0)));
    assertEquals(1, sizeOf(w -> w.writeLong(-1)));
    assertEquals(1, sizeOf(w -> w.writeLong(63)));
    assertEquals(2, sizeOf(w -> w.writeLong(64)));
    assertEquals(6, sizeOf(w -> w.writeLong(1_772_442_000_000L)));
    assertEquals(10, sizeOf(w -> w.writeLong(Long.MIN_VALUE)));
    assertEquals(1 + 19, sizeOf(w -> w.writeString("ev_d85d1d823d12cde7")));
    assertEquals(1, sizeOf(w -> w.writeString(null)));
  }

  private static int sizeOf(Consumer<StateWriter> write) {
    CompactStateWriter w = new CompactStateWriter();
    write.accept(w);
    return w.size();
  }

  @Test
  void truncatedBytesFailAsCorruptCheckpointsAtEveryCut() {
    CompactStateWriter w = new CompactStateWriter();
    w.writeLong(1_772_442_000_000L);
    w.writeString("pay_0000006893");
    w.writeRef(Set.of("a", "b"));
    w.writeBoolean(true);
    byte[] bytes = w.toByteArray();
    for (int cut = 0; cut < bytes.length; cut++) {
      CompactStateReader r = new CompactStateReader(bytes, 0, cut);
      assertThrows(CheckpointFormatException.class, () -> {
        r.readLong();
        r.readString();
        r.readRef();
        r.readBoolean();
      }, "cut at " + cut);
    }
  }

  @Test
  void corruptBytesFailClearlyWithoutAllocatingWhatTheyClaim() {
    byte[] elevenBytes = new byte[11];
    Arrays.fill(elevenBytes, (byte) 0x80);
    refused(() -> new CompactStateReader(elevenBytes).readLong());
    byte[] tooWide = {-1, -1, -1, -1, -1, -1, -1, -1, -1, 0x02}; // a 65th bit
    refused(() -> new CompactStateReader(tooWide).readLong());
    byte[] maxLong = {-2, -1, -1, -1, -1, -1, -1, -1, -1, 0x01};
    assertEquals(Long.MAX_VALUE, new CompactStateReader(maxLong).readLong());

    CompactStateWriter hugeString = new CompactStateWriter();
    hugeString.writeLong(Long.MAX_VALUE / 4); // read as a string length: far past the end
    refused(() -> new CompactStateReader(hugeString.toByteArray()).readString());

    CompactStateWriter notAnInt = new CompactStateWriter();
    notAnInt.writeLong(1L << 40);
    refused(() -> new CompactStateReader(notAnInt.toByteArray()).readInt());

    byte[] hugeSet = {RefCodec.SET_STRING, -2, -1, -1, -1, 0x07}; // 2^30 - 1 elements
    refused(() -> new CompactStateReader(hugeSet).readRef());
    byte[] badTag = {9};
    refused(() -> new CompactStateReader(badTag).readRef());
    refused(() -> new CompactStateReader(new byte[0]).readBoolean());
  }

  @Test
  void blocksOfBytesComeBackAndALengthPastTheEndFails() {
    byte[] block = new byte[300];
    new Random(7).nextBytes(block);
    CompactStateWriter w = new CompactStateWriter(8);
    w.writeBytes(block);
    w.writeBytes(new byte[0]);
    w.writeInt(-5);
    CompactStateReader r = new CompactStateReader(w.toByteArray());
    assertEquals(java.util.HexFormat.of().formatHex(block),
        java.util.HexFormat.of().formatHex(r.readBytes()));
    assertEquals(0, r.readBytes().length);
    assertEquals(-5, r.readInt());
    assertTrue(r.atEnd());
    byte[] torn = Arrays.copyOf(w.toByteArray(), 200);
    refused(() -> new CompactStateReader(torn).readBytes());
  }

  @Test
  void aReaderReadsOnlyItsRangeAndSaysWhenItIsConsumed() {
    CompactStateWriter w = new CompactStateWriter();
    w.writeInt(5);
    w.writeString(null);
    byte[] inner = w.toByteArray();
    byte[] framed = new byte[inner.length + 2];
    framed[0] = 0x7F; // not ours
    System.arraycopy(inner, 0, framed, 1, inner.length);
    framed[framed.length - 1] = 0x7F; // not ours either
    CompactStateReader r = new CompactStateReader(framed, 1, inner.length);
    assertFalse(r.atEnd());
    assertEquals(5, r.readInt());
    assertNull(r.readString());
    assertTrue(r.atEnd());
    assertThrows(CheckpointFormatException.class, r::readBoolean);
    assertThrows(IndexOutOfBoundsException.class,
        () -> new CompactStateReader(framed, 2, framed.length));
  }
}
