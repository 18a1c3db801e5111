package io.specwatch.core.eval;

/** Fixed limits of the language runtime (see docs/language.md, "Limits"). */
public final class Limits {
  /** The contract's cap on set sizes: adding one more element is an {@code error} violation. */
  public static final int MAX_SET_ELEMENTS = 10_000;

  /** Ended instances are forgotten this long (event time) after they ended. */
  public static final long FORGET_AFTER_END_MS = 7L * 24 * 3600 * 1000;

  /** {@link #forgetAt}'s answer for an instance that no watermark can forget. */
  public static final long NEVER_FORGOTTEN = Long.MIN_VALUE;

  /**
   * The watermark at which an instance that ended at {@code endTime} is forgotten: its end plus
   * {@link #FORGET_AFTER_END_MS}, or {@link #NEVER_FORGOTTEN} when that is past the largest time.
   * Not capped at the largest time: a watermark can be exactly that, and would then forget
   * instances that ended less than 7 days before it.
   */
  public static long forgetAt(long endTime) {
    return laterOrNever(endTime, FORGET_AFTER_END_MS);
  }

  /**
   * {@code time} plus the non-negative {@code delay}, or {@link #NEVER_FORGOTTEN} when that is
   * past the largest time: what is forgotten then must never be, rather than at the largest time.
   */
  public static long laterOrNever(long time, long delay) {
    long at = time + delay;
    return at < time ? NEVER_FORGOTTEN : at;
  }

  /** {@code time} plus both non-negative delays, or {@link #NEVER_FORGOTTEN}, as above. */
  public static long laterOrNever(long time, long delay, long more) {
    long at = laterOrNever(time, delay);
    return at == NEVER_FORGOTTEN ? at : laterOrNever(at, more);
  }

  /** Whether an instance that ended at {@code endTime} is forgotten once the watermark is here. */
  public static boolean forgottenBy(long endTime, long watermark) {
    long at = forgetAt(endTime);
    return at != NEVER_FORGOTTEN && watermark >= at;
  }

  private Limits() {}
}
