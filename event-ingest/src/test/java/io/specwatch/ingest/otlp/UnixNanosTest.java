package io.specwatch.ingest.otlp;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.specwatch.core.json.Rfc3339;
import java.time.Instant;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class UnixNanosTest {
  @Test
  void formatsWithNanosecondsAndAgreesWithJavaTime() {
    assertEquals("1970-01-01T00:00:00.000000001Z", UnixNanos.format(1));
    assertEquals("2024-02-29T23:59:59.999999999Z", UnixNanos.format(1_709_251_199_999_999_999L));
    SplittableRandom random = new SplittableRandom(42);
    for (int i = 0; i < 10_000; i++) {
      long nanos = random.nextLong(0, Long.MAX_VALUE);
      Instant expected = Instant.ofEpochSecond(nanos / 1_000_000_000L, nanos % 1_000_000_000L);
      String formatted = UnixNanos.format(nanos);
      assertEquals(expected, Instant.parse(formatted), formatted);
      // What a spec's `input time` reads: the same instant, truncated to milliseconds.
      assertEquals(nanos / 1_000_000L, Rfc3339.parse(formatted), formatted);
    }
  }

  @Test
  void readsTheFixed64AsUnsigned() {
    // 2^64 - 1 ns after the epoch is in the year 2554: valid, not a negative time.
    assertEquals("2554-07-21T23:34:33.709551615Z", UnixNanos.format(-1L));
  }

  @Test
  void millisBetweenFloors() {
    assertEquals(250, UnixNanos.millisBetween(1_000_000_000L, 1_250_999_999L));
    assertEquals(-1, UnixNanos.millisBetween(1_000_000_001L, 1_000_000_000L));
  }
}
