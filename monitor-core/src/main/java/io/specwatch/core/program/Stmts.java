package io.specwatch.core.program;

import io.specwatch.core.eval.Checked;
import io.specwatch.core.eval.EvalFault;
import io.specwatch.core.eval.Frame;
import io.specwatch.core.eval.Limits;
import java.util.HashSet;
import java.util.Set;

/** The statement nodes the compiler builds. */
public final class Stmts {
  private Stmts() {}

  /** {@code VAR = EXPR} for a long-slot variable. */
  public static final class AssignLong extends Stmt {
    private final int slot;
    private final Expr value;

    public AssignLong(int slot, Expr value) {
      this.slot = slot;
      this.value = value;
    }

    int slot() {
      return slot;
    }

    Expr value() {
      return value;
    }

    @Override
    public void exec(Frame f) {
      f.longs[slot] = value.evalLong(f);
    }
  }

  /** {@code VAR = EXPR} for a string or set variable. Sets are copied: values, not aliases. */
  public static final class AssignRef extends Stmt {
    private final int slot;
    private final Expr value;
    private final boolean isSet;

    public AssignRef(int slot, Expr value) {
      this.slot = slot;
      this.value = value;
      this.isSet = value.type().kind().isSet();
    }

    @Override
    public void exec(Frame f) {
      Object v = value.evalRef(f);
      if (v == f.refs[slot]) {
        return; // `s = s`
      }
      if (isSet) {
        // A copy, so that a later in-place change of either variable cannot show in the other.
        Set<Object> copy = f.mutableSet(slot);
        copy.clear();
        copy.addAll((Set<?>) v);
      } else {
        f.refs[slot] = v;
      }
    }
  }

  /** {@code VAR += EXPR} and {@code VAR -= EXPR}: int, duration, time ± duration; checked. */
  public static final class AddAssign extends Stmt {
    private final int slot;
    private final Expr value;
    private final boolean subtract;

    public AddAssign(int slot, Expr value, boolean subtract) {
      this.slot = slot;
      this.value = value;
      this.subtract = subtract;
    }

    int slot() {
      return slot;
    }

    Expr value() {
      return value;
    }

    boolean subtract() {
      return subtract;
    }

    @Override
    public void exec(Frame f) {
      f.longs[slot] = apply(f.longs[slot], value.evalLong(f), subtract);
    }

    /** {@code cur + v} or {@code cur - v}, an overflow being a fault (also Specializer's). */
    static long apply(long cur, long v, boolean subtract) {
      return subtract ? Checked.sub(cur, v) : Checked.add(cur, v);
    }
  }

  /** {@code if c { ... } else ...}; an {@code else if} chain is an If in the else block. */
  public static final class If extends Stmt {
    private final Expr condition;
    private final Stmt[] then;
    private final Stmt[] otherwise;

    public If(Expr condition, Stmt[] then, Stmt[] otherwise) {
      this.condition = condition;
      this.then = then;
      this.otherwise = otherwise;
    }

    Expr condition() {
      return condition;
    }

    Stmt[] then() {
      return then;
    }

    Stmt[] otherwise() {
      return otherwise;
    }

    @Override
    public void exec(Frame f) {
      Stmt.execAll(condition.evalBool(f) ? then : otherwise, f);
    }
  }

  /** {@code SET.add(EXPR)}: faults when the set would grow past its limit. */
  public static final class SetAdd extends Stmt {
    private final int slot;
    private final Expr element;

    public SetAdd(int slot, Expr element) {
      this.slot = slot;
      this.element = element;
    }

    @Override
    public void exec(Frame f) {
      Object v = element.type().isLongSlot() ? (Object) element.evalLong(f) : element.evalRef(f);
      Set<?> current = (Set<?>) f.refs[slot];
      if (current.contains(v)) {
        return;
      }
      if (current.size() >= Limits.MAX_SET_ELEMENTS) {
        throw EvalFault.SET_TOO_LARGE;
      }
      f.<Object>mutableSet(slot).add(v);
    }
  }

  /** {@code SET.remove(EXPR)}; removing an absent element does nothing. */
  public static final class SetRemove extends Stmt {
    private final int slot;
    private final Expr element;

    public SetRemove(int slot, Expr element) {
      this.slot = slot;
      this.element = element;
    }

    @Override
    public void exec(Frame f) {
      Object v = element.type().isLongSlot() ? (Object) element.evalLong(f) : element.evalRef(f);
      if (((Set<?>) f.refs[slot]).contains(v)) {
        f.mutableSet(slot).remove(v);
      }
    }
  }

  /** An empty set, shared as the initial value; never mutated (sets are copy-on-write). */
  public static final Set<Object> EMPTY_SET = Set.of();

  /** A fresh mutable set with the given elements, for initial values. */
  public static Set<Object> setOf(Iterable<?> elements) {
    Set<Object> s = new HashSet<>();
    elements.forEach(s::add);
    return s;
  }
}
