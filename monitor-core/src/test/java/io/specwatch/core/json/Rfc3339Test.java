package io.specwatch.core.json;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class Rfc3339Test {

  private static long ms(String isoInstant) {
    return Instant.parse(isoInstant).toEpochMilli();
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', value = {
      "2026-03-02T09:00:00Z            | 2026-03-02T09:00:00Z",
      "2026-03-02t09:00:00z            | 2026-03-02T09:00:00Z",
      "2026-03-02T09:00:00z            | 2026-03-02T09:00:00Z",
      "2026-03-02t09:00:00Z            | 2026-03-02T09:00:00Z",
      "2026-03-02T10:00:00+01:00       | 2026-03-02T09:00:00Z",
      "2026-03-02t10:00:00.250+01:00   | 2026-03-02T09:00:00.250Z",
      "2026-03-02T04:30:00-04:30       | 2026-03-02T09:00:00Z",
      "2026-03-02T09:00:00+00:00       | 2026-03-02T09:00:00Z",
      "2026-03-02T09:00:00-00:00       | 2026-03-02T09:00:00Z",
      "2026-03-03T08:59:00+23:59       | 2026-03-02T09:00:00Z",
      "2026-03-01T09:01:00-23:59       | 2026-03-02T09:00:00Z",
      "2026-01-01T00:30:00+01:00       | 2025-12-31T23:30:00Z",
      "1970-01-01T00:00:00Z            | 1970-01-01T00:00:00Z",
      "1969-12-31T23:59:59.999Z        | 1969-12-31T23:59:59.999Z",
      "2024-02-29T12:00:00Z            | 2024-02-29T12:00:00Z",
      "2000-02-29T00:00:00Z            | 2000-02-29T00:00:00Z",
      "1600-02-29T00:00:00Z            | 1600-02-29T00:00:00Z",
      "2026-12-31T23:59:59Z            | 2026-12-31T23:59:59Z",
      "2026-04-30T00:00:00Z            | 2026-04-30T00:00:00Z",
      "0000-01-01T00:00:00Z            | 0000-01-01T00:00:00Z",
      "0000-02-29T00:00:00Z            | 0000-02-29T00:00:00Z",
      "9999-12-31T23:59:59.999Z        | 9999-12-31T23:59:59.999Z",
  })
  void validTimes(String text, String expected) {
    assertEquals(ms(expected), Rfc3339.parse(text), text);
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', value = {
      "2026-03-02T09:00:00.1Z          | 100",
      "2026-03-02T09:00:00.12Z         | 120",
      "2026-03-02T09:00:00.123Z        | 123",
      "2026-03-02T09:00:00.1239Z       | 123",
      "2026-03-02T09:00:00.12399Z      | 123",
      "2026-03-02T09:00:00.999999Z     | 999",
      "2026-03-02T09:00:00.0000001Z    | 0",
      "2026-03-02T09:00:00.45678901Z   | 456",
      "2026-03-02T09:00:00.987654321Z  | 987",
      "2026-03-02T09:00:00.000Z        | 0",
      "2026-03-02T09:00:00.5+01:00     | 500",
  })
  void fractionsOfOneToNineDigitsAreTruncatedToMilliseconds(String text, long millis) {
    long base = text.endsWith("+01:00") ? ms("2026-03-02T08:00:00Z") : ms("2026-03-02T09:00:00Z");
    assertEquals(base + millis, Rfc3339.parse(text), text);
  }

  @Test
  void truncationNeverRoundsUpAcrossASecondOrBeforeEpoch() {
    assertEquals(ms("2026-12-31T23:59:59.999Z"), Rfc3339.parse("2026-12-31T23:59:59.999999999Z"));
    // Before 1970 the fraction still counts forward from the written second.
    assertEquals(ms("1969-12-31T23:59:59.999Z"), Rfc3339.parse("1969-12-31T23:59:59.9999Z"));
  }

  @Test
  void agreesWithJavaTimeOnManyInstants() {
    // A broad cross-check against java.time over four centuries, offsets and fractions.
    java.util.SplittableRandom r = new java.util.SplittableRandom(7);
    DateTimeFormatter f = DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSSSSSXXX");
    for (int i = 0; i < 20_000; i++) {
      long seconds = r.nextLong(ms("1800-01-01T00:00:00Z") / 1000, ms("2200-01-01T00:00:00Z") / 1000);
      int micros = r.nextInt(1_000_000);
      int offsetMinutes = r.nextInt(-18 * 60, 18 * 60 + 1); // java.time's offset range
      OffsetDateTime t = Instant.ofEpochSecond(seconds, micros * 1000L)
          .atOffset(java.time.ZoneOffset.ofTotalSeconds(offsetMinutes * 60));
      String text = f.format(t).replace("Z", offsetMinutes == 0 && r.nextBoolean() ? "z" : "Z");
      assertEquals(seconds * 1000 + micros / 1000, Rfc3339.parse(text), text);
    }
  }

  @ParameterizedTest(name = "[{index}] \"{0}\"")
  @ValueSource(strings = {
      "2026-02-30T00:00:00Z", // no Feb 30
      "2026-02-29T00:00:00Z", // 2026 is not a leap year
      "1900-02-29T00:00:00Z", // divisible by 100, not by 400
      "2100-02-29T00:00:00Z",
      "2026-04-31T00:00:00Z",
      "2026-06-31T00:00:00Z",
      "2026-09-31T00:00:00Z",
      "2026-11-31T00:00:00Z",
      "2026-01-32T00:00:00Z",
      "2026-00-10T00:00:00Z",
      "2026-13-10T00:00:00Z",
      "2026-01-00T00:00:00Z",
      "2026-01-01T24:00:00Z", // hour 24
      "2026-01-01T23:60:00Z",
      "2026-12-31T23:59:60Z", // no leap second
      "2016-12-31T23:59:60Z", // not even on a real leap second
      "2026-01-01T00:00:00", // missing offset
      "2026-01-01T00:00:00.123", // missing offset after a fraction
      "2026-01-01T00:00:00+0100", // offset without a colon
      "2026-01-01T00:00:00+01", // short offset
      "2026-01-01T00:00:00+1:00",
      "2026-01-01T00:00:00+01:0",
      "2026-01-01T00:00:00+24:00", // offset hour out of range
      "2026-01-01T00:00:00+01:60",
      "2026-01-01T00:00:00 Z", // spaces
      "2026-01-01 00:00:00Z", // space instead of T
      " 2026-01-01T00:00:00Z",
      "2026-01-01T00:00:00Z ",
      "2026-01-01T00:00:00ZZ", // trailing junk
      "2026-01-01T00:00:00Zx",
      "2026-01-01T00:00:00+01:00x",
      "2026-01-01T00:00:00+01:00Z",
      "2026-01-01T00:00:00.Z", // a dot without digits
      "2026-01-01T00:00:00.+01:00",
      "2026-01-01T00:00:00,5Z", // comma fraction
      "2026-01-01T00:00Z", // no seconds
      "2026-01-01Z",
      "2026-01-01",
      "2026-1-01T00:00:00Z",
      "26-01-01T00:00:00Z",
      "+2026-01-01T00:00:00Z",
      "-2026-01-01T00:00:00Z",
      "10000-01-01T00:00:00Z",
      "2026/01/01T00:00:00Z",
      "2026-01-01X00:00:00Z",
      "2026-01-01T00-00-00Z",
      "2026-0a-01T00:00:00Z",
      "２０２６-01-01T00:00:00Z", // full-width digits are not digits here
      "",
      "Z",
      "2026-01-01T00:00:0",
      "2026-01-01T00:00:00", // 19 characters
      "2026-01-01T00:00:0Z", // 19 characters with Z
  })
  void invalidTimes(String text) {
    assertEquals(Rfc3339.INVALID, Rfc3339.parse(text), text);
  }

  @Test
  void formatWritesUtcWithMilliseconds() {
    assertEquals("1970-01-01T00:00:00.000Z", Rfc3339.format(0));
    assertEquals("2026-03-02T09:02:20.000Z", Rfc3339.format(ms("2026-03-02T09:02:20Z")));
    assertEquals("2026-03-02T09:02:20.250Z", Rfc3339.format(ms("2026-03-02T09:02:20.25Z")));
    assertEquals("2024-02-29T23:59:59.999Z", Rfc3339.format(ms("2024-02-29T23:59:59.999Z")));
  }

  @Test
  void formatOfNegativeEpochMilliseconds() {
    assertEquals("1969-12-31T23:59:59.999Z", Rfc3339.format(-1));
    assertEquals("1968-12-31T00:00:00.000Z", Rfc3339.format(-366L * 86_400_000L));
    assertEquals("0000-01-01T00:00:00.000Z", Rfc3339.format(ms("0000-01-01T00:00:00Z")));
    // Before year 0 and after year 9999 the output is ISO 8601's expanded year: RFC 3339 has no
    // form for them. It never throws, whatever epoch-ms integer a document carried.
    assertEquals("-0001-12-31T23:59:59.999Z", Rfc3339.format(ms("0000-01-01T00:00:00Z") - 1));
    assertEquals("-292275055-05-16T16:47:04.192Z", Rfc3339.format(Long.MIN_VALUE));
  }

  @Test
  void formatOfFarFutureEpochMilliseconds() {
    assertEquals("9999-12-31T23:59:59.999Z", Rfc3339.format(ms("9999-12-31T23:59:59.999Z")));
    assertEquals("+10000-01-01T00:00:00.000Z", Rfc3339.format(ms("9999-12-31T23:59:59.999Z") + 1));
    assertEquals("+292278994-08-17T07:12:55.807Z", Rfc3339.format(Long.MAX_VALUE));
  }

  @Test
  void formatThenParseRoundTripsOverYearsZeroToNineThousandNineHundredNinetyNine() {
    java.util.SplittableRandom r = new java.util.SplittableRandom(11);
    long lo = ms("0000-01-01T00:00:00Z");
    long hi = ms("9999-12-31T23:59:59.999Z");
    for (int i = 0; i < 20_000; i++) {
      long t = r.nextLong(lo, hi + 1);
      assertEquals(t, Rfc3339.parse(Rfc3339.format(t)), () -> Rfc3339.format(t));
    }
    assertEquals(lo, Rfc3339.parse(Rfc3339.format(lo)));
    assertEquals(hi, Rfc3339.parse(Rfc3339.format(hi)));
  }

  @Test
  void invalidIsOutsideEveryParsableTime() {
    // INVALID doubles as "no time"; no parsable string may produce it.
    assertEquals(Long.MIN_VALUE, Rfc3339.INVALID);
    long earliest = Rfc3339.parse("0000-01-01T00:00:00+23:59");
    assertEquals(ms("0000-01-01T00:00:00Z") - (23 * 60 + 59) * 60_000L, earliest);
  }
}
