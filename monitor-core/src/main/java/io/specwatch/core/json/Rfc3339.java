package io.specwatch.core.json;

import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeFormatterBuilder;

/**
 * The contract's time strings: {@code YYYY-MM-DDTHH:MM:SS[.fraction](Z|±HH:MM)}, {@code T} and
 * {@code Z} in either case, the fraction truncated to milliseconds, a real calendar date and no
 * leap second. Parsed by hand: strict, allocation-free, and no surprises from lenient parsers.
 */
public final class Rfc3339 {
  /** Returned by {@link #parse} for a string that is not a valid time. */
  public static final long INVALID = Long.MIN_VALUE;

  private static final DateTimeFormatter OUTPUT = new DateTimeFormatterBuilder()
      .appendInstant(3).toFormatter();

  private Rfc3339() {}

  /** Epoch milliseconds, or {@link #INVALID}. (Long.MIN_VALUE ms is far outside years 0-9999.) */
  public static long parse(CharSequence s) {
    int n = s.length();
    if (n < 20) {
      return INVALID;
    }
    int year = digits(s, 0, 4);
    if (year < 0 || s.charAt(4) != '-') {
      return INVALID;
    }
    int month = digits(s, 5, 2);
    if (month < 1 || month > 12 || s.charAt(7) != '-') {
      return INVALID;
    }
    int day = digits(s, 8, 2);
    if (day < 1 || day > daysInMonth(year, month)) {
      return INVALID;
    }
    char t = s.charAt(10);
    if (t != 'T' && t != 't') {
      return INVALID;
    }
    int hour = digits(s, 11, 2);
    int minute = digits(s, 14, 2);
    int second = digits(s, 17, 2);
    if (hour < 0 || hour > 23 || s.charAt(13) != ':' || minute < 0 || minute > 59
        || s.charAt(16) != ':' || second < 0 || second > 59) {
      return INVALID;
    }
    int i = 19;
    int millis = 0;
    if (s.charAt(i) == '.') {
      i++;
      int start = i;
      while (i < n && s.charAt(i) >= '0' && s.charAt(i) <= '9') {
        if (i - start < 3) {
          millis = millis * 10 + (s.charAt(i) - '0');
        }
        i++;
      }
      int count = i - start;
      if (count == 0) {
        return INVALID;
      }
      for (int k = count; k < 3; k++) {
        millis *= 10;
      }
    }
    if (i >= n) {
      return INVALID;
    }
    int offsetMinutes;
    char z = s.charAt(i);
    if (z == 'Z' || z == 'z') {
      offsetMinutes = 0;
      i++;
    } else if (z == '+' || z == '-') {
      if (n - i != 6) {
        return INVALID;
      }
      int oh = digits(s, i + 1, 2);
      int om = digits(s, i + 4, 2);
      if (oh < 0 || oh > 23 || s.charAt(i + 3) != ':' || om < 0 || om > 59) {
        return INVALID;
      }
      offsetMinutes = (oh * 60 + om) * (z == '-' ? -1 : 1);
      i += 6;
    } else {
      return INVALID;
    }
    if (i != n) {
      return INVALID;
    }
    long days = daysFromCivil(year, month, day);
    long seconds = days * 86400L + hour * 3600L + minute * 60L + second - offsetMinutes * 60L;
    return seconds * 1000L + millis;
  }

  /** Formats epoch milliseconds as {@code 2026-03-02T09:00:00.000Z}. */
  public static String format(long epochMillis) {
    return OUTPUT.format(Instant.ofEpochMilli(epochMillis));
  }

  private static int digits(CharSequence s, int from, int count) {
    int v = 0;
    for (int i = from; i < from + count; i++) {
      char c = s.charAt(i);
      if (c < '0' || c > '9') {
        return -1;
      }
      v = v * 10 + (c - '0');
    }
    return v;
  }

  private static boolean isLeap(int y) {
    return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
  }

  private static int daysInMonth(int y, int m) {
    return switch (m) {
      case 2 -> isLeap(y) ? 29 : 28;
      case 4, 6, 9, 11 -> 30;
      default -> 31;
    };
  }

  /** Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's algorithm). */
  private static long daysFromCivil(int y, int m, int d) {
    y -= m <= 2 ? 1 : 0;
    long era = (y >= 0 ? y : y - 399) / 400;
    long yoe = y - era * 400;
    long doy = (153L * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    long doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + doe - 719468;
  }
}
