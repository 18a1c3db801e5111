package io.specwatch.cli.demo;

import java.nio.file.Path;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.Locale;

/**
 * How a demo runs, checked when built.
 *
 * @param rate documents per second; 0 for as fast as the pipeline takes them
 * @param duration stop after this long, or null
 * @param events stop after this many documents; 0 for no limit
 * @param seed the simulator's seed: the same seed gives the same documents
 * @param entities the most payments in flight at once
 * @param faultRate the probability that a document starts a fault
 * @param evaluators evaluator threads of the pipeline
 * @param json print alerts as the contract's JSON lines rather than the human form
 * @param record also write every generated document to this JSONL file, or null
 * @param metricsPort the metrics port on 127.0.0.1; 0 picks a free one
 */
public record DemoOptions(long rate, Duration duration, long events, long seed, int entities,
    double faultRate, int evaluators, boolean json, Path record, int metricsPort) {

  public DemoOptions {
    if (rate < 0) {
      throw new IllegalArgumentException("--rate must be 0 (as fast as possible) or more, was " + rate);
    }
    if (duration != null && (duration.isNegative() || duration.isZero())) {
      throw new IllegalArgumentException("--duration must be positive, was " + duration);
    }
    if (events < 0) {
      throw new IllegalArgumentException("--events must be positive, was " + events);
    }
    if (entities < 1) {
      throw new IllegalArgumentException("--entities must be at least 1, was " + entities);
    }
    if (!(faultRate >= 0 && faultRate <= 1)) {
      throw new IllegalArgumentException("--fault-rate must be between 0 and 1, was " + faultRate);
    }
    if (evaluators < 1 || evaluators > 256) {
      throw new IllegalArgumentException("--evaluators must be between 1 and 256, was " + evaluators);
    }
    if (metricsPort < 0 || metricsPort > 65_535) {
      throw new IllegalArgumentException("--metrics-port must be between 0 and 65535, was " + metricsPort);
    }
  }

  /** {@code 500ms}, {@code 30s}, {@code 5m}, {@code 2h}, {@code 1d}, or ISO-8601 ({@code PT30S}). */
  public static Duration parseDuration(String text) {
    String t = text.trim().toLowerCase(Locale.ROOT);
    try {
      if (t.startsWith("p")) {
        return Duration.parse(t.toUpperCase(Locale.ROOT));
      }
      int unit = 0;
      while (unit < t.length() && Character.isDigit(t.charAt(unit))) {
        unit++;
      }
      if (unit == 0) {
        throw new NumberFormatException();
      }
      long n = Long.parseLong(t.substring(0, unit));
      return switch (t.substring(unit)) {
        case "ms" -> Duration.ofMillis(n);
        case "s", "" -> Duration.ofSeconds(n);
        case "m" -> Duration.ofMinutes(n);
        case "h" -> Duration.ofHours(n);
        case "d" -> Duration.ofDays(n);
        default -> throw new NumberFormatException();
      };
    } catch (NumberFormatException | DateTimeParseException | ArithmeticException e) {
      throw new IllegalArgumentException("--duration must be a number with a unit (500ms, 30s, 5m, "
          + "2h, 1d), was `" + text + "`");
    }
  }
}
