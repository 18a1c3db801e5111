package io.specwatch.core.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.math.BigInteger;
import java.util.SplittableRandom;
import java.util.function.LongBinaryOperator;
import org.junit.jupiter.api.Test;

class CheckedTest {
  private static final long MIN = Long.MIN_VALUE;
  private static final long MAX = Long.MAX_VALUE;

  /** Values where 64-bit arithmetic changes behaviour. */
  private static final long[] EDGES = {
      MIN, MIN + 1, MIN / 2 - 1, MIN / 2, MIN / 2 + 1, -3_037_000_500L, -3_037_000_499L,
      -4_294_967_296L, -2_147_483_649L, -2_147_483_648L, -1000, -7, -3, -2, -1, 0, 1, 2, 3, 7, 1000,
      2_147_483_647L, 2_147_483_648L, 4_294_967_296L, 3_037_000_499L, 3_037_000_500L, MAX / 2 - 1,
      MAX / 2, MAX / 2 + 1, MAX - 1, MAX};

  private static void assertOverflow(Runnable r) {
    EvalFault f = assertThrows(EvalFault.class, r::run);
    assertSame(EvalFault.OVERFLOW, f);
    assertEquals("64-bit overflow", f.getMessage());
  }

  private static void assertDivisionByZero(Runnable r) {
    EvalFault f = assertThrows(EvalFault.class, r::run);
    assertSame(EvalFault.DIVISION_BY_ZERO, f);
    assertEquals("division by zero", f.getMessage());
  }

  @Test
  void addEdges() {
    assertEquals(MAX, Checked.add(MAX - 1, 1));
    assertEquals(MIN, Checked.add(MIN + 1, -1));
    assertEquals(-1, Checked.add(MAX, MIN));
    assertEquals(MAX, Checked.add(MAX, 0));
    assertEquals(MIN, Checked.add(0, MIN));
    assertOverflow(() -> Checked.add(MAX, 1));
    assertOverflow(() -> Checked.add(1, MAX));
    assertOverflow(() -> Checked.add(MIN, -1));
    assertOverflow(() -> Checked.add(MIN, MIN));
    assertOverflow(() -> Checked.add(MAX, MAX));
    assertOverflow(() -> Checked.add(MAX / 2 + 1, MAX / 2 + 1));
    assertEquals(MAX - 1, Checked.add(MAX / 2, MAX / 2));
  }

  @Test
  void subEdges() {
    assertEquals(MIN, Checked.sub(MIN + 1, 1));
    assertEquals(MAX, Checked.sub(MAX, 0));
    assertEquals(0, Checked.sub(MAX, MAX));
    assertEquals(0, Checked.sub(MIN, MIN));
    assertEquals(MAX, Checked.sub(-1, MIN));
    assertOverflow(() -> Checked.sub(MIN, 1));
    assertOverflow(() -> Checked.sub(0, MIN)); // -MIN
    assertOverflow(() -> Checked.sub(MAX, -1));
    assertOverflow(() -> Checked.sub(MAX, MIN));
    assertOverflow(() -> Checked.sub(MIN, MAX));
    assertEquals(MIN, Checked.sub(-1, MAX));
  }

