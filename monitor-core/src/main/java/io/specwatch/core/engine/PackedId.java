package io.specwatch.core.engine;

import java.nio.charset.StandardCharsets;

/**
 * An event id in the form {@link IdTimeTable} keeps it in a row: the meta word ({@code hash << 32
 * | length << 8 | OCCUPIED}) and three words of characters, one byte each, little-endian and
 * zero-padded; an id longer than {@link #INLINE_CHARS} or not Latin-1 is kept as its string
 * ({@link #overflow}) with the length {@link #OVERFLOW_LENGTH}.
 *
 * <p>Packed straight from the document's bytes when the id is unescaped ASCII or an integer
 * ({@link #packAscii}, {@link #packLong}), so that deduplicating a document makes no
 * {@code String}; {@link #text()} makes one only when it is needed (ids accepted hours late, the
 * memory without event time, checkpoints). Same words and hash as packing the id's string.
 */
final class PackedId extends PackedText {
  /** Ids of up to this many Latin-1 characters live inside their row. */
  static final int INLINE_CHARS = 24;
  static final long OCCUPIED = 1L;
  /** The length field of an id kept as a string. */
  static final int OVERFLOW_LENGTH = 0xFF;

  long meta;
  long w0;
  long w1;
  long w2;
  /** The id when it is not kept inline, else null. */
  String overflow;
  /** The id's text once made (always for an overflow id), else null. */
  private String text;

  /** {@code text().hashCode()}. */
  int hash() {
    return (int) (meta >>> 32);
  }

  /** The id's text, made from the words on first use. */
  String text() {
    String t = text;
    if (t == null) {
      int n = (int) (meta >>> 8) & 0xFF;
      byte[] latin1 = new byte[n];
      for (int k = 0; k < n; k++) {
        long w = k < 8 ? w0 : k < 16 ? w1 : w2;
        latin1[k] = (byte) (w >>> ((k & 7) << 3));
      }
      t = new String(latin1, StandardCharsets.ISO_8859_1);
      text = t;
    }
    return t;
  }

  @Override
  void pack(String id) {
    text = id;
    int n = id.length();
    long hashBits = (long) id.hashCode() << 32;
    if (n <= INLINE_CHARS && isLatin1(id)) {
      w0 = word(id, 0, Math.min(n, 8));
      w1 = word(id, 8, Math.min(n, 16));
      w2 = word(id, 16, n);
      overflow = null;
      meta = hashBits | (long) n << 8 | OCCUPIED;
      return;
    }
    w0 = 0;
    w1 = 0;
    w2 = 0;
    overflow = id;
    meta = hashBits | (long) OVERFLOW_LENGTH << 8 | OCCUPIED;
  }

  /** Packs the text {@code bytes[from, to)}, which must be ASCII, without making a string. */
  @Override
  void packAscii(byte[] bytes, int from, int to) {
    int n = to - from;
    if (n > INLINE_CHARS) {
      pack(new String(bytes, from, n, StandardCharsets.ISO_8859_1)); // kept as a string anyway
      return;
    }
    text = null;
    overflow = null;
    int h = 0;
    long a = 0;
    long b = 0;
    long c = 0;
    for (int k = 0; k < n; k++) {
      int ch = bytes[from + k] & 0xFF;
      h = 31 * h + ch;
      long shifted = (long) ch << ((k & 7) << 3);
      if (k < 8) {
        a |= shifted;
      } else if (k < 16) {
        b |= shifted;
      } else {
        c |= shifted;
      }
    }
    w0 = a;
    w1 = b;
    w2 = c;
    meta = (long) h << 32 | (long) n << 8 | OCCUPIED;
  }

  private static boolean isLatin1(String id) {
    for (int k = 0; k < id.length(); k++) {
      if (id.charAt(k) > 0xFF) {
        return false;
      }
    }
    return true;
  }

  /** Characters {@code from} to {@code to} of {@code id}, one byte each. */
  private static long word(String id, int from, int to) {
    long w = 0;
    for (int k = from; k < to; k++) {
      w |= (long) (id.charAt(k) & 0xFF) << ((k - from) << 3);
    }
    return w;
  }
}
