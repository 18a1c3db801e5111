package io.specwatch.core.engine;

import java.util.Arrays;

/**
 * A min-heap of (time, id) pairs in two parallel arrays: when each remembered event id may be
 * forgotten. Replaces a {@code PriorityQueue} of records with a comparator lambda, which cost an
 * object per accepted document and a megamorphic comparison per sift step. Ids arrive in nearly
 * increasing time order, so adding is usually one comparison.
 */
final class ExpiryHeap {
  private long[] ats = new long[64];
  private String[] ids = new String[64];
  private int size;

  int size() {
    return size;
  }

  void add(long at, String id) {
    if (size == ats.length) {
      ats = Arrays.copyOf(ats, size * 2);
      ids = Arrays.copyOf(ids, size * 2);
    }
    int i = size++;
    while (i > 0) {
      int parent = (i - 1) >>> 1;
      if (ats[parent] <= at) {
        break;
      }
      ats[i] = ats[parent];
      ids[i] = ids[parent];
      i = parent;
    }
    ats[i] = at;
    ids[i] = id;
  }

  /** The earliest time; only when not empty. */
  long peekAt() {
    return ats[0];
  }

  /** The id of the earliest entry; only when not empty. */
  String peekId() {
    return ids[0];
  }

  void removeTop() {
    size--;
    long at = ats[size];
    String id = ids[size];
    ids[size] = null;
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
      ids[i] = ids[child];
      i = child;
    }
    ats[i] = at;
    ids[i] = id;
  }

  void clear() {
    Arrays.fill(ids, 0, size, null);
    size = 0;
  }
}
