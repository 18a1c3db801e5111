package io.specwatch.load.bench;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;

/**
 * The JSON lines of one batch of events, copied out of a {@link LineCursor} into one array, so
 * that engines reading JSON get their bytes without the file read in the timed region.
 */
final class LineBatch implements AutoCloseable {
  private final LineCursor cursor;
  private byte[] bytes = new byte[1 << 20];
  private int[] offsets = new int[1025];
  private int from;
  private int count;
  private int next;

  LineBatch(Path file) throws IOException {
    this.cursor = new LineCursor(file);
  }

  /** Reads the lines of events {@code [from, to)}; they must follow the previous batch. */
  void load(int from, int to) throws IOException {
    if (from != next) {
      throw new IllegalStateException("batches must be consecutive: " + from + " after " + next);
    }
    int n = to - from;
    if (offsets.length < n + 1) {
      offsets = new int[n + 1];
    }
    int pos = 0;
    for (int i = 0; i < n; i++) {
      if (!cursor.next()) {
        throw new IOException("the log ends before event " + (from + i));
      }
      int len = cursor.len();
      if (pos + len > bytes.length) {
        bytes = Arrays.copyOf(bytes, Math.max(bytes.length * 2, pos + len));
      }
      System.arraycopy(cursor.buf(), cursor.off(), bytes, pos, len);
      offsets[i] = pos;
      pos += len;
    }
    offsets[n] = pos;
    this.from = from;
    this.count = n;
    this.next = to;
  }

  byte[] bytes() {
    return bytes;
  }

  /** Offset of event {@code i}'s line (an index of the workload, inside the loaded batch). */
  int off(int i) {
    return offsets[i - from];
  }

  int len(int i) {
    return offsets[i - from + 1] - offsets[i - from];
  }

  int size() {
    return count;
  }

  @Override
  public void close() throws IOException {
    cursor.close();
  }
}
