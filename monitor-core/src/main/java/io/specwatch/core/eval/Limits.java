package io.specwatch.core.eval;

/** Fixed limits of the language runtime (see docs/language.md, "Limits"). */
public final class Limits {
  /** The contract's cap on set sizes: adding one more element is an {@code error} violation. */
  public static final int MAX_SET_ELEMENTS = 10_000;

  /** Ended instances are forgotten this long (event time) after they ended. */
  public static final long FORGET_AFTER_END_MS = 7L * 24 * 3600 * 1000;

  private Limits() {}
}
