package io.specwatch.cli.demo;

import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.util.Arrays;

/**
 * A growable byte buffer that the simulator writes one compact JSON document into, without
 * building strings: the source thread generates hundreds of thousands of documents a second.
 */
final class DocumentBuffer {
  private static final long MILLIS_PER_DAY = 86_400_000L;
  private static final byte[] HEX = "0123456789abcdef".getBytes(StandardCharsets.US_ASCII);

  private byte[] bytes = new byte[512];
  private int length;
  // RFC 3339 dates change once a simulated day: cache the "YYYY-MM-DDT" prefix.
  private long cachedDay = Long.MIN_VALUE;
  private final byte[] dayPrefix = new byte[11];

  void reset() {
    length = 0;
  }

  byte[] bytes() {
    return bytes;
  }

  int length() {
    return length;
  }

  /** Cuts the document to its first {@code n} bytes. */
  void truncate(int n) {
    length = n;
  }

  DocumentBuffer raw(byte[] b) {
    ensure(b.length);
    System.arraycopy(b, 0, bytes, length, b.length);
    length += b.length;
    return this;
  }

  /** Appends ASCII text verbatim (names and literals the simulator owns, never user input). */
  DocumentBuffer ascii(String s) {
    ensure(s.length());
    for (int i = 0; i < s.length(); i++) {
      bytes[length++] = (byte) s.charAt(i);
    }
    return this;
  }

  DocumentBuffer number(long v) {
    if (v < 0) {
      ensure(1);
      bytes[length++] = '-';
      v = -v; // amounts are small: never Long.MIN_VALUE
    }
    int digits = 1;
    for (long x = v; x >= 10; x /= 10) {
      digits++;
    }
    ensure(digits);
    for (int i = length + digits - 1; i >= length; i--) {
      bytes[i] = (byte) ('0' + v % 10);
      v /= 10;
    }
    length += digits;
    return this;
  }

  /** {@code v} in decimal, left-padded with zeros to {@code width} digits (v >= 0). */
  DocumentBuffer padded(long v, int width) {
    int digits = 1;
    for (long x = v; x >= 10; x /= 10) {
      digits++;
    }
    for (int i = digits; i < width; i++) {
      ensure(1);
      bytes[length++] = '0';
    }
    return number(v);
  }

  DocumentBuffer hex16(long v) {
    ensure(16);
    for (int shift = 60; shift >= 0; shift -= 4) {
      bytes[length++] = HEX[(int) (v >>> shift) & 0xf];
    }
    return this;
  }

  /** An RFC 3339 UTC time with milliseconds, e.g. {@code 2026-03-02T09:14:02.120Z}. */
  DocumentBuffer time(long epochMillis) {
    long day = Math.floorDiv(epochMillis, MILLIS_PER_DAY);
    if (day != cachedDay) {
      cachedDay = day;
      byte[] p = (LocalDate.ofEpochDay(day) + "T").getBytes(StandardCharsets.US_ASCII);
      System.arraycopy(p, 0, dayPrefix, 0, dayPrefix.length);
    }
    long ms = Math.floorMod(epochMillis, MILLIS_PER_DAY);
    raw(dayPrefix);
    padded(ms / 3_600_000, 2).ascii(":").padded(ms / 60_000 % 60, 2).ascii(":")
        .padded(ms / 1000 % 60, 2).ascii(".").padded(ms % 1000, 3).ascii("Z");
    return this;
  }

  byte[] copy() {
    return Arrays.copyOf(bytes, length);
  }

  private void ensure(int more) {
    if (length + more > bytes.length) {
      bytes = Arrays.copyOf(bytes, Math.max(bytes.length * 2, length + more));
    }
  }
}
