package io.specwatch.core.program;

import io.specwatch.core.json.Document;
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

    /**
     * Compares the document's integer or boolean at {@code path} (of this literal's kind) with
     * this literal. Strings are only ever compared for equality, by {@link Document#stringEquals}.
     */
    int compareFrom(DocumentView doc, int path) {
      return Long.compare(doc.longValue(path), longValue);
    }
  }

  public static final class Compare extends Predicate {
    private final int path;
    private final CompareOp op;
    private final Literal literal;
    /** A string literal's UTF-8 (see {@link Document#utf8Of}): compared with the bytes. */
    private final byte[] literalUtf8;

    public Compare(int path, CompareOp op, Literal literal) {
      this.path = path;
      this.op = op;
      this.literal = literal;
      this.literalUtf8 = literal.kind() == JsonKind.STRING
          ? Document.utf8Of(literal.stringValue()) : null;
    }

    @Override
    public boolean test(DocumentView doc) {
      if (!literal.sameKindAs(doc.kind(path))) {
        return false; // missing, or another JSON type: false for every operator, != included
      }
      if (literal.kind() == JsonKind.STRING) {
        boolean eq = doc.stringEquals(path, literal.stringValue(), literalUtf8);
        return op == CompareOp.EQ ? eq : !eq; // the compiler allows only == and != on strings
      }
      return op.test(literal.compareFrom(doc, path));
    }
  }

  public static final class In extends Predicate {
    private final int path;
    private final Literal[] members;
    private final boolean negated;

    /** Each string member's UTF-8 (see {@link Document#utf8Of}), by member. */
    private final byte[][] membersUtf8;

    public In(int path, List<Literal> members, boolean negated) {
      this.path = path;
      this.members = members.toArray(new Literal[0]);
      this.negated = negated;
      this.membersUtf8 = new byte[this.members.length][];
      for (int i = 0; i < this.members.length; i++) {
        Literal m = this.members[i];
        membersUtf8[i] = m.kind() == JsonKind.STRING ? Document.utf8Of(m.stringValue()) : null;
      }
    }

    @Override
    public boolean test(DocumentView doc) {
      byte kind = doc.kind(path);
      boolean comparable = false;
      boolean found = false;
      for (int i = 0; i < members.length; i++) {
        Literal m = members[i];
        if (m.sameKindAs(kind)) {
          comparable = true;
          boolean equal = kind == JsonKind.STRING
              ? doc.stringEquals(path, m.stringValue(), membersUtf8[i])
              : m.compareFrom(doc, path) == 0;
          if (equal) {
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
