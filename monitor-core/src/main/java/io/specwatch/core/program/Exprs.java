package io.specwatch.core.program;

import io.specwatch.core.eval.Checked;
import io.specwatch.core.eval.Frame;
import java.util.Arrays;
import java.util.Objects;
import java.util.Set;

/**
 * The expression nodes the compiler builds. This is the reference evaluator: a plain tree of
 * small nodes that the JIT can inline. Types were checked by the compiler; the constructors only
 * assert what the node itself relies on.
 */
public final class Exprs {
  private Exprs() {}

  public enum ArithOp { ADD, SUB, MUL, DIV, REM }

  public enum CompareOp {
    EQ("=="), NE("!="), LT("<"), LE("<="), GT(">"), GE(">=");

    public final String symbol;

    CompareOp(String symbol) {
      this.symbol = symbol;
    }

    public boolean test(int cmp) {
      return switch (this) {
        case EQ -> cmp == 0;
        case NE -> cmp != 0;
        case LT -> cmp < 0;
        case LE -> cmp <= 0;
        case GT -> cmp > 0;
        case GE -> cmp >= 0;
      };
    }
  }

  private static long bool(boolean b) {
    return b ? 1 : 0;
  }

  /** A constant held in a long slot: int, bool, time, duration or enum ordinal. */
  public static final class LongConst extends Expr {
    private final long value;

    public LongConst(ValueType type, long value) {
      super(type);
      this.value = value;
    }

    public long value() {
      return value;
    }

    @Override
    public long evalLong(Frame f) {
      return value;
    }
  }

  /** A string constant. */
  public static final class StringConst extends Expr {
    private final String value;

    public StringConst(String value) {
      super(ValueType.STRING);
      this.value = Objects.requireNonNull(value);
    }

    @Override
    public Object evalRef(Frame f) {
      return value;
    }
  }

  /** A state variable held in a long slot. */
  public static final class LongVar extends Expr {
    private final int slot;

    public LongVar(ValueType type, int slot) {
      super(type);
      this.slot = slot;
    }

    int slot() {
      return slot;
    }

    @Override
    public long evalLong(Frame f) {
      return f.longs[slot];
    }
  }

  /** A state variable held in a reference slot (string or set). */
  public static final class RefVar extends Expr {
    private final int slot;

    public RefVar(ValueType type, int slot) {
      super(type);
      this.slot = slot;
    }

    @Override
    public Object evalRef(Frame f) {
      return f.refs[slot];
    }
  }

  /** An event field held in a long slot. */
  public static final class LongField extends Expr {
    private final int slot;

    public LongField(ValueType type, int slot) {
      super(type);
      this.slot = slot;
    }

    int slot() {
      return slot;
    }

    @Override
    public long evalLong(Frame f) {
      return f.eventLongs[slot];
    }
  }

  /** An event field held in a reference slot (string). */
  public static final class RefField extends Expr {
    private final int slot;

    public RefField(ValueType type, int slot) {
      super(type);
      this.slot = slot;
    }

    @Override
    public Object evalRef(Frame f) {
      return f.eventRefs[slot];
    }
  }

  /** {@code now} and the implicit field {@code e.time}: both are the current event's time. */
  public static final class EventTime extends Expr {
    public EventTime() {
      super(ValueType.TIME);
    }

    @Override
    public long evalLong(Frame f) {
      return f.eventTime;
    }
  }

  /** The implicit field {@code e.key}. */
  public static final class EventKey extends Expr {
    public EventKey() {
      super(ValueType.STRING);
    }

    @Override
    public Object evalRef(Frame f) {
      return f.eventKey();
    }
  }

  /** Checked 64-bit arithmetic; also time ± duration and duration ± duration. */
  public static final class Arith extends Expr {
    private final ArithOp op;
    private final Expr left;
    private final Expr right;

    public Arith(ValueType type, ArithOp op, Expr left, Expr right) {
      super(type);
      this.op = op;
      this.left = left;
      this.right = right;
    }

    @Override
    public long evalLong(Frame f) {
      long a = left.evalLong(f);
      long b = right.evalLong(f);
      return switch (op) {
        case ADD -> Checked.add(a, b);
        case SUB -> Checked.sub(a, b);
        case MUL -> Checked.mul(a, b);
        case DIV -> Checked.div(a, b);
        case REM -> Checked.rem(a, b);
      };
    }
  }

  /** Unary minus on int or duration. */
  public static final class Negate extends Expr {
    private final Expr operand;

    public Negate(Expr operand) {
      super(operand.type());
      this.operand = operand;
    }

    @Override
    public long evalLong(Frame f) {
      return Checked.neg(operand.evalLong(f));
    }
  }

  /** A comparison of two long-slot values (==, != on any of them; ordering on int, time, duration). */
  public static final class CompareLong extends Expr {
    private final CompareOp op;
    private final Expr left;
    private final Expr right;

