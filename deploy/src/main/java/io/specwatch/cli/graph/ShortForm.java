package io.specwatch.cli.graph;

import io.specwatch.spec.parse.Ast;
import java.util.ArrayList;
import java.util.List;

/**
 * Prints an expression of the syntax tree back as spec text, in one line with single spaces and
 * only the parentheses that precedence needs (plus one around the operand of a {@code not} that is
 * a comparison, which reads better): the "short form" used in edge labels and notes.
 */
public final class ShortForm {
  private ShortForm() {}

  // Precedence levels, loosest first, as in the language reference.
  private static final int IMPLIES = 1;
  private static final int OR = 2;
  private static final int AND = 3;
  private static final int NOT = 4;
  private static final int COMPARE = 5;
  private static final int ADD = 6;
  private static final int MUL = 7;
  private static final int NEG = 8;
  private static final int PRIMARY = 9;

  public static String print(Ast.Expr e) {
    return print(e, IMPLIES);
  }

  /** The text of {@code e} as an operand of {@code and}: parenthesized when looser. */
  public static String conjunct(Ast.Expr e) {
    return print(e, NOT);
  }

  /** The text of {@code not e}, with comparisons inverted rather than negated where one exists. */
  public static String negate(Ast.Expr e) {
    return negate(e, IMPLIES);
  }

  /** {@link #negate(Ast.Expr)} as an operand of {@code and}. */
  public static String negatedConjunct(Ast.Expr e) {
    return negate(e, NOT);
  }

  private static String negate(Ast.Expr e, int min) {
    if (e instanceof Ast.Unary u && u.op().text().equals("not")) {
      return print(u.operand(), min);
    }
    if (e instanceof Ast.BoolLit b) {
      return b.value() ? "false" : "true";
    }
    if (e instanceof Ast.Binary b) {
      String inverse;
      switch (b.op().text()) {
        case "==" -> inverse = "!=";
        case "!=" -> inverse = "==";
        case "<" -> inverse = ">=";
        case "<=" -> inverse = ">";
        case ">" -> inverse = "<=";
        case ">=" -> inverse = "<";
        default -> inverse = null;
      }
      if (inverse != null) {
        return print(b.left(), ADD) + " " + inverse + " " + print(b.right(), ADD);
      }
    }
    if (e instanceof Ast.In in) {
      return in(in, !in.negated());
    }
    return "not " + operandOfNot(e);
  }

  /** Splits an expression into its top-level {@code and} operands, left to right. */
  public static List<Ast.Expr> conjuncts(Ast.Expr e) {
    List<Ast.Expr> out = new ArrayList<>();
    collect(e, "and", out);
    return out;
  }

  /** Splits an expression into its top-level {@code or} operands, left to right. */
  public static List<Ast.Expr> disjuncts(Ast.Expr e) {
    List<Ast.Expr> out = new ArrayList<>();
    collect(e, "or", out);
    return out;
  }

  private static void collect(Ast.Expr e, String op, List<Ast.Expr> out) {
    if (e instanceof Ast.Binary b && b.op().text().equals(op)) {
      collect(b.left(), op, out);
      collect(b.right(), op, out);
    } else {
      out.add(e);
    }
  }

  private static String print(Ast.Expr e, int min) {
    String s = text(e);
    return level(e) < min ? "(" + s + ")" : s;
  }

  private static String text(Ast.Expr e) {
    if (e instanceof Ast.IntLit i) {
      return i.value() < 0 ? "-" + i.token().text() : i.token().text();
    }
    if (e instanceof Ast.DurationLit d) {
      return d.millis() < 0 ? "-" + d.token().text() : d.token().text();
    }
    if (e instanceof Ast.StringLit s) {
      return s.token().text();
    }
    if (e instanceof Ast.BoolLit b) {
      return b.value() ? "true" : "false";
    }
    if (e instanceof Ast.Name n) {
      return n.token().text();
    }
    if (e instanceof Ast.FieldRef f) {
      return f.binding().text() + "." + f.field().text();
    }
    if (e instanceof Ast.Now) {
      return "now";
    }
    if (e instanceof Ast.Len l) {
      return "len(" + print(l.operand(), IMPLIES) + ")";
    }
    if (e instanceof Ast.In in) {
      return in(in, in.negated());
    }
    if (e instanceof Ast.Unary u) {
      if (u.op().text().equals("not")) {
        return "not " + operandOfNot(u.operand());
      }
      String operand = print(u.operand(), NEG);
      return "-" + (operand.startsWith("-") ? "(" + operand + ")" : operand);
    }
    return binary((Ast.Binary) e);
  }

  private static String operandOfNot(Ast.Expr operand) {
    int level = level(operand);
    return level == COMPARE ? "(" + print(operand) + ")" : print(operand, NOT);
  }

  private static String in(Ast.In in, boolean negated) {
    String list = in.members() != null ? list(in.members()) : print(in.set(), ADD);
    return print(in.value(), ADD) + (negated ? " not in " : " in ") + list;
  }

  private static String list(List<Ast.Expr> members) {
    if (members.isEmpty()) {
      return "{ }";
    }
    List<String> parts = new ArrayList<>();
    for (Ast.Expr m : members) {
      parts.add(print(m, ADD));
    }
    return "{ " + String.join(", ", parts) + " }";
  }

  private static String binary(Ast.Binary b) {
    String op = b.op().text();
    int level = level(b);
    int leftMin;
    int rightMin;
    switch (level) {
      case IMPLIES -> {
        leftMin = OR;
        rightMin = IMPLIES; // right-associative
      }
      case COMPARE -> {
        leftMin = ADD; // comparisons do not chain
        rightMin = ADD;
      }
      default -> {
        leftMin = level;
        rightMin = level + 1; // left-associative
      }
    }
    return print(b.left(), leftMin) + " " + op + " " + print(b.right(), rightMin);
  }

  private static int level(Ast.Expr e) {
    if (e instanceof Ast.Binary b) {
      switch (b.op().text()) {
        case "implies":
          return IMPLIES;
        case "or":
          return OR;
        case "and":
          return AND;
        case "+":
        case "-":
          return ADD;
        case "*":
        case "/":
        case "%":
          return MUL;
        default:
          return COMPARE;
      }
    }
    if (e instanceof Ast.In) {
      return COMPARE;
    }
    if (e instanceof Ast.Unary u) {
      return u.op().text().equals("not") ? NOT : NEG;
    }
    if (e instanceof Ast.IntLit i && i.value() < 0 || e instanceof Ast.DurationLit d && d.millis() < 0) {
      return NEG;
    }
    return PRIMARY;
  }
}
