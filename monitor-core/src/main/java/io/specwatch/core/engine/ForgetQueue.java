package io.specwatch.core.engine;

import java.util.Arrays;

/**
 * Ended instances waiting to be forgotten, by the event time at which they may be: a binary heap
 * of (time, entity type, instance id) in primitive arrays, so that ending an instance allocates
 * nothing. An entry may be stale (its instance was forgotten early, or its id reused): the caller
 * checks it against the table when it pops. A successful poll leaves the entry in
 * {@link #polledEntity}, {@link #polledId} and {@link #polledAt}.
 */
final class ForgetQueue {
  private long[] ats = new long[16];
  private int[] entities = new int[16];
  private int[] ids = new int[16];
  private int size;

  int polledEntity;
  int polledId;
  long polledAt;

  void add(long at, int entity, int id) {
    if (size == ats.length) {
      ats = Arrays.copyOf(ats, size * 2);
      entities = Arrays.copyOf(entities, size * 2);
      ids = Arrays.copyOf(ids, size * 2);
    }
    int i = size++;
    while (i > 0) {
      int parent = (i - 1) >>> 1;
      if (ats[parent] <= at) {
        break;
      }
      copy(parent, i);
      i = parent;
    }
    ats[i] = at;
    entities[i] = entity;
    ids[i] = id;
  }

  /** Pops the earliest entry due at or before {@code watermark}; false when there is none. */
  boolean pollDue(long watermark) {
    if (size == 0 || ats[0] > watermark) {
      return false;
    }
    polledAt = ats[0];
    polledEntity = entities[0];
    polledId = ids[0];
    size--;
    if (size > 0) {
      long at = ats[size];
      int entity = entities[size];
      int id = ids[size];
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
        copy(child, i);
        i = child;
      }
      ats[i] = at;
      entities[i] = entity;
      ids[i] = id;
    }
    return true;
  }

  private void copy(int from, int to) {
    ats[to] = ats[from];
    entities[to] = entities[from];
    ids[to] = ids[from];
  }
}
