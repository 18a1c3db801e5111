package io.specwatch.core.engine;

/**
 * Shares equal short strings between documents: a direct-mapped cache of the last short string
 * seen per hash bucket. Event fields such as a currency or a status code are parsed into a fresh
 * string per document, and a handler that stores one in the state would keep one copy per
 * instance (about 48 bytes for "EUR"); through this cache millions of instances share a few.
 * A miss costs one hash and one comparison; nothing is ever evicted but by a colliding string.
 */
final class SmallStringCache {
  /** Longer strings are rarely repeated values (ids, messages): not worth the comparison. */
  static final int MAX_LENGTH = 16;
  private static final int SIZE = 512;

  private final String[] entries = new String[SIZE];

  String share(String s) {
    if (s == null || s.length() > MAX_LENGTH) {
      return s;
    }
    int h = s.hashCode();
    int i = (h ^ (h >>> 16)) & (SIZE - 1);
    String cached = entries[i];
    if (s.equals(cached)) {
      return cached;
    }
    entries[i] = s;
    return s;
  }
}
