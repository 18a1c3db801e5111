package io.specwatch.core.json;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * One node of {@link DocumentDecoder}'s path trie: the member names and array indexes below it
 * that some path continues through, and the document slot of the path that ends here (-1 if
 * none).
 *
 * <p>Member names are looked up by their raw UTF-8 bytes in the document ({@link #child(byte[],
 * int, int)}), so that matching a name costs no {@code String}: valid UTF-8 has one encoding per
 * string, so equal bytes mean equal names. Only a name written with escapes ({@code "p\u0061y"})
 * is decoded and looked up as a string ({@link #child(String)}).
 */
final class PathNode {
  private final Map<String, PathNode> keys = new HashMap<>();
  private final Map<Integer, PathNode> indexes = new HashMap<>();
  /** The slot of the path ending here, or -1. */
  int slot = -1;
  /** Every slot at or below this node: what a duplicate member clears before it is re-read. */
  int[] subtreeSlots = new int[0];
  /** The decoder's document counter when this node was last captured (duplicate detection). */
  int seenGeneration;

  // Lookup tables built by freeze(): open addressing over the names' UTF-8 bytes.
  private byte[][] nameBytes = new byte[1][];
  private PathNode[] nameNodes = new PathNode[1];
  private int nameMask;
  private int[] indexKeys = new int[0];
  private PathNode[] indexNodes = new PathNode[0];

  PathNode childForKey(String key) {
    return keys.computeIfAbsent(key, k -> new PathNode());
  }

  PathNode childForIndex(int index) {
    return indexes.computeIfAbsent(index, k -> new PathNode());
  }

  boolean hasKeys() {
    return !keys.isEmpty();
  }

  boolean hasIndexes() {
    return indexKeys.length > 0;
  }

  /** The child for a member name written without escapes: {@code len} UTF-8 bytes at {@code off}. */
  PathNode child(byte[] b, int off, int len) {
    int mask = nameMask;
    for (int i = hash(b, off, len) & mask; ; i = (i + 1) & mask) {
      byte[] name = nameBytes[i];
      if (name == null) {
        return null;
      }
      if (name.length == len && Arrays.equals(name, 0, len, b, off, off + len)) {
        return nameNodes[i];
      }
    }
  }

  /** The child for a member name as decoded text (names with escapes). */
  PathNode child(String name) {
    return keys.get(name);
  }

  /** The child for array element {@code index}, or null. */
  PathNode childAt(int index) {
    int[] k = indexKeys;
    for (int i = 0; i < k.length; i++) {
      if (k[i] == index) {
        return indexNodes[i];
      }
    }
    return null;
  }

  /** Builds the lookup tables of this node and everything below it; returns its subtree slots. */
  List<Integer> freeze() {
    List<Integer> all = new ArrayList<>();
    if (slot >= 0) {
      all.add(slot);
    }
    int size = Integer.highestOneBit(Math.max(2, keys.size()) * 2) * 2;
    nameBytes = new byte[size][];
    nameNodes = new PathNode[size];
    nameMask = keys.isEmpty() ? 0 : size - 1;
    for (Map.Entry<String, PathNode> e : keys.entrySet()) {
      all.addAll(e.getValue().freeze());
      byte[] utf8 = Document.utf8Of(e.getKey()); // null: only an escape can spell it
      if (utf8 != null) {
        int i = hash(utf8, 0, utf8.length) & nameMask;
        while (nameBytes[i] != null) {
          i = (i + 1) & nameMask;
        }
        nameBytes[i] = utf8;
        nameNodes[i] = e.getValue();
      }
    }
    indexKeys = new int[indexes.size()];
    indexNodes = new PathNode[indexes.size()];
    int n = 0;
    for (Map.Entry<Integer, PathNode> e : indexes.entrySet()) {
      all.addAll(e.getValue().freeze());
      indexKeys[n] = e.getKey();
      indexNodes[n++] = e.getValue();
    }
    subtreeSlots = all.stream().mapToInt(Integer::intValue).toArray();
    return all;
  }

  /** Cheap and good enough for a handful of names: the length and the first and last bytes. */
  private static int hash(byte[] b, int off, int len) {
    if (len == 0) {
      return 0;
    }
    int h = (len * 31 + b[off]) * 31 + b[off + len - 1];
    h *= 0x9E3779B9;
    return h ^ (h >>> 16);
  }
}
