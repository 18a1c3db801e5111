package io.specwatch.ingest.otlp;

import com.google.protobuf.ByteString;

/**
 * Trace and span ids as OTLP carries them (16 and 8 raw bytes) turned into the lower-case hex
 * the W3C trace context and every tracing UI use. Empty and all-zero ids mean "none" (the
 * OpenTelemetry spec calls an all-zero id invalid); any other length is an error.
 */
final class TraceIds {
  static final int TRACE_ID_BYTES = 16;
  static final int SPAN_ID_BYTES = 8;
  private static final char[] HEX = "0123456789abcdef".toCharArray();

  private TraceIds() {}

  /** Thrown for an id of the wrong length; the mapper rejects the record with the message. */
  static final class BadId extends Exception {
    BadId(String field, int expected, int actual) {
      super(field + " must be " + expected + " bytes, was " + actual, null, false, false);
    }
  }

  /** The id as hex, or null when it is absent (empty or all zeros). */
  static String hex(ByteString id, String field, int expectedBytes) throws BadId {
    int n = id.size();
    if (n == 0) {
      return null;
    }
    if (n != expectedBytes) {
      throw new BadId(field, expectedBytes, n);
    }
    boolean allZero = true;
    char[] out = new char[n * 2];
    for (int i = 0; i < n; i++) {
      int b = id.byteAt(i) & 0xFF;
      allZero &= b == 0;
      out[2 * i] = HEX[b >> 4];
      out[2 * i + 1] = HEX[b & 15];
    }
    return allZero ? null : new String(out);
  }
}
