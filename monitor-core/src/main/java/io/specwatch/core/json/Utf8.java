package io.specwatch.core.json;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;

/**
 * Strict UTF-8 validation (RFC 3629, Unicode table 3-7): no overlong forms, no encoded surrogates,
 * nothing above U+10FFFF, no truncated sequence.
 *
 * <p>The contract says a line that is not valid UTF-8 is malformed. {@link JsonScanner} checks
 * the bytes of every string with {@link #sequenceEnd} as it parses them (bytes outside strings
 * must be ASCII JSON anyway); {@link #isValid} checks a whole range, for what the scanner did not
 * reach (the rest of a document nested too deep) and for other callers. ASCII, the common case, is
 * checked 32 (then 8) bytes at a time.
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
      if (b[i] >= 0) {
        i++;
        continue;
      }
      i = sequenceEnd(b, i, end);
      if (i < 0) {
        return false;
      }
    }
    return true;
  }

  /**
   * Where the multi-byte sequence whose lead byte is {@code b[i]} (a byte of 0x80 or more) ends,
   * or -1 when it is not well-formed UTF-8 within {@code end}: a continuation byte without a lead,
   * an overlong form, an encoded surrogate, a code point above U+10FFFF, a truncated sequence.
   * {@link JsonScanner} calls it on each non-ASCII byte of a string, so that a document is
   * checked in the same pass that parses it.
   */
  static int sequenceEnd(byte[] b, int i, int end) {
    int c = b[i] & 0xFF;
    if (c < 0xC2) {
      return -1; // a continuation byte without a lead, or an overlong 2-byte form (C0, C1)
    }
    if (c < 0xE0) {
      return i + 1 < end && isContinuation(b[i + 1]) ? i + 2 : -1;
    }
    if (c < 0xF0) {
      if (i + 2 >= end) {
        return -1;
      }
      int c1 = b[i + 1] & 0xFF;
      if (!isContinuation(b[i + 1]) || !isContinuation(b[i + 2])
          || (c == 0xE0 && c1 < 0xA0) // overlong
          || (c == 0xED && c1 > 0x9F)) { // a surrogate, U+D800..U+DFFF
        return -1;
      }
      return i + 3;
    }
    if (c < 0xF5) {
      if (i + 3 >= end) {
        return -1;
      }
      int c1 = b[i + 1] & 0xFF;
      if (!isContinuation(b[i + 1]) || !isContinuation(b[i + 2]) || !isContinuation(b[i + 3])
          || (c == 0xF0 && c1 < 0x90) // overlong
          || (c == 0xF4 && c1 > 0x8F)) { // above U+10FFFF
        return -1;
      }
      return i + 4;
    }
    return -1; // F5..FF never occur in UTF-8
  }

  private static boolean isContinuation(byte b) {
    return (b & 0xC0) == 0x80;
  }
}
