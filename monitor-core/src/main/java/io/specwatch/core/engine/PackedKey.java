package io.specwatch.core.engine;

import io.specwatch.core.eval.Frame;
import java.nio.charset.StandardCharsets;

/**
 * An entity key in the form {@link InstanceTable} keeps it inside a row, made once per decoded
 * event (by {@link Admission}, on the decode stage) so that finding the instance compares a word
 * or two instead of walking the string: word 0 holds the length in its low byte and the first 7
 * characters above it, each further word 8 more characters, little-endian, one byte a character.
 *
 * <p>Only keys of at most {@link InstanceTable#MAX_INLINE_CHARS} Latin-1 characters have this
 * form; for any other key {@link #wordCount} is 0 and the table compares strings.
 *
 * <p><b>The key's {@code String} is made only when asked for.</b> A key that is unescaped ASCII
 * in the document, or an integer, is packed straight from the document's bytes
 * ({@link #packAscii}, {@link #packLong}); {@link #key()} makes the string from the words the
 * first time a violation or an {@code e.key} expression needs it. A {@code String} per event was
 * the only allocation left on the pipeline's publishing thread (about 56 bytes an event, in
 * load-tests/README.md, "Session 9").
 */
final class PackedKey extends PackedText implements Frame.KeyText {
  /** Enough words for the longest inline key: its length byte and 62 characters. */
  static final int MAX_WORDS = (InstanceTable.MAX_INLINE_CHARS >>> 3) + 1;

  final long[] words = new long[MAX_WORDS];
  /** Words in use: {@code (length >>> 3) + 1}, or 0 when the key is not kept inline. */
  int wordCount;
  /** The key's text; null while not made yet (see the class comment) or when there is no key. */
  private String key;
  /** {@code key().hashCode()}. */
  int hash;

  /** No key: {@link #key()} is null until the next pack. */
  void clear() {
    key = null;
    wordCount = 0;
  }

  /** The key's text (made from the words on first use), or null after {@link #clear}. */
  String key() {
    String k = key;
    if (k == null && wordCount > 0) {
      k = unpack();
      key = k;
    }
    return k;
  }

  @Override
  public String text() {
    return key();
  }

  /**
   * Packs the text {@code bytes[from, to)}, which must be ASCII, as {@link #pack} would pack its
   * string (same words, same hash: {@code String.hashCode} of a Latin-1 string), without making
   * the string.
   */
  @Override
  void packAscii(byte[] bytes, int from, int to) {
    int len = to - from;
    if (len > InstanceTable.MAX_INLINE_CHARS) {
      pack(new String(bytes, from, len, StandardCharsets.ISO_8859_1)); // kept as a string anyway
      return;
    }
    key = null;
    int h = 0;
    long word = len;
    for (int i = 0; i < len; i++) {
      int b = i + 1;
      if ((b & 7) == 0) {
        words[(b >>> 3) - 1] = word;
        word = 0;
      }
      int c = bytes[from + i] & 0xFF;
      h = 31 * h + c;
      word |= (long) c << ((b & 7) << 3);
    }
    words[len >>> 3] = word;
    wordCount = (len >>> 3) + 1;
    hash = h;
  }

  private String unpack() {
    int len = (int) words[0] & 0xFF;
    byte[] bytes = new byte[len];
    for (int i = 0; i < len; i++) {
      int b = i + 1;
      bytes[i] = (byte) (words[b >>> 3] >>> ((b & 7) << 3));
    }
    return new String(bytes, StandardCharsets.ISO_8859_1);
  }

  /** Packs {@code key}; unused words are left as they were (they are never compared). */
  @Override
  void pack(String key) {
    this.key = key;
    this.hash = key.hashCode();
    int len = key.length();
    if (len > InstanceTable.MAX_INLINE_CHARS) {
      wordCount = 0;
      return;
    }
    long word = len;
    for (int i = 0; i < len; i++) {
      int b = i + 1;
      if ((b & 7) == 0) {
        words[(b >>> 3) - 1] = word;
        word = 0;
      }
      char c = key.charAt(i);
      if (c > 0xFF) {
        wordCount = 0;
        return;
      }
      word |= (long) c << ((b & 7) << 3);
    }
    words[len >>> 3] = word; // the word holding byte len, the last one
    wordCount = (len >>> 3) + 1;
  }
}
