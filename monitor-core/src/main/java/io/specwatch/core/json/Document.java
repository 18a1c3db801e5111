package io.specwatch.core.json;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * The values a document holds at the paths the specs use, captured by one streaming pass of
 * {@link DocumentDecoder}. Slot {@code i} is the i-th path the decoder was built with. The arrays
 * are reused from document to document.
 *
 * <p><b>Strings are made only when asked for.</b> A string value without escapes is kept as where
 * its bytes are in the decoded buffer; {@link #stringValue} makes the {@code String} on first use,
 * while {@link #stringEquals} and {@link #timeValue} read the bytes. Most captured strings are
 * only compared ({@code when type == "payment.captured"}) or parsed (the event time), so a
 * {@code String} for each was garbage on the publishing thread, which limits the pipeline. The
 * buffer must therefore not change until the document has been admitted: callers admit a
 * document right after decoding it, on the same thread, from the same bytes, except the
 * pipeline's read-ahead, which decodes a few documents of a {@code DocumentBatch} before admitting
 * them and whose callers keep the batch's bytes unchanged until it returns.
 */
public final class Document {
  final byte[] kinds;
  final long[] longs;
  /** The string at a STRING slot once made (always for a value with escapes), else null. */
  final String[] strings;
  /** Where a STRING slot's bytes are in {@link #buf} while {@link #strings} has none for it. */
  final int[] starts;
  final int[] ends;
  /** Whether those bytes are all ASCII. */
  final boolean[] ascii;
  /** The bytes the document was decoded from. */
  byte[] buf;
  /** Reads ASCII bytes as characters, for {@link Rfc3339#parse}; reused. */
  private final AsciiSlice slice = new AsciiSlice();

  Document(int slots) {
    kinds = new byte[slots];
    longs = new long[slots];
    strings = new String[slots];
    starts = new int[slots];
    ends = new int[slots];
    ascii = new boolean[slots];
  }

  void clear() {
    Arrays.fill(kinds, JsonKind.MISSING);
    Arrays.fill(strings, null);
  }

  public byte kind(int slot) {
    return kinds[slot];
  }

  /** The integer value (INT) or the boolean as 0/1 (BOOL). */
  public long longValue(int slot) {
    return longs[slot];
  }

  /** The string value (STRING), or null for any other kind. */
  public String stringValue(int slot) {
    String s = strings[slot];
    if (s == null && kinds[slot] == JsonKind.STRING) {
      int len = ends[slot] - starts[slot];
      s = new String(buf, starts[slot], len,
          ascii[slot] ? StandardCharsets.ISO_8859_1 : StandardCharsets.UTF_8);
      strings[slot] = s;
    }
    return s;
  }

  /**
   * Whether the STRING at {@code slot} is {@code text}. {@code utf8} is {@link #utf8Of}
   * {@code (text)}: bytes are compared when the value had no escapes (both sides valid UTF-8, so
   * equal bytes are equal text), strings otherwise.
   */
  public boolean stringEquals(int slot, String text, byte[] utf8) {
    String s = strings[slot];
    if (s != null) {
      return s.equals(text);
    }
    // No UTF-8 form: the text has a lone surrogate, which only an escape can spell.
    return utf8 != null && Arrays.equals(buf, starts[slot], ends[slot], utf8, 0, utf8.length);
  }

  /**
   * {@code text} in UTF-8 for {@link #stringEquals}, or null when it has a lone surrogate (which
   * {@code getBytes} would turn into {@code ?}, and so match a document's {@code "?"}).
   */
  public static byte[] utf8Of(String text) {
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (Character.isHighSurrogate(c) && i + 1 < text.length()
          && Character.isLowSurrogate(text.charAt(i + 1))) {
        i++;
      } else if (Character.isSurrogate(c)) {
        return null;
      }
    }
    return text.getBytes(StandardCharsets.UTF_8);
  }

  /**
   * The STRING at {@code slot} read as an RFC 3339 time ({@link Rfc3339#parse}), or
   * {@link Rfc3339#INVALID}. From the bytes when they are ASCII and unescaped, which is the same
   * text; any other value goes through its string.
   */
  public long timeValue(int slot) {
    if (strings[slot] == null && ascii[slot]) {
      return Rfc3339.parse(slice.of(buf, starts[slot], ends[slot]));
    }
    return Rfc3339.parse(stringValue(slot));
  }

  /**
   * Whether the STRING at {@code slot} is unescaped ASCII still held as bytes: its text is then
   * {@code buf()[start(slot), end(slot))}, one character a byte, read without making a string.
   */
  public boolean isAsciiBytes(int slot) {
    return kinds[slot] == JsonKind.STRING && strings[slot] == null && ascii[slot];
  }

  /** The bytes the document was decoded from (see {@link #isAsciiBytes}). */
  public byte[] buf() {
    return buf;
  }

  public int start(int slot) {
    return starts[slot];
  }

  public int end(int slot) {
    return ends[slot];
  }

  /** A key or id: a string, or an integer as its decimal text; null when neither. */
  public String keyText(int slot) {
    return switch (kinds[slot]) {
      case JsonKind.STRING -> stringValue(slot);
      case JsonKind.INT -> Long.toString(longs[slot]);
      default -> null;
    };
  }

  /** ASCII bytes as a {@link CharSequence}, without copying them. */
  private static final class AsciiSlice implements CharSequence {
    private byte[] b;
    private int from;
    private int length;

    AsciiSlice of(byte[] bytes, int start, int end) {
      this.b = bytes;
      this.from = start;
      this.length = end - start;
      return this;
    }

    @Override
    public int length() {
      return length;
    }

    @Override
    public char charAt(int index) {
      if (index < 0 || index >= length) {
        throw new IndexOutOfBoundsException(index);
      }
      return (char) b[from + index]; // ASCII: the byte is the character
    }

    @Override
    public CharSequence subSequence(int start, int end) {
      return new String(b, from + start, end - start, StandardCharsets.ISO_8859_1);
    }

    @Override
    public String toString() {
      return new String(b, from, length, StandardCharsets.ISO_8859_1);
    }
  }
}