    public CompareLong(CompareOp op, Expr left, Expr right) {
      super(ValueType.BOOL);
      this.op = op;
      this.left = left;
      this.right = right;
    }

    CompareOp op() {
      return op;
    }

    Expr left() {
      return left;
    }

    Expr right() {
      return right;
    }

    @Override
    public long evalLong(Frame f) {
      return bool(op.test(Long.compare(left.evalLong(f), right.evalLong(f))));
    }
  }

  /** {@code ==} or {@code !=} on strings or sets. */
  public static final class EqualRef extends Expr {
    private final boolean negated;
    private final Expr left;
    private final Expr right;

    public EqualRef(boolean negated, Expr left, Expr right) {
      super(ValueType.BOOL);
      this.negated = negated;
      this.left = left;
      this.right = right;
    }

    @Override
    public long evalLong(Frame f) {
      return bool(left.evalRef(f).equals(right.evalRef(f)) != negated);
    }
  }

  public static final class And extends Expr {
    private final Expr left;
    private final Expr right;

    public And(Expr left, Expr right) {
      super(ValueType.BOOL);
      this.left = left;
      this.right = right;
    }

    Expr left() {
      return left;
    }

    Expr right() {
      return right;
    }

    @Override
    public long evalLong(Frame f) {
      return bool(left.evalBool(f) && right.evalBool(f));
    }
  }

  public static final class Or extends Expr {
    private final Expr left;
    private final Expr right;

    public Or(Expr left, Expr right) {
      super(ValueType.BOOL);
      this.left = left;
      this.right = right;
    }

    Expr left() {
      return left;
    }

    Expr right() {
      return right;
    }

    @Override
    public long evalLong(Frame f) {
      return bool(left.evalBool(f) || right.evalBool(f));
    }
  }

  public static final class Implies extends Expr {
    private final Expr left;
    private final Expr right;

    public Implies(Expr left, Expr right) {
      super(ValueType.BOOL);
      this.left = left;
      this.right = right;
    }

    Expr left() {
      return left;
    }

    Expr right() {
      return right;
    }

    @Override
    public long evalLong(Frame f) {
      return bool(!left.evalBool(f) || right.evalBool(f));
    }
  }

  public static final class Not extends Expr {
    private final Expr operand;

    public Not(Expr operand) {
      super(ValueType.BOOL);
      this.operand = operand;
    }

    Expr operand() {
      return operand;
    }

    @Override
    public long evalLong(Frame f) {
      return bool(!operand.evalBool(f));
    }
  }

  /** {@code x [not] in { literals }} for a long-slot x. */
  public static final class InLongList extends Expr {
    private final Expr value;
    private final long[] sortedMembers;
    private final boolean negated;

    public InLongList(Expr value, long[] members, boolean negated) {
      super(ValueType.BOOL);
      this.value = value;
      this.sortedMembers = members.clone();
      Arrays.sort(this.sortedMembers);
      this.negated = negated;
    }

    Expr value() {
      return value;
    }

    long[] sortedMembers() {
      return sortedMembers.clone();
    }

    boolean negated() {
      return negated;
    }

    @Override
    public long evalLong(Frame f) {
      boolean found = Arrays.binarySearch(sortedMembers, value.evalLong(f)) >= 0;
      return bool(found != negated);
    }
  }

  /** {@code x [not] in { "a", "b" }} for a string x. */
  public static final class InStringList extends Expr {
    private final Expr value;
    private final Set<String> members;
    private final boolean negated;

    public InStringList(Expr value, Set<String> members, boolean negated) {
      super(ValueType.BOOL);
      this.value = value;
      this.members = Set.copyOf(members);
      this.negated = negated;
    }

    @Override
    public long evalLong(Frame f) {
      return bool(members.contains(value.evalRef(f)) != negated);
    }
  }

  /** {@code x [not] in s} where s is a set variable. */
  public static final class InSet extends Expr {
    private final Expr value;
    private final Expr set;
    private final boolean negated;

    public InSet(Expr value, Expr set, boolean negated) {
      super(ValueType.BOOL);
      this.value = value;
      this.set = set;
      this.negated = negated;
    }

    @Override
    public long evalLong(Frame f) {
      Set<?> s = (Set<?>) set.evalRef(f);
      Object v = value.type().isLongSlot() ? (Object) value.evalLong(f) : value.evalRef(f);
      return bool(s.contains(v) != negated);
    }
  }

  /** {@code len(s)}: a set's elements or a string's Unicode code points. */
  public static final class Len extends Expr {
    private final Expr operand;

    public Len(Expr operand) {
      super(ValueType.INT);
      this.operand = operand;
    }

    @Override
    public long evalLong(Frame f) {
      Object v = operand.evalRef(f);
      if (v instanceof String s) {
        return s.codePointCount(0, s.length());
      }
      return ((Set<?>) v).size();
    }
  }
}
