package io.specwatch.load;

/**
 * Fast RFC 3339 formatting of epoch milliseconds for the generator: {@code 2026-03-02T09:00:01.234Z},
 * or local time with a numeric offset ({@code 2026-03-02T14:30:01.234+05:30}). The date part is
 * cached per day. Years 0 to 9999 only.
 */
final class Rfc3339Format {
  private static final long DAY = 86_400_000L;
  private long cachedDay = Long.MIN_VALUE;
  private String cachedDate;

  void append(StringBuilder b, long epochMillis) {
    appendLocal(b, epochMillis);
    b.append('Z');
  }

  void appendOffset(StringBuilder b, long epochMillis, int offsetMinutes) {
    appendLocal(b, epochMillis + offsetMinutes * 60_000L);
    int m = Math.abs(offsetMinutes);
    b.append(offsetMinutes < 0 ? '-' : '+');
    two(b, m / 60);
    b.append(':');
    two(b, m % 60);
  }

  private void appendLocal(StringBuilder b, long ms) {
    long day = Math.floorDiv(ms, DAY);
    long inDay = Math.floorMod(ms, DAY);
    if (day != cachedDay) {
      cachedDay = day;
      cachedDate = civil(day);
    }
    b.append(cachedDate).append('T');
    two(b, (int) (inDay / 3_600_000));
    b.append(':');
    two(b, (int) (inDay / 60_000 % 60));
    b.append(':');
    two(b, (int) (inDay / 1000 % 60));
    b.append('.');
    int frac = (int) (inDay % 1000);
    b.append((char) ('0' + frac / 100)).append((char) ('0' + frac / 10 % 10))
        .append((char) ('0' + frac % 10));
  }

  /** For messages: UTC, or a placeholder outside years 0..9999. */
  static String format(long epochMillis) {
    if (epochMillis < -62_167_219_200_000L || epochMillis > 253_402_300_799_999L) {
      return "(" + epochMillis + " ms)";
    }
    StringBuilder b = new StringBuilder(24);
    new Rfc3339Format().append(b, epochMillis);
    return b.toString();
  }

  private static void two(StringBuilder b, int v) {
    b.append((char) ('0' + v / 10)).append((char) ('0' + v % 10));
  }

  /** Days since 1970-01-01 to {@code YYYY-MM-DD} (H. Hinnant's civil_from_days). */
  private static String civil(long z) {
    z += 719_468;
    long era = Math.floorDiv(z, 146_097);
    long doe = z - era * 146_097;
    long yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    long y = yoe + era * 400;
    long doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    long mp = (5 * doy + 2) / 153;
    long d = doy - (153 * mp + 2) / 5 + 1;
    long m = mp < 10 ? mp + 3 : mp - 9;
    if (m <= 2) {
      y++;
    }
    return String.format(java.util.Locale.ROOT, "%04d-%02d-%02d", y, m, d);
  }
}
