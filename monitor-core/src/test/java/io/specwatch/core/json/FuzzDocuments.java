package io.specwatch.core.json;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * Test helper: generates JSON-ish documents for {@link DocumentDecoderDifferentialTest}, valid and
 * broken, aimed at the edges where a hand-written scanner and Jackson could disagree: names that
 * match the test's paths (also through escapes, and longer than 64 bytes), duplicate members,
 * numbers at the long boundaries and in every invalid shape, strings with every escape, lone
 * surrogate escapes and multi-byte UTF-8, nesting around the depth limit; then byte mutations,
 * truncations and plain random bytes.
 */
final class FuzzDocuments {
  /** Names the test's paths use, as a document may write them (some with escapes). */
  static final String LONG_NAME = "long_" + "n".repeat(70);
  private static final String[] NAMES = {
      "a", "b", "c", "k", "l", "m", "n", "s", "d", "payment_id", "x y", "é", "ключ", LONG_NAME,
      "p\\u0061yment_id", "\\u0061", "\\u00e9", "x\\u0020y", "\\\"q", "q\\\"", "z", "aa", "",
      "a\\/b", "a/b", "\\ud800", "ts", "type",
  };
  private static final String[] STRINGS = {
      "", "x", "hello world", "é", "日本語", "😀", "\\ud83d\\ude00", "\\ud800", "\\udc00x",
      "\\u0000", "\\u001f", "q\\\"b\\\\s\\/n\\nt\\tr\\rb\\bf\\f", "\\u00E9\\u20AC", "a\u2028b",
      "\uFFFF", "\uE000", "tab\\there", "long " + "y".repeat(80), "\u007f", "ünïcödé",
      "2026-03-02T09:00:00Z",
  };
  private static final String[] NUMBERS = {
      "0", "-0", "1", "-1", "42", "100", "9223372036854775807", "-9223372036854775808",
      "9223372036854775806", "-9223372036854775807", "9223372036854775808", "-9223372036854775809",
      "18446744073709551616", "99999999999999999999", "1000000000000000000", "999999999999999999",
      "2147483647", "2147483648", "-2147483649", "1.5", "-1.5", "0.0", "-0.0", "1e2", "1E2",
      "1e+2", "1e-2", "0e0", "-0e-0", "1.5e300", "123456789012345678901234567890", "0.1",
      "1" + "0".repeat(30),
  };
  private static final String[] BAD_NUMBERS = {
      "01", "-01", "00", "1.", ".5", "+1", "-", "1e", "1e+", "1.e5", "--1", "0x10", "NaN",
      "Infinity", "-Infinity", "1.5.5", "1e5.3", "- 1", "1f", "0.", "-.5",
  };
  private static final String[] BAD_STRING_PARTS = {
      "\\x", "\\u12", "\\u12g4", "\\", "\t", "\n", "\u0000", "\u001f", "\\U0041",
  };
  private static final int[][] BAD_UTF8 = {
      {0x80}, {0xBF}, {0xC0, 0x80}, {0xC1, 0xBF}, {0xC3}, {0xC3, 0x28}, {0xE0, 0x80, 0x80},
      {0xE0, 0x9F, 0xBF}, {0xED, 0xA0, 0x80}, {0xED, 0xBF, 0xBF}, {0xE2, 0x82},
      {0xF0, 0x80, 0x80, 0x80}, {0xF0, 0x8F, 0xBF, 0xBF}, {0xF4, 0x90, 0x80, 0x80},
      {0xF5, 0x80, 0x80, 0x80}, {0xF0, 0x9F, 0x98}, {0xF8, 0x88, 0x80, 0x80, 0x80}, {0xFE},
      {0xFF}, {0xEF, 0xBB, 0xBF},
  };
  private static final String MUTATIONS = "{}[]\":,\\u0e-.";
  private static final String[] WHITESPACE = {"", "", "", " ", "\t", "\r\n", "  ", "\n"};
  private static final String[] BAD_WHITESPACE = {"\f", "\u000b", "\u00a0", "\u0000", "/**/"};

  private final SplittableRandom rnd;
  private final int depthLimit;
  private final StringBuilder sb = new StringBuilder();

  FuzzDocuments(SplittableRandom rnd, int depthLimit) {
    this.rnd = rnd;
    this.depthLimit = depthLimit;
  }

  /** One document of a randomly chosen category. */
  byte[] next() {
    int category = rnd.nextInt(100);
    if (category < 40) {
      return valid();
    }
    if (category < 55) {
      return validWithOneBadPart();
    }
    if (category < 75) {
      return mutate(valid());
    }
    if (category < 82) {
      byte[] doc = valid();
      return Arrays.copyOf(doc, rnd.nextInt(doc.length + 1));
    }
    if (category < 90) {
      return deep();
    }
    if (category < 95) {
      return randomBytes(rnd.nextInt(0, 48), false);
    }
    return randomBytes(rnd.nextInt(0, 48), true);
  }

  /** A valid document (or, one time in ten, a valid non-object root). */
  byte[] valid() {
    sb.setLength(0);
    if (rnd.nextInt(20) == 0) {
      sb.append('\uFEFF');
    }
    ws();
    if (rnd.nextInt(10) == 0) {
      value(1, 4);
    } else {
      object(1, 4);
    }
    ws();
    return utf8(sb);
  }

