package io.specwatch.core.json;

import java.util.Arrays;

/**
 * The values a document holds at the paths the specs use, captured by one streaming pass of
 * {@link DocumentDecoder}. Slot {@code i} is the i-th path the decoder was built with. The arrays
 * are reused from document to document.
 */
public final class Document {
  final byte[] kinds;
  final long[] longs;
  final String[] strings;

  Document(int slots) {
    kinds = new byte[slots];
    longs = new long[slots];
    strings = new String[slots];
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

  public String stringValue(int slot) {
    return strings[slot];
  }

  /** A key or id: a string, or an integer as its decimal text; null when neither. */
  public String keyText(int slot) {
    return switch (kinds[slot]) {
      case JsonKind.STRING -> strings[slot];
      case JsonKind.INT -> Long.toString(longs[slot]);
      default -> null;
    };
  }
}