  @Test
  void mulEdges() {
    assertEquals(MIN, Checked.mul(MIN, 1));
    assertEquals(MIN, Checked.mul(1, MIN));
    assertEquals(MIN, Checked.mul(MIN / 2, 2));
    assertEquals(MIN, Checked.mul(-2, 1L << 62));
    assertOverflow(() -> Checked.mul(2, 1L << 62));
    assertOverflow(() -> Checked.mul(-2, -(1L << 62)));
    assertEquals(-MAX, Checked.mul(MAX, -1));
    assertEquals(MAX, Checked.mul(-MAX, -1));
    assertEquals(0, Checked.mul(MIN, 0));
    assertEquals(0, Checked.mul(0, MIN));
    assertOverflow(() -> Checked.mul(MIN, -1));
    assertOverflow(() -> Checked.mul(-1, MIN));
    assertOverflow(() -> Checked.mul(MIN, 2));
    assertOverflow(() -> Checked.mul(MAX, 2));
    assertOverflow(() -> Checked.mul(MAX / 2 + 1, 2));
    assertOverflow(() -> Checked.mul(3_037_000_500L, 3_037_000_500L)); // just above sqrt(2^63)
    assertEquals(3_037_000_499L * 3_037_000_499L, Checked.mul(3_037_000_499L, 3_037_000_499L));
    assertOverflow(() -> Checked.mul(-3_037_000_500L, 3_037_000_500L));
    assertOverflow(() -> Checked.mul(4_294_967_296L, 4_294_967_296L)); // 2^64: low half is 0
    assertOverflow(() -> Checked.mul(4_294_967_296L, -4_294_967_296L));
    // The conformance case: 200 * 46116860184273880 > 2^63-1.
    assertOverflow(() -> Checked.mul(200, 46_116_860_184_273_880L));
    assertOverflow(() -> Checked.mul(922_337_203_685_478L, 10_000));
  }

  @Test
  void mulAgreesWithMultiplyExactOnEdgesAndRandomValues() {
    SplittableRandom r = new SplittableRandom(42);
    long[] values = new long[EDGES.length + 400];
    System.arraycopy(EDGES, 0, values, 0, EDGES.length);
    for (int i = EDGES.length; i < values.length; i++) {
      // A mix of magnitudes, so that products straddle the overflow boundary.
      int bits = r.nextInt(1, 64);
      long v = r.nextLong() >> (64 - bits);
      values[i] = v;
    }
    for (long a : values) {
      for (long b : values) {
        assertAgrees(a, b, Checked::mul, Math::multiplyExact, "mul");
        assertAgrees(a, b, Checked::add, Math::addExact, "add");
        assertAgrees(a, b, Checked::sub, Math::subtractExact, "sub");
      }
    }
  }

  private static void assertAgrees(long a, long b, LongBinaryOperator checked,
      LongBinaryOperator exact, String op) {
    Long expected;
    try {
      expected = exact.applyAsLong(a, b);
    } catch (ArithmeticException e) {
      expected = null;
    }
    Long actual;
    try {
      actual = checked.applyAsLong(a, b);
    } catch (EvalFault f) {
      assertSame(EvalFault.OVERFLOW, f);
      actual = null;
    }
    assertEquals(expected, actual, () -> op + "(" + a + ", " + b + ")");
  }

  @Test
  void divTruncatesTowardZero() {
    assertEquals(3, Checked.div(7, 2));
    assertEquals(-3, Checked.div(-7, 2));
    assertEquals(-3, Checked.div(7, -2));
    assertEquals(3, Checked.div(-7, -2));
    assertEquals(0, Checked.div(1, 2));
    assertEquals(0, Checked.div(-1, 2));
    assertEquals(MIN, Checked.div(MIN, 1));
    assertEquals(-MAX, Checked.div(MAX, -1));
    assertEquals(MIN / 2, Checked.div(MIN, 2));
    assertEquals(1, Checked.div(MIN, MIN));
    assertEquals(0, Checked.div(MAX, MIN));
    assertEquals(-1, Checked.div(MIN, MAX));
  }

  @Test
  void divFaults() {
    assertOverflow(() -> Checked.div(MIN, -1));
    assertDivisionByZero(() -> Checked.div(1, 0));
    assertDivisionByZero(() -> Checked.div(0, 0));
    assertDivisionByZero(() -> Checked.div(MIN, 0));
  }

