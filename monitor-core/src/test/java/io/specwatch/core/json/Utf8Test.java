package io.specwatch.core.json;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class Utf8Test {

  /** The JDK's strict decoder, as the reference. */
  private static boolean jdkValid(byte[] b, int off, int len) {
    CharsetDecoder d = StandardCharsets.UTF_8.newDecoder()
        .onMalformedInput(CodingErrorAction.REPORT)
        .onUnmappableCharacter(CodingErrorAction.REPORT);
    try {
      CharBuffer unused = d.decode(ByteBuffer.wrap(b, off, len));
      return unused != null;
    } catch (CharacterCodingException e) {
      return false;
    }
  }

  private static byte[] bytes(int... values) {
    byte[] b = new byte[values.length];
    for (int i = 0; i < values.length; i++) {
      b[i] = (byte) values[i];
    }
    return b;
  }

  @Test
  void everyCodePointEncodedByTheJdkIsValid() {
    StringBuilder sb = new StringBuilder();
    for (int cp = 0; cp <= 0x10FFFF; cp++) {
      if (cp >= 0xD800 && cp <= 0xDFFF) {
        continue;
      }
      sb.appendCodePoint(cp);
      if (sb.length() > 4096 || cp == 0x10FFFF) {
        byte[] b = sb.toString().getBytes(StandardCharsets.UTF_8);
        assertTrue(Utf8.isValid(b, 0, b.length), () -> "around U+" + Integer.toHexString(sb.codePointBefore(sb.length())));
        sb.setLength(0);
      }
    }
  }

  @Test
  void boundaries() {
    assertTrue(Utf8.isValid(new byte[0], 0, 0));
    assertTrue(Utf8.isValid(bytes(0x7F), 0, 1));
    assertTrue(Utf8.isValid(bytes(0xC2, 0x80), 0, 2)); // U+0080
    assertTrue(Utf8.isValid(bytes(0xDF, 0xBF), 0, 2)); // U+07FF
    assertTrue(Utf8.isValid(bytes(0xE0, 0xA0, 0x80), 0, 3)); // U+0800
    assertTrue(Utf8.isValid(bytes(0xED, 0x9F, 0xBF), 0, 3)); // U+D7FF
    assertTrue(Utf8.isValid(bytes(0xEE, 0x80, 0x80), 0, 3)); // U+E000
    assertTrue(Utf8.isValid(bytes(0xEF, 0xBF, 0xBF), 0, 3)); // U+FFFF
    assertTrue(Utf8.isValid(bytes(0xF0, 0x90, 0x80, 0x80), 0, 4)); // U+10000
    assertTrue(Utf8.isValid(bytes(0xF4, 0x8F, 0xBF, 0xBF), 0, 4)); // U+10FFFF

    assertFalse(Utf8.isValid(bytes(0x80), 0, 1));
    assertFalse(Utf8.isValid(bytes(0xC0, 0x80), 0, 2));
    assertFalse(Utf8.isValid(bytes(0xC1, 0xBF), 0, 2));
    assertFalse(Utf8.isValid(bytes(0xE0, 0x9F, 0xBF), 0, 3));
    assertFalse(Utf8.isValid(bytes(0xED, 0xA0, 0x80), 0, 3));
    assertFalse(Utf8.isValid(bytes(0xED, 0xBF, 0xBF), 0, 3));
    assertFalse(Utf8.isValid(bytes(0xF0, 0x8F, 0xBF, 0xBF), 0, 4));
    assertFalse(Utf8.isValid(bytes(0xF4, 0x90, 0x80, 0x80), 0, 4));
    assertFalse(Utf8.isValid(bytes(0xF5, 0x80, 0x80, 0x80), 0, 4));
    assertFalse(Utf8.isValid(bytes(0xFF), 0, 1));
  }

  @Test
  void aSequenceCutByTheEndOfTheSliceIsInvalid() {
    byte[] b = "ab€".getBytes(StandardCharsets.UTF_8); // € is E2 82 AC
    assertTrue(Utf8.isValid(b, 0, 5));
    assertFalse(Utf8.isValid(b, 0, 4));
    assertFalse(Utf8.isValid(b, 0, 3));
    assertTrue(Utf8.isValid(b, 0, 2));
    assertFalse(Utf8.isValid(b, 3, 2)); // starts with a continuation byte
    byte[] emoji = "x😀".getBytes(StandardCharsets.UTF_8);
    for (int len = 2; len < emoji.length; len++) {
      assertFalse(Utf8.isValid(emoji, 0, len), "cut at " + len);
    }
  }

  @Test
  void onlyTheSliceIsChecked() {
    byte[] b = bytes(0xFF, 'a', 'b', 'c', 'd', 'e', 'f', 'g', 'h', 'i', 'j', 0xFF);
    assertTrue(Utf8.isValid(b, 1, 10));
    assertFalse(Utf8.isValid(b, 0, 11));
    assertFalse(Utf8.isValid(b, 1, 11));
  }

  @Test
  void anInvalidByteIsFoundAtEveryPositionOfALongAsciiRun() {
    // The ASCII fast path reads 32, then 8 bytes at a time: check every alignment and length.
    for (int len = 1; len <= 80; len++) {
      for (int pos = 0; pos < len; pos++) {
        for (int off = 0; off < 8; off++) {
          byte[] b = new byte[off + len + 3];
          java.util.Arrays.fill(b, (byte) 'a');
          b[off + pos] = (byte) 0x80;
          assertFalse(Utf8.isValid(b, off, len), len + "/" + pos + "/" + off);
          b[off + pos] = (byte) 'z';
          assertTrue(Utf8.isValid(b, off, len));
        }
      }
    }
  }

  @Test
  void agreesWithTheJdkDecoderOnRandomBytes() {
    SplittableRandom r = new SplittableRandom(99);
    String[] pieces = {"a", "é", "€", "😀", "\uFFFF", "\u0800", "\u07FF", "\uDBFF\uDFFF"};
    int invalid = 0;
    for (int i = 0; i < 200_000; i++) {
      byte[] b;
      if (i % 2 == 0) {
        b = new byte[r.nextInt(0, 24)];
        r.nextBytes(b);
      } else {
        // Mostly valid text, with one byte changed.
        StringBuilder sb = new StringBuilder();
        for (int k = r.nextInt(1, 12); k > 0; k--) {
          sb.append(pieces[r.nextInt(pieces.length)]);
        }
        b = sb.toString().getBytes(StandardCharsets.UTF_8);
        b[r.nextInt(b.length)] = (byte) r.nextInt(256);
      }
      boolean expected = jdkValid(b, 0, b.length);
      invalid += expected ? 0 : 1;
      assertEquals(expected, Utf8.isValid(b, 0, b.length), () -> java.util.HexFormat.of().formatHex(b));
    }
    assertTrue(invalid > 10_000, "the sample should hold plenty of invalid inputs");
  }
}
