package io.specwatch.core.program;

import io.specwatch.core.eval.Frame;

/**
 * A typed expression over an instance's state, the current event and {@code now}.
 *
 * <p>Values whose type {@link ValueType#isLongSlot() lives in a long slot} are produced by
 * {@link #evalLong}; strings and sets by {@link #evalRef}. Booleans are 0 or 1. An evaluation
 * fault is thrown as {@link io.specwatch.core.eval.EvalFault}. Node classes are in {@link Exprs}.
 */
public abstract class Expr {
  private final ValueType type;

  protected Expr(ValueType type) {
    this.type = type;
  }

  public final ValueType type() {
    return type;
  }

  public long evalLong(Frame f) {
    throw new IllegalStateException(getClass().getSimpleName() + " of type " + type + " has no long value");
  }

  public Object evalRef(Frame f) {
    throw new IllegalStateException(getClass().getSimpleName() + " of type " + type + " has no reference value");
  }

  public final boolean evalBool(Frame f) {
    return evalLong(f) != 0;
  }
}
