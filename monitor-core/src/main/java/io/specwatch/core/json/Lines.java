package io.specwatch.core.json;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;

/** Finding line ends in JSONL bytes, for every source that splits lines (and the benchmarks). */
public final class Lines {
  private Lines() {}

  private static final VarHandle LONGS =
      MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
  private static final long ONES = 0x0101010101010101L;
  private static final long HIGHS = 0x8080808080808080L;
  private static final long NEWLINES = ONES * '\n';

  /**
   * The index of the first LF in {@code b[from, to)}, or {@code to}. Eight bytes at a time: in
   * {@code check}'s profile the reader thread is the busier one, and a byte-at-a-time search was
   * 16 % of it. A byte of {@code w ^ NEWLINES} is zero exactly where {@code w} has an LF; the
   * lowest high bit of {@code (x - ONES) & ~x} marks the first zero byte (higher ones may be
   * false, but only the first is used).
   */
  public static int nextNewline(byte[] b, int from, int to) {
    int i = from;
    for (; i + 8 <= to; i += 8) {
      long x = (long) LONGS.get(b, i) ^ NEWLINES;
      long found = (x - ONES) & ~x & HIGHS;
      if (found != 0) {
        return i + (Long.numberOfTrailingZeros(found) >>> 3);
      }
    }
    for (; i < to; i++) {
      if (b[i] == '\n') {
        return i;
      }
    }
    return to;
  }
}
