package io.specwatch.core.program;

import io.specwatch.core.json.DocumentView;
import io.specwatch.core.json.JsonKind;
import io.specwatch.core.program.Exprs.CompareOp;
import java.util.List;

/** The predicate nodes the compiler builds. Paths are the spec's path indexes. */
public final class Predicates {
  private Predicates() {}

  /** A literal in a predicate: an integer, a string or a boolean, with its JSON kind. */
  public record Literal(byte kind, long longValue, String stringValue) {
    public static Literal ofInt(long v) {
      return new Literal(JsonKind.INT, v, null);
    }

    public static Literal ofString(String v) {
      return new Literal(JsonKind.STRING, 0, v);
    }

    public static Literal ofBool(boolean v) {
      return new Literal(JsonKind.BOOL, v ? 1 : 0, null);
    }

    boolean sameKindAs(byte docKind) {
      return kind == docKind;
    }

    /** Compares the document value at {@code path} (of this literal's kind) with this literal. */
    int compareFrom(DocumentView doc, int path) {
      return kind == JsonKind.STRING
          ? doc.stringValue(path).compareTo(stringValue)
          : Long.compare(doc.longValue(path), longValue);
    }
  }

  public static final class Compare extends Predicate {
    private final int path;
    private final CompareOp op;
    private final Literal literal;

    public Compare(int path, CompareOp op, Literal literal) {
      this.path = path;
      this.op = op;
      this.literal = literal;
    }

    @Override
    public boolean test(DocumentView doc) {
      if (!literal.sameKindAs(doc.kind(path))) {
        return false; // missing, or another JSON type: false for every operator, != included
      }
      if (literal.kind() == JsonKind.STRING) {
        boolean eq = doc.stringValue(path).equals(literal.stringValue());
        return op == CompareOp.EQ ? eq : !eq; // the compiler allows only == and != on strings
      }
      return op.test(literal.compareFrom(doc, path));
    }
  }

  public static final class In extends Predicate {
    private final int path;
    private final Literal[] members;
    private final boolean negated;

    public In(int path, List<Literal> members, boolean negated) {
      this.path = path;
      this.members = members.toArray(new Literal[0]);
      this.negated = negated;
    }

    @Override
    public boolean test(DocumentView doc) {
      byte kind = doc.kind(path);
      boolean comparable = false;
      boolean found = false;
      for (Literal m : members) {
        if (m.sameKindAs(kind)) {
          comparable = true;
          if (m.compareFrom(doc, path) == 0) {
            found = true;
            break;
          }
        }
      }
      // Like every comparison, `not in` is false when the value is missing or of another type.
      return comparable && (found != negated);
    }
  }

  public static final class Exists extends Predicate {
    private final int path;

    public Exists(int path) {
      this.path = path;
    }

    @Override
    public boolean test(DocumentView doc) {
      return doc.kind(path) != JsonKind.MISSING;
    }
  }

  public static final class And extends Predicate {
    private final Predicate left;
    private final Predicate right;

    public And(Predicate left, Predicate right) {
      this.left = left;
      this.right = right;
    }

    @Override
    public boolean test(DocumentView doc) {
      return left.test(doc) && right.test(doc);
    }
  }

  public static final class Or extends Predicate {
    private final Predicate left;
    private final Predicate right;

    public Or(Predicate left, Predicate right) {
      this.left = left;
      this.right = right;
    }

    @Override
    public boolean test(DocumentView doc) {
      return left.test(doc) || right.test(doc);
    }
  }

  public static final class Not extends Predicate {
    private final Predicate operand;

    public Not(Predicate operand) {
      this.operand = operand;
    }

    @Override
    public boolean test(DocumentView doc) {
      return !operand.test(doc);
    }
  }
}