  @Test
  void remTakesTheDividendsSign() {
    assertEquals(1, Checked.rem(7, 2));
    assertEquals(-1, Checked.rem(-7, 2));
    assertEquals(1, Checked.rem(7, -2));
    assertEquals(-1, Checked.rem(-7, -2));
    assertEquals(0, Checked.rem(-8, 2));
    assertEquals(-2, Checked.rem(-2, 5));
    assertEquals(MAX, Checked.rem(MAX, MIN));
    assertEquals(-1, Checked.rem(MIN, MAX));
    assertEquals(0, Checked.rem(MIN, MIN));
    assertEquals(0, Checked.rem(MIN, 2));
  }

  @Test
  void remOfMinByMinusOneIsZeroNotAFault() {
    assertEquals(0, Checked.rem(MIN, -1));
    assertEquals(0, Checked.rem(MAX, -1));
    assertEquals(0, Checked.rem(-5, -1));
    assertEquals(0, Checked.rem(5, 1));
  }

  @Test
  void divAndRemAgreeWithBigIntegerEverywhere() {
    for (long a : EDGES) {
      for (long b : EDGES) {
        if (b == 0) {
          assertDivisionByZero(() -> Checked.div(a, b));
          assertDivisionByZero(() -> Checked.rem(a, b));
          continue;
        }
        BigInteger q = BigInteger.valueOf(a).divide(BigInteger.valueOf(b)); // truncates
        BigInteger rem = BigInteger.valueOf(a).remainder(BigInteger.valueOf(b)); // dividend's sign
        if (q.bitLength() > 63) {
          assertOverflow(() -> Checked.div(a, b));
        } else {
          assertEquals(q.longValueExact(), Checked.div(a, b), a + " / " + b);
        }
        assertEquals(rem.longValueExact(), Checked.rem(a, b), a + " % " + b);
      }
    }
  }

  @Test
  void remFaultsOnZero() {
    assertDivisionByZero(() -> Checked.rem(1, 0));
    assertDivisionByZero(() -> Checked.rem(MIN, 0));
  }

  @Test
  void negEdges() {
    assertEquals(-MAX, Checked.neg(MAX));
    assertEquals(MAX, Checked.neg(-MAX));
    assertEquals(0, Checked.neg(0));
    assertEquals(1, Checked.neg(-1));
    assertOverflow(() -> Checked.neg(MIN));
  }

  @Test
  void saturatingArithmeticClampsInsteadOfFaulting() {
    assertEquals(MAX, Checked.saturatingAdd(MAX, 1));
    assertEquals(MAX, Checked.saturatingAdd(MAX, MAX));
    assertEquals(MIN, Checked.saturatingAdd(MIN, -1));
    assertEquals(MIN, Checked.saturatingAdd(MIN, MIN));
    assertEquals(-1, Checked.saturatingAdd(MAX, MIN));
    assertEquals(5, Checked.saturatingAdd(2, 3));
    assertEquals(MIN, Checked.saturatingSub(MIN, 1));
    assertEquals(MIN, Checked.saturatingSub(MIN, MAX));
    assertEquals(MAX, Checked.saturatingSub(MAX, -1));
    assertEquals(MAX, Checked.saturatingSub(0, MIN));
    assertEquals(MAX, Checked.saturatingSub(MAX, MIN));
    assertEquals(-1, Checked.saturatingSub(2, 3));
    for (long a : EDGES) {
      for (long b : EDGES) {
        BigInteger sum = BigInteger.valueOf(a).add(BigInteger.valueOf(b));
        BigInteger diff = BigInteger.valueOf(a).subtract(BigInteger.valueOf(b));
        assertEquals(clamp(sum), Checked.saturatingAdd(a, b), a + " +sat " + b);
        assertEquals(clamp(diff), Checked.saturatingSub(a, b), a + " -sat " + b);
      }
    }
  }

  private static long clamp(BigInteger v) {
    if (v.compareTo(BigInteger.valueOf(MAX)) > 0) {
      return MAX;
    }
    if (v.compareTo(BigInteger.valueOf(MIN)) < 0) {
      return MIN;
    }
    return v.longValueExact();
  }
}
