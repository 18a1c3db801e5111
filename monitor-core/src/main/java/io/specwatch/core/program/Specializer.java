package io.specwatch.core.program;

import io.specwatch.core.eval.Frame;

/**
 * Rewrites the common shapes of expressions and statements into single nodes that do the whole
 * job without calling other nodes: a state variable compared with a constant or another variable,
 * an enum variable tested against a list of constants, a variable assigned a constant or an event
 * field, a variable incremented by an event field.
 *
 * <p>Why: in the tree the compiler builds, {@code status == New} is three nodes, and the call from
 * {@link Exprs.CompareLong} to its operands sees many node classes across a spec, so the JIT cannot
 * inline it (a megamorphic virtual call each). A specialised node reads the frame's slots directly.
 * Only the production {@code Evaluator} uses the rewritten nodes; the frozen reference engine keeps
 * evaluating the compiler's trees, and {@code FastPathDifferentialTest} holds the two to the same
 * violations. Each specialised node computes exactly what the tree it replaces computes (the same
 * checked arithmetic, so the same faults); shapes not listed are returned unchanged.
 */
public final class Specializer {
  private Specializer() {}

  /** {@code e} with its common shapes (recursively through and, or, implies, not) specialised. */
  public static Expr expr(Expr e) {
    if (e instanceof Exprs.CompareLong c) {
      Exprs.CompareOp op = c.op();
      if (c.left() instanceof Exprs.LongVar v && c.right() instanceof Exprs.LongConst k) {
        return new VarCompareConst(op, v.slot(), k.value());
      }
      if (c.left() instanceof Exprs.LongVar a && c.right() instanceof Exprs.LongVar b) {
        return new VarCompareVar(op, a.slot(), b.slot());
      }
      return e;
    }
    if (e instanceof Exprs.InLongList in && in.value() instanceof Exprs.LongVar v) {
      long mask = 0;
      for (long m : in.sortedMembers()) {
        if (m < 0 || m > 63) {
          return e; // not a small enum: keep the binary search
        }
        mask |= 1L << m;
      }
      return new VarInMask(v.slot(), mask, in.negated());
    }
    if (e instanceof Exprs.And a) {
      return new Exprs.And(expr(a.left()), expr(a.right()));
    }
    if (e instanceof Exprs.Or o) {
      return new Exprs.Or(expr(o.left()), expr(o.right()));
    }
    if (e instanceof Exprs.Implies i) {
      return new Exprs.Implies(expr(i.left()), expr(i.right()));
    }
    if (e instanceof Exprs.Not n) {
      return new Exprs.Not(expr(n.operand()));
    }
    return e;
  }

  /** {@code s} specialised (see the class comment); nested blocks of {@code if} too. */
  public static Stmt stmt(Stmt s) {
    if (s instanceof Stmts.AssignLong a) {
      if (a.value() instanceof Exprs.LongConst k) {
        return new AssignConst(a.slot(), k.value());
      }
      if (a.value() instanceof Exprs.LongField f) {
        return new AssignField(a.slot(), f.slot());
      }
      return new Stmts.AssignLong(a.slot(), expr(a.value()));
    }
    if (s instanceof Stmts.AddAssign a && a.value() instanceof Exprs.LongField f) {
      return new AddField(a.slot(), f.slot(), a.subtract());
    }
    if (s instanceof Stmts.If i) {
      return new Stmts.If(expr(i.condition()), block(i.then()), block(i.otherwise()));
    }
    return s;
  }

  /** Every statement of {@code block} specialised, in a new array. */
  public static Stmt[] block(Stmt[] block) {
    if (block == null) {
      return null;
    }
    Stmt[] out = new Stmt[block.length];
    for (int i = 0; i < block.length; i++) {
      out[i] = stmt(block[i]);
    }
    return out;
  }

  /** Every expression of {@code exprs} specialised, in a new array. */
  public static Expr[] exprs(Expr[] exprs) {
    Expr[] out = new Expr[exprs.length];
    for (int i = 0; i < exprs.length; i++) {
      out[i] = expr(exprs[i]);
    }
    return out;
  }

  /** {@code VAR op CONST} on long slots. */
  static final class VarCompareConst extends Expr {
    private final Exprs.CompareOp op;
    private final int slot;
    private final long value;

    VarCompareConst(Exprs.CompareOp op, int slot, long value) {
      super(ValueType.BOOL);
      this.op = op;
      this.slot = slot;
      this.value = value;
    }

    @Override
    public long evalLong(Frame f) {
      return op.test(Long.compare(f.longs[slot], value)) ? 1 : 0;
    }
  }

  /** {@code VAR op VAR} on long slots. */
  static final class VarCompareVar extends Expr {
    private final Exprs.CompareOp op;
    private final int left;
    private final int right;

    VarCompareVar(Exprs.CompareOp op, int left, int right) {
      super(ValueType.BOOL);
      this.op = op;
      this.left = left;
      this.right = right;
    }

    @Override
    public long evalLong(Frame f) {
      return op.test(Long.compare(f.longs[left], f.longs[right])) ? 1 : 0;
    }
  }

  /** {@code VAR [not] in { constants }} when every constant is in 0..63 (enums): one bit test. */
  static final class VarInMask extends Expr {
    private final int slot;
    private final long mask;
    private final boolean negated;

    VarInMask(int slot, long mask, boolean negated) {
      super(ValueType.BOOL);
      this.slot = slot;
      this.mask = mask;
      this.negated = negated;
    }

    @Override
    public long evalLong(Frame f) {
      long v = f.longs[slot];
      boolean found = (v >>> 6) == 0 && ((mask >>> v) & 1) != 0;
      return found != negated ? 1 : 0;
    }
  }

  /** {@code VAR = CONST}. */
  static final class AssignConst extends Stmt {
    private final int slot;
    private final long value;

    AssignConst(int slot, long value) {
      this.slot = slot;
      this.value = value;
    }

    @Override
    public void exec(Frame f) {
      f.longs[slot] = value;
    }
  }

  /** {@code VAR = e.FIELD}. */
  static final class AssignField extends Stmt {
    private final int slot;
    private final int field;

    AssignField(int slot, int field) {
      this.slot = slot;
      this.field = field;
    }

    @Override
    public void exec(Frame f) {
      f.longs[slot] = f.eventLongs[field];
    }
  }

  /** {@code VAR += e.FIELD} and {@code VAR -= e.FIELD}, checked like {@link Stmts.AddAssign}. */
  static final class AddField extends Stmt {
    private final int slot;
    private final int field;
    private final boolean subtract;

    AddField(int slot, int field, boolean subtract) {
      this.slot = slot;
      this.field = field;
      this.subtract = subtract;
    }

    @Override
    public void exec(Frame f) {
      f.longs[slot] = Stmts.AddAssign.apply(f.longs[slot], f.eventLongs[field], subtract);
    }
  }
}
