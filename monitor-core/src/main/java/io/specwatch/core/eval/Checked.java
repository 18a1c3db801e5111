package io.specwatch.core.eval;

/** 64-bit arithmetic that faults instead of wrapping, without allocating an exception. */
public final class Checked {
  private Checked() {}

  public static long add(long a, long b) {
    long r = a + b;
    if (((a ^ r) & (b ^ r)) < 0) {
      throw EvalFault.OVERFLOW;
    }
    return r;
  }

  public static long sub(long a, long b) {
    long r = a - b;
    if (((a ^ b) & (a ^ r)) < 0) {
      throw EvalFault.OVERFLOW;
    }
    return r;
  }

  public static long mul(long a, long b) {
    long hi = Math.multiplyHigh(a, b);
    long lo = a * b;
    if ((hi != 0 || lo < 0) && (hi != -1 || lo >= 0)) {
      throw EvalFault.OVERFLOW;
    }
    return lo;
  }

  public static long div(long a, long b) {
    if (b == 0) {
      throw EvalFault.DIVISION_BY_ZERO;
    }
    if (a == Long.MIN_VALUE && b == -1) {
      throw EvalFault.OVERFLOW;
    }
    return a / b; // Java truncates toward zero, as the contract asks
  }

  public static long rem(long a, long b) {
    if (b == 0) {
      throw EvalFault.DIVISION_BY_ZERO;
    }
    return b == -1 ? 0 : a % b; // % takes the dividend's sign; MIN % -1 is 0, not a fault
  }

  public static long neg(long a) {
    if (a == Long.MIN_VALUE) {
      throw EvalFault.OVERFLOW;
    }
    return -a;
  }

  /** Saturating addition for bookkeeping (watermark, windows) where a fault would be wrong. */
  public static long saturatingAdd(long a, long b) {
    long r = a + b;
    if (((a ^ r) & (b ^ r)) < 0) {
      return a < 0 ? Long.MIN_VALUE : Long.MAX_VALUE;
    }
    return r;
  }

  public static long saturatingSub(long a, long b) {
    long r = a - b;
    if (((a ^ b) & (a ^ r)) < 0) {
      return a < 0 ? Long.MIN_VALUE : Long.MAX_VALUE;
    }
    return r;
  }
}
