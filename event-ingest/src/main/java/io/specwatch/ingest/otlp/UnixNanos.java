package io.specwatch.ingest.otlp;

/**
 * OTLP timestamps ({@code fixed64} nanoseconds since the epoch, 0 meaning unset) as RFC 3339
 * strings with all nine fraction digits, e.g. {@code 2026-03-02T09:00:00.123456789Z}: the form
 * a spec's {@code input { time PATH }} reads (it keeps milliseconds), without losing the
 * nanoseconds for anyone who reads the document.
 */
final class UnixNanos {
  private static final long NANOS_PER_SECOND = 1_000_000_000L;

  private UnixNanos() {}

  static boolean isSet(long unixNanos) {
    return unixNanos != 0;
  }

  /** The instant as RFC 3339 UTC with nanoseconds; the value is read as unsigned. */
  static String format(long unixNanos) {
    long seconds = Long.divideUnsigned(unixNanos, NANOS_PER_SECOND);
    long nanos = Long.remainderUnsigned(unixNanos, NANOS_PER_SECOND);
    long days = Math.floorDiv(seconds, 86_400L);
    long secondOfDay = Math.floorMod(seconds, 86_400L);
    // Civil date from days since 1970-01-01 (H. Hinnant's algorithm), valid for every fixed64.
    long z = days + 719_468;
    long era = Math.floorDiv(z, 146_097);
    long doe = z - era * 146_097;
    long yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    long doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    long mp = (5 * doy + 2) / 153;
    long day = doy - (153 * mp + 2) / 5 + 1;
    long month = mp < 10 ? mp + 3 : mp - 9;
    long year = yoe + era * 400 + (month <= 2 ? 1 : 0);
    char[] out = new char[30];
    put(out, 0, year, 4);
    out[4] = '-';
    put(out, 5, month, 2);
    out[7] = '-';
    put(out, 8, day, 2);
    out[10] = 'T';
    put(out, 11, secondOfDay / 3600, 2);
    out[13] = ':';
    put(out, 14, secondOfDay / 60 % 60, 2);
    out[16] = ':';
    put(out, 17, secondOfDay % 60, 2);
    out[19] = '.';
    put(out, 20, nanos, 9);
    out[29] = 'Z';
    return new String(out);
  }

  /** Milliseconds between two timestamps (end before start gives a negative duration). */
  static long millisBetween(long startNanos, long endNanos) {
    return Math.floorDiv(endNanos - startNanos, 1_000_000L);
  }

  private static void put(char[] out, int at, long value, int width) {
    for (int i = at + width - 1; i >= at; i--) {
      out[i] = (char) ('0' + value % 10);
      value /= 10;
    }
  }
}
