package io.specwatch.core.json;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;

/**
 * Strict UTF-8 validation (RFC 3629, Unicode table 3-7): no overlong forms, no encoded surrogates,
 * nothing above U+10FFFF, no truncated sequence.
 *
 * <p>Jackson rejects some invalid UTF-8 but accepts overlong forms, encoded surrogates and code
 * points above U+10FFFF, both in strings it decodes and in strings it skips; the contract says a
 * line that is not valid UTF-8 is malformed, so {@link DocumentDecoder} checks every line here
 * first. ASCII, the common case, is checked 32 (then 8) bytes at a time.
 */
public final class Utf8 {
  private static final VarHandle LONGS =
      MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
  private static final long HIGH_BITS = 0x8080808080808080L;

  private Utf8() {}

  /** True when {@code len} bytes of {@code b} from {@code off} are well-formed UTF-8. */
  public static boolean isValid(byte[] b, int off, int len) {
    int i = off;
    final int end = off + len;
    while (i < end) {
      while (i + 32 <= end && (((long) LONGS.get(b, i) | (long) LONGS.get(b, i + 8)
          | (long) LONGS.get(b, i + 16) | (long) LONGS.get(b, i + 24)) & HIGH_BITS) == 0) {
        i += 32;
      }
      while (i + 8 <= end && ((long) LONGS.get(b, i) & HIGH_BITS) == 0) {
        i += 8;
      }
      if (i >= end) {
        break;
      }
      int c = b[i];
      if (c >= 0) {
        i++;
        continue;
      }
      c &= 0xFF;
      if (c < 0xC2) {
        return false; // a continuation byte without a lead, or an overlong 2-byte form (C0, C1)
      }
      if (c < 0xE0) {
        if (i + 1 >= end || !isContinuation(b[i + 1])) {
          return false;
        }
        i += 2;
      } else if (c < 0xF0) {
        if (i + 2 >= end) {
          return false;
        }
        int c1 = b[i + 1] & 0xFF;
        if (!isContinuation(b[i + 1]) || !isContinuation(b[i + 2])
            || (c == 0xE0 && c1 < 0xA0) // overlong
            || (c == 0xED && c1 > 0x9F)) { // a surrogate, U+D800..U+DFFF
          return false;
        }
        i += 3;
      } else if (c < 0xF5) {
        if (i + 3 >= end) {
          return false;
        }
        int c1 = b[i + 1] & 0xFF;
        if (!isContinuation(b[i + 1]) || !isContinuation(b[i + 2]) || !isContinuation(b[i + 3])
            || (c == 0xF0 && c1 < 0x90) // overlong
            || (c == 0xF4 && c1 > 0x8F)) { // above U+10FFFF
          return false;
        }
        i += 4;
      } else {
        return false; // F5..FF never occur in UTF-8
      }
    }
    return true;
  }

  private static boolean isContinuation(byte b) {
    return (b & 0xC0) == 0x80;
  }
}
