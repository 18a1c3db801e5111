package io.specwatch.core.engine;

/**
 * The decimal text of a {@code long} written into a reused buffer, as ASCII bytes: how an integer
 * key or id (the contract: {@code 42} and {@code "42"} are the same) is packed without making
 * the {@code String} that {@code Long.toString} would.
 */
final class DecimalText {
  /** Long enough for {@code Long.MIN_VALUE}: a sign and 19 digits. */
  static final int MAX_LENGTH = 20;

  private DecimalText() {}

  /**
   * Writes {@code value}'s decimal text at the end of {@code into} (at least {@link #MAX_LENGTH}
   * bytes); returns where it starts.
   */
  static int write(long value, byte[] into) {
    int at = into.length;
    long v = value;
    do {
      // Digits of a negative number from its remainders, which are <= 0: no overflow at MIN_VALUE.
      into[--at] = (byte) ('0' + Math.abs((int) (v % 10)));
      v /= 10;
    } while (v != 0);
    if (value < 0) {
      into[--at] = '-';
    }
    return at;
  }
}
