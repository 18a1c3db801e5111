package io.specwatch.core.eval;

/**
 * An evaluation fault (overflow, division by zero, a set over its size limit). It becomes an
 * {@code error} violation and discards everything the event would have done to its instance.
 *
 * <p>Faults are preallocated and carry no stack trace: they are part of normal operation on
 * hostile input, and must not cost an allocation and a stack walk each time.
 */
public final class EvalFault extends RuntimeException {
  public static final EvalFault OVERFLOW = new EvalFault("64-bit overflow");
  public static final EvalFault DIVISION_BY_ZERO = new EvalFault("division by zero");
  public static final EvalFault SET_TOO_LARGE =
      new EvalFault("set would exceed " + Limits.MAX_SET_ELEMENTS + " elements");

  private EvalFault(String message) {
    super(message, null, false, false);
  }
}
