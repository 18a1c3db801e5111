package io.specwatch.load.model;

import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Times as the contract defines them, written for the model: an integer of epoch milliseconds, or
 * an RFC 3339 string {@code YYYY-MM-DDTHH:MM:SS[.fraction](Z|±HH:MM)} ({@code T} and {@code Z} in
 * either case, the fraction truncated to milliseconds, a real calendar date, no leap second).
 */
public final class MTime {
  private MTime() {}

  private static final Pattern RFC3339 = Pattern.compile(
      "([0-9]{4})-([0-9]{2})-([0-9]{2})[Tt]([0-9]{2}):([0-9]{2}):([0-9]{2})(?:\\.([0-9]+))?"
          + "(?:([Zz])|([+-])([0-9]{2}):([0-9]{2}))");

  /** A parsed document value as a time, or null when it is not one. */
  public static Long of(Object v) {
    if (v instanceof Long l) {
      return l;
    }
    if (v instanceof String s) {
      return parse(s);
    }
    return null;
  }

  public static Long parse(String s) {
    Matcher m = RFC3339.matcher(s);
    if (!m.matches()) {
      return null;
    }
    int year = Integer.parseInt(m.group(1));
    int month = Integer.parseInt(m.group(2));
    int day = Integer.parseInt(m.group(3));
    int hour = Integer.parseInt(m.group(4));
    int minute = Integer.parseInt(m.group(5));
    int second = Integer.parseInt(m.group(6));
    if (month < 1 || month > 12 || day < 1 || hour > 23 || minute > 59 || second > 59) {
      return null;
    }
    LocalDate date = LocalDate.of(year, month, 1);
    if (day > date.lengthOfMonth()) {
      return null;
    }
    int millis = 0;
    String frac = m.group(7);
    if (frac != null) {
      String three = (frac + "00").substring(0, 3);
      millis = Integer.parseInt(three);
    }
    long offsetMinutes = 0;
    if (m.group(8) == null) {
      int oh = Integer.parseInt(m.group(10));
      int om = Integer.parseInt(m.group(11));
      if (oh > 23 || om > 59) {
        return null;
      }
      offsetMinutes = (oh * 60L + om) * (m.group(9).equals("-") ? -1 : 1);
    }
    long epochDay = LocalDate.of(year, month, day).toEpochDay();
    long local = ((epochDay * 24 + hour) * 60 + minute) * 60_000L + second * 1000L + millis;
    return local - offsetMinutes * 60_000L;
  }

  /**
   * As violations and states write times: RFC 3339 in UTC with milliseconds. Outside years 0 to
   * 9999, where RFC 3339 has no form (the contract is silent), the ISO 8601 expanded year: a sign
   * and at least four digits ({@code +292278994-08-17T07:12:55.807Z}).
   */
  public static String format(long epochMillis) {
    LocalDateTime t = LocalDateTime.ofEpochSecond(Math.floorDiv(epochMillis, 1000),
        Math.floorMod(epochMillis, 1000) * 1_000_000, ZoneOffset.UTC);
    StringBuilder sb = new StringBuilder(24);
    int y = t.getYear();
    if (y > 9999) {
      sb.append('+').append(y);
    } else if (y < 0) {
      pad(sb.append('-'), -y, 4);
    } else {
      pad(sb, y, 4);
    }
    sb.append('-');
    pad(sb, t.getMonthValue(), 2).append('-');
    pad(sb, t.getDayOfMonth(), 2).append('T');
    pad(sb, t.getHour(), 2).append(':');
    pad(sb, t.getMinute(), 2).append(':');
    pad(sb, t.getSecond(), 2).append('.');
    return pad(sb, t.getNano() / 1_000_000, 3).append('Z').toString();
  }

  static StringBuilder pad(StringBuilder sb, int v, int width) {
    String s = Integer.toString(v);
    for (int i = s.length(); i < width; i++) {
      sb.append('0');
    }
    return sb.append(s);
  }

}
