package io.specwatch.core.program;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.specwatch.core.eval.EvalFault;
import io.specwatch.core.eval.Frame;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Every shape {@link Specializer} rewrites computes what the compiler's tree computes, on random
 * states and event fields including the extremes (so overflow faults too), and the shapes are in
 * fact rewritten (else this would compare a tree with itself).
 */
class SpecializerTest {
  private static final long[] EXTREMES = {0, 1, -1, 2, 63, 64, -64, Long.MAX_VALUE, Long.MIN_VALUE,
      Long.MAX_VALUE - 1, Long.MIN_VALUE + 1};

  private static long value(Random rnd) {
    return rnd.nextInt(3) == 0 ? EXTREMES[rnd.nextInt(EXTREMES.length)] : rnd.nextInt(9) - 2;
  }

  private static Frame frame(Random rnd) {
    Frame f = new Frame(3, 0);
    for (int i = 0; i < 3; i++) {
      f.longs[i] = value(rnd);
    }
    f.bindEvent(new long[] {value(rnd), value(rnd)}, new Object[0], 0, "k");
    return f;
  }

  private static Frame copy(Frame f) {
    Frame c = new Frame(f.longs.length, 0);
    System.arraycopy(f.longs, 0, c.longs, 0, f.longs.length);
    c.bindEvent(f.eventLongs.clone(), new Object[0], f.eventTime, f.eventKey());
    return c;
  }

  private static List<Expr> expressions() {
    List<Expr> out = new ArrayList<>();
    Exprs.LongVar a = new Exprs.LongVar(ValueType.INT, 0);
    Exprs.LongVar b = new Exprs.LongVar(ValueType.INT, 1);
    for (Exprs.CompareOp op : Exprs.CompareOp.values()) {
      out.add(new Exprs.CompareLong(op, a, new Exprs.LongConst(ValueType.INT, 2)));
      out.add(new Exprs.CompareLong(op, a, new Exprs.LongConst(ValueType.INT, Long.MIN_VALUE)));
      out.add(new Exprs.CompareLong(op, a, b));
    }
    for (boolean negated : new boolean[] {false, true}) {
      out.add(new Exprs.InLongList(a, new long[] {0, 2, 63}, negated));
      out.add(new Exprs.InLongList(b, new long[] {1}, negated));
    }
    Expr eq = new Exprs.CompareLong(Exprs.CompareOp.EQ, a, b);
    Expr in = new Exprs.InLongList(b, new long[] {0, 1}, false);
    out.add(new Exprs.And(eq, in));
    out.add(new Exprs.Or(eq, in));
    out.add(new Exprs.Implies(in, eq));
    out.add(new Exprs.Not(in));
    return out;
  }

  private static List<Stmt> statements() {
    List<Stmt> out = new ArrayList<>();
    out.add(new Stmts.AssignLong(0, new Exprs.LongConst(ValueType.INT, 5)));
    out.add(new Stmts.AssignLong(1, new Exprs.LongField(ValueType.INT, 1)));
    out.add(new Stmts.AddAssign(2, new Exprs.LongField(ValueType.INT, 0), false));
    out.add(new Stmts.AddAssign(2, new Exprs.LongField(ValueType.INT, 1), true));
    Expr cond = new Exprs.CompareLong(Exprs.CompareOp.EQ, new Exprs.LongVar(ValueType.INT, 2),
        new Exprs.LongVar(ValueType.INT, 1));
    out.add(new Stmts.If(cond, new Stmt[] {out.get(0), out.get(2)}, new Stmt[] {out.get(3)}));
    return out;
  }

  @Test
  void specialisedExpressionsEvaluateLikeTheirTrees() {
    Random rnd = new Random(5);
    for (Expr tree : expressions()) {
      Expr fast = Specializer.expr(tree);
      assertRewritten(tree, fast);
      for (int i = 0; i < 2000; i++) {
        Frame f = frame(rnd);
        assertEquals(tree.evalLong(f), fast.evalLong(f),
            tree.getClass().getSimpleName() + " on " + java.util.Arrays.toString(f.longs));
      }
    }
  }

  /**
   * A leaf shape becomes a specialised node; and, or, implies and not are rebuilt whatever their
   * children are, so for them the children must be the rewritten ones.
   */
  private static void assertRewritten(Expr tree, Expr fast) {
    String name = tree.getClass().getSimpleName();
    if (tree instanceof Exprs.And a) {
      assertChildRewritten(a.left(), ((Exprs.And) fast).left(), name);
      assertChildRewritten(a.right(), ((Exprs.And) fast).right(), name);
    } else if (tree instanceof Exprs.Or o) {
      assertChildRewritten(o.left(), ((Exprs.Or) fast).left(), name);
      assertChildRewritten(o.right(), ((Exprs.Or) fast).right(), name);
    } else if (tree instanceof Exprs.Implies i) {
      assertChildRewritten(i.left(), ((Exprs.Implies) fast).left(), name);
      assertChildRewritten(i.right(), ((Exprs.Implies) fast).right(), name);
    } else if (tree instanceof Exprs.Not n) {
      assertChildRewritten(n.operand(), ((Exprs.Not) fast).operand(), name);
    } else {
      assertChildRewritten(tree, fast, name);
    }
  }

  private static void assertChildRewritten(Expr tree, Expr fast, String in) {
    assertTrue(fast instanceof Specializer.VarCompareConst
        || fast instanceof Specializer.VarCompareVar || fast instanceof Specializer.VarInMask,
        in + ": " + tree.getClass().getSimpleName() + " became " + fast.getClass().getSimpleName());
  }

  @Test
  void specialisedStatementsWriteAndFaultLikeTheirTrees() {
    Random rnd = new Random(6);
    int faults = 0;
    for (Stmt tree : statements()) {
      Stmt fast = Specializer.stmt(tree);
      assertNotSame(tree, fast, "rewritten: " + tree.getClass().getSimpleName());
      for (int i = 0; i < 2000; i++) {
        Frame slow = frame(rnd);
        Frame quick = copy(slow);
        EvalFault slowFault = null;
        EvalFault quickFault = null;
        try {
          tree.exec(slow);
        } catch (EvalFault e) {
          slowFault = e;
        }
        try {
          fast.exec(quick);
        } catch (EvalFault e) {
          quickFault = e;
        }
        assertSame(slowFault, quickFault);
        faults += slowFault == null ? 0 : 1;
        assertArrayEquals(slow.longs, quick.longs);
      }
    }
    assertTrue(faults > 0, "the extremes make some additions overflow");
  }

  @Test
  void shapesItDoesNotKnowAreLeftAlone() {
    Expr wide =
        new Exprs.InLongList(new Exprs.LongVar(ValueType.INT, 0), new long[] {1, 64}, false);
    assertSame(wide, Specializer.expr(wide), "a constant past 63 keeps the binary search");
    Expr arith = new Exprs.Arith(ValueType.INT, Exprs.ArithOp.ADD,
        new Exprs.LongVar(ValueType.INT, 0), new Exprs.LongConst(ValueType.INT, 1));
    assertSame(arith, Specializer.expr(arith));
  }
}