  private byte[] validWithOneBadPart() {
    byte[] doc = valid();
    String text = new String(doc, StandardCharsets.UTF_8);
    int at = rnd.nextInt(text.length() + 1);
    String bad = switch (rnd.nextInt(6)) {
      case 0 -> pick(BAD_NUMBERS);
      case 1 -> "\"" + pick(BAD_STRING_PARTS) + "\"";
      case 2 -> pick(BAD_WHITESPACE);
      case 3 -> pick(new String[] {",", ":", "{", "}", "[", "]", "\"", ",}", ",]", "}}", "x"});
      case 4 -> "";
      default -> null;
    };
    if (bad == null) {
      // Invalid UTF-8 bytes spliced into the encoded text, inside or outside a string.
      int byteAt = rnd.nextInt(doc.length + 1);
      int[] seq = BAD_UTF8[rnd.nextInt(BAD_UTF8.length)];
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      out.write(doc, 0, byteAt);
      for (int b : seq) {
        out.write(b);
      }
      out.write(doc, byteAt, doc.length - byteAt);
      return out.toByteArray();
    }
    return utf8(new StringBuilder(text).insert(at, bad));
  }

  /** Containers nested around the depth limit, on and off the test's paths. */
  private byte[] deep() {
    sb.setLength(0);
    int depth = depthLimit - 2 + rnd.nextInt(5);
    String prefix = rnd.nextBoolean() ? "{\"a\":" : "{\"x\":";
    sb.append(prefix);
    for (int i = 1; i < depth; i++) {
      sb.append(rnd.nextBoolean() ? "[" : "{\"a\":");
    }
    StringBuilder closing = new StringBuilder();
    for (int i = sb.length() - 1; i >= prefix.length(); i--) {
      char ch = sb.charAt(i);
      if (ch == '[') {
        closing.append(']');
      } else if (ch == '{') {
        closing.append('}');
      }
    }
    sb.append(rnd.nextBoolean() ? "1" : "\"v\"").append(closing).append('}');
    if (rnd.nextInt(4) == 0) {
      sb.append(rnd.nextBoolean() ? "x" : "\u00e9"); // trailing junk after a (too) deep text
    }
    byte[] doc = utf8(sb);
    if (rnd.nextInt(4) == 0) {
      doc = mutate(doc);
    }
    return doc;
  }

  private byte[] randomBytes(int len, boolean jsonAlphabet) {
    byte[] b = new byte[len];
    if (!jsonAlphabet) {
      rnd.nextBytes(b);
      return b;
    }
    byte[] alphabet = "{}[]\":,\\ 0123456789-+.eEtruefalsn\u0001a".getBytes(StandardCharsets.ISO_8859_1);
    for (int i = 0; i < len; i++) {
      b[i] = alphabet[rnd.nextInt(alphabet.length)];
    }
    return b;
  }

  byte[] mutate(byte[] doc) {
    byte[] out = doc.clone();
    for (int m = rnd.nextInt(1, 4); m > 0 && out.length > 0; m--) {
      int at = rnd.nextInt(out.length);
      switch (rnd.nextInt(4)) {
        case 0 -> out[at] = (byte) rnd.nextInt(256);
        case 1 -> out[at] = (byte) MUTATIONS.charAt(rnd.nextInt(MUTATIONS.length()));
        case 2 -> {
          byte[] shorter = new byte[out.length - 1];
          System.arraycopy(out, 0, shorter, 0, at);
          System.arraycopy(out, at + 1, shorter, at, out.length - at - 1);
          out = shorter;
        }
        default -> {
          byte[] longer = new byte[out.length + 1];
          System.arraycopy(out, 0, longer, 0, at);
          longer[at] = out[rnd.nextInt(out.length)];
          System.arraycopy(out, at, longer, at + 1, out.length - at);
          out = longer;
        }
      }
    }
    return out;
  }

  private void object(int depth, int budget) {
    sb.append('{');
    int members = budget <= 0 ? 0 : rnd.nextInt(0, 6);
    for (int i = 0; i < members; i++) {
      if (i > 0) {
        sb.append(',');
      }
      ws();
      sb.append('"').append(pick(NAMES)).append('"');
      ws();
      sb.append(':');
      ws();
      value(depth + 1, budget - 1);
      ws();
    }
    if (members == 0) {
      ws();
    }
    sb.append('}');
  }

  private void array(int depth, int budget) {
    sb.append('[');
    int elements = budget <= 0 ? 0 : rnd.nextInt(0, 5);
    for (int i = 0; i < elements; i++) {
      if (i > 0) {
        sb.append(',');
      }
      ws();
      value(depth + 1, budget - 1);
      ws();
    }
    sb.append(']');
  }

  private void value(int depth, int budget) {
    switch (rnd.nextInt(budget > 0 ? 9 : 6)) {
      case 0, 1 -> sb.append('"').append(pick(STRINGS)).append('"');
      case 2 -> sb.append(pick(NUMBERS));
      case 3 -> sb.append(rnd.nextBoolean() ? "true" : "false");
      case 4 -> sb.append("null");
      case 5 -> sb.append(rnd.nextLong());
      case 6, 7 -> object(depth, budget);
      default -> array(depth, budget);
    }
  }

  private void ws() {
    sb.append(pick(WHITESPACE));
  }

  private String pick(String[] options) {
    return options[rnd.nextInt(options.length)];
  }

  private static byte[] utf8(CharSequence s) {
    return s.toString().getBytes(StandardCharsets.UTF_8);
  }
}
