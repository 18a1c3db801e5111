package io.specwatch.core.engine;

import java.util.Arrays;

/**
 * A min-heap of (time, id hash) pairs in two parallel arrays: when each remembered event id may be
 * forgotten. Replaces a {@code PriorityQueue} of records with a comparator lambda, which cost an
 * object per accepted document and a megamorphic comparison per sift step. Ids arrive in nearly
 * increasing time order, so adding is usually one comparison. It keeps the id's hash, not the id
 * (session 4): {@link DedupeMemory} forgets the entry with that hash whose time is due, and the
 * table keeps short ids inside its rows, with no {@code String} to point at.
 */
final class ExpiryHeap {
  private long[] ats = new long[64];
  private int[] hashes = new int[64];
  private int size;

  int size() {
    return size;
  }

  void add(long at, int hash) {
    if (size == ats.length) {
      ats = Arrays.copyOf(ats, size * 2);
      hashes = Arrays.copyOf(hashes, size * 2);
    }
    int i = size++;
    while (i > 0) {
      int parent = (i - 1) >>> 1;
      if (ats[parent] <= at) {
        break;
      }
      ats[i] = ats[parent];
      hashes[i] = hashes[parent];
      i = parent;
    }
    ats[i] = at;
    hashes[i] = hash;
  }

  /** The earliest time; only when not empty. */
  long peekAt() {
    return ats[0];
  }

  /** The id hash of the earliest entry; only when not empty. */
  int peekHash() {
    return hashes[0];
  }

  void removeTop() {
    size--;
    long at = ats[size];
    int hash = hashes[size];
    if (size == 0) {
      return;
    }
    int i = 0;
    while (true) {
      int child = 2 * i + 1;
      if (child >= size) {
        break;
      }
      if (child + 1 < size && ats[child + 1] < ats[child]) {
        child++;
      }
      if (ats[child] >= at) {
        break;
      }
      ats[i] = ats[child];
      hashes[i] = hashes[child];
      i = child;
    }
    ats[i] = at;
    hashes[i] = hash;
  }

  void clear() {
    size = 0;
  }
}
