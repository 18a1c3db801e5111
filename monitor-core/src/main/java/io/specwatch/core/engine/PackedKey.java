package io.specwatch.core.engine;

/**
 * An entity key in the form {@link InstanceTable} keeps it inside a row, made once per decoded
 * event (by {@link Admission}, on the decode stage) so that finding the instance compares a word
 * or two instead of walking the string: word 0 holds the length in its low byte and the first 7
 * characters above it, each further word 8 more characters, little-endian, one byte a character.
 *
 * <p>Only keys of at most {@link InstanceTable#MAX_INLINE_CHARS} Latin-1 characters have this
 * form; for any other key {@link #wordCount} is 0 and the table compares strings.
 */
final class PackedKey {
  /** Enough words for the longest inline key: its length byte and 62 characters. */
  static final int MAX_WORDS = (InstanceTable.MAX_INLINE_CHARS >>> 3) + 1;

  final long[] words = new long[MAX_WORDS];
  /** Words in use: {@code (length >>> 3) + 1}, or 0 when the key is not kept inline. */
  int wordCount;
  String key;
  /** {@code key.hashCode()}. */
  int hash;

  /** Packs {@code key}; unused words are left as they were (they are never compared). */
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
