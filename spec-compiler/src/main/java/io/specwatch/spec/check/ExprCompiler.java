package io.specwatch.spec.check;

import io.specwatch.core.program.EventField;
import io.specwatch.core.program.Expr;
import io.specwatch.core.program.Exprs;
import io.specwatch.core.program.Exprs.ArithOp;
import io.specwatch.core.program.Exprs.CompareOp;
import io.specwatch.core.program.StateVar;
import io.specwatch.core.program.Stmt;
import io.specwatch.core.program.Stmts;
import io.specwatch.core.program.ValueType;
import io.specwatch.core.program.ValueType.Kind;
import io.specwatch.spec.parse.Ast;
import io.specwatch.spec.parse.Token;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Type-checks expressions and statements of one scope and builds the runtime's nodes. Every
 * static error is a {@link CheckError} at the offending token.
 */
final class ExprCompiler {
  private final Scope scope;

  ExprCompiler(Scope scope) {
    this.scope = scope;
  }

  Expr condition(Ast.Expr e, String what) {
    Expr c = compile(e);
    if (c.type() != ValueType.BOOL) {
      throw new CheckError(tokenOf(e), what + " must be a bool, but this is " + c.type());
    }
    return c;
  }

  Expr compile(Ast.Expr e) {
    if (e instanceof Ast.IntLit i) {
      return new Exprs.LongConst(ValueType.INT, i.value());
    }
    if (e instanceof Ast.DurationLit d) {
      return new Exprs.LongConst(ValueType.DURATION, d.millis());
    }
    if (e instanceof Ast.StringLit s) {
      return new Exprs.StringConst(s.value());
    }
    if (e instanceof Ast.BoolLit b) {
      return new Exprs.LongConst(ValueType.BOOL, b.value() ? 1 : 0);
    }
    if (e instanceof Ast.Now) {
      return new Exprs.EventTime();
    }
    if (e instanceof Ast.Name n) {
      return name(n.token());
    }
    if (e instanceof Ast.FieldRef f) {
      return field(f);
    }
    if (e instanceof Ast.Unary u) {
      return unary(u);
    }
    if (e instanceof Ast.Binary b) {
      return binary(b);
    }
    if (e instanceof Ast.In in) {
      return in(in);
    }
    if (e instanceof Ast.Len len) {
      Expr operand = compile(len.operand());
      Kind k = operand.type().kind();
      if (k != Kind.STRING && !k.isSet()) {
        throw new CheckError(tokenOf(len.operand()),
            "len() takes a set or a string, but this is " + operand.type());
      }
      return new Exprs.Len(operand);
    }
    throw new IllegalStateException("unknown expression node " + e);
  }

  private Expr name(Token t) {
    String n = t.text();
    StateVar v = scope.vars().get(n);
    List<ValueType> owners = scope.constants().get(n);
    if (v != null) {
      return v.type().isLongSlot() ? new Exprs.LongVar(v.type(), v.slot())
          : new Exprs.RefVar(v.type(), v.slot());
    }
    if (owners != null) {
      if (owners.size() > 1) {
        List<String> vars = new ArrayList<>();
        for (StateVar sv : scope.vars().values()) {
          if (owners.contains(sv.type())) {
            vars.add("`" + sv.name() + "`");
          }
        }
        throw new CheckError(t, "`" + n + "` is a constant of " + owners.size() + " enums of `"
            + scope.entityName() + "` (" + String.join(", ", vars) + "), so it is ambiguous here: "
            + "expected a constant of one enum only; rename one of them");
      }
      ValueType type = owners.get(0);
      return new Exprs.LongConst(type, type.ordinalOf(n));
    }
    if (n.equals(scope.binding())) {
      throw new CheckError(t, "`" + n + "` is the event: use one of its fields, such as `" + n
          + ".time`" + (scope.fields().isEmpty() ? "" : " or `" + n + "." + scope.fields().keySet().iterator().next() + "`"));
    }
    List<String> constants = new ArrayList<>(new java.util.TreeSet<>(scope.constants().keySet()));
    List<String> known = new ArrayList<>(scope.vars().keySet());
    known.addAll(constants);
    String guess = Suggestions.closest(n, known);
    throw new CheckError(t, "unknown name `" + n + "`" + (guess == null ? "" : " (did you mean `" + guess + "`?)")
        + ": expected a state variable of `"
        + scope.entityName() + "`" + (scope.vars().isEmpty() ? "" : " (" + String.join(", ", scope.vars().keySet()) + ")")
        + (constants.isEmpty() ? "" : ", an enum constant (" + String.join(", ", constants) + ")")
        + (scope.binding() != null ? ", `now` or `" + scope.binding() + ".FIELD`" : " or `now`"));
  }

  private Expr field(Ast.FieldRef f) {
    String b = f.binding().text();
    if (!b.equals(scope.binding())) {
      if (scope.vars().containsKey(b)) {
        throw new CheckError(f.binding(), "state variable `" + b + "` has no fields");
      }
      throw new CheckError(f.binding(), scope.binding() == null
          ? "unknown name `" + b + "`: to read the event's fields, name it in the handler, as in `on "
              + (scope.eventName() == null ? "EVENT" : scope.eventName()) + "(" + b + ")`"
          : "unknown name `" + b + "`: the event is called `" + scope.binding() + "` here");
    }
    String name = f.field().text();
    if (name.equals("time")) {
      return new Exprs.EventTime();
    }
    if (name.equals("key")) {
      return new Exprs.EventKey();
    }
    EventField ef = scope.fields().get(name);
    if (ef == null) {
      List<String> known = new ArrayList<>(scope.fields().keySet());
      known.add("time");
      known.add("key");
      throw new CheckError(f.field(), "event `" + scope.eventName() + "` has no field `" + name
          + "`: expected one of its fields (" + String.join(", ", known) + ")");
    }
    return ef.type().isLongSlot() ? new Exprs.LongField(ef.type(), ef.slot())
        : new Exprs.RefField(ef.type(), ef.slot());
  }

  private Expr unary(Ast.Unary u) {
    Expr operand = compile(u.operand());
    if (u.op().isWord("not")) {
      if (operand.type() != ValueType.BOOL) {
        throw new CheckError(u.op(), "`not` takes a bool, but this is " + operand.type());
      }
      return new Exprs.Not(operand);
    }
    if (operand.type() != ValueType.INT && operand.type() != ValueType.DURATION) {
      throw new CheckError(u.op(), "unary `-` takes an int or a duration, but this is " + operand.type());
    }
    return new Exprs.Negate(operand);
  }

  private Expr binary(Ast.Binary b) {
    Token op = b.op();
    if (op.isWord("and") || op.isWord("or") || op.isWord("implies")) {
      Expr l = compile(b.left());
      Expr r = compile(b.right());
      requireBool(l, b.left(), op);
      requireBool(r, b.right(), op);
      return op.isWord("and") ? new Exprs.And(l, r)
          : op.isWord("or") ? new Exprs.Or(l, r) : new Exprs.Implies(l, r);
    }
    Expr l = compile(b.left());
    Expr r = compile(b.right());
    ValueType lt = l.type();
    ValueType rt = r.type();
    switch (op.kind()) {
      case PLUS, MINUS -> {
        boolean minus = op.kind() == io.specwatch.spec.parse.TokenKind.MINUS;
        ValueType result = null;
        if (lt == ValueType.INT && rt == ValueType.INT) {
          result = ValueType.INT;
        } else if (lt == ValueType.TIME && rt == ValueType.DURATION) {
          result = ValueType.TIME;
        } else if (lt == ValueType.DURATION && rt == ValueType.DURATION) {
          result = ValueType.DURATION;
        } else if (minus && lt == ValueType.TIME && rt == ValueType.TIME) {
          result = ValueType.DURATION;
        }
        if (result == null) {
          throw new CheckError(op, "`" + op.text() + "` cannot take " + lt + " and " + rt
              + ": it works on int " + op.text() + " int, time " + op.text() + " duration, duration "
              + op.text() + " duration" + (minus ? ", time - time" : ""));
        }
        return new Exprs.Arith(result, minus ? ArithOp.SUB : ArithOp.ADD, l, r);
      }
      case STAR, SLASH, PERCENT -> {
        if (lt != ValueType.INT || rt != ValueType.INT) {
          throw new CheckError(op, "`" + op.text() + "` takes two ints, but these are " + lt + " and " + rt);
        }
        ArithOp a = switch (op.kind()) {
          case STAR -> ArithOp.MUL;
          case SLASH -> ArithOp.DIV;
          default -> ArithOp.REM;
        };
        return new Exprs.Arith(ValueType.INT, a, l, r);
      }
      case EQ, NE -> {
        if (lt != rt) {
          throw new CheckError(op, "`" + op.text() + "` compares two values of one type, but these are "
              + lt + " and " + rt);
        }
        if (lt.isLongSlot()) {
          return new Exprs.CompareLong(op.kind() == io.specwatch.spec.parse.TokenKind.EQ
              ? CompareOp.EQ : CompareOp.NE, l, r);
        }
        return new Exprs.EqualRef(op.kind() == io.specwatch.spec.parse.TokenKind.NE, l, r);
      }
      case LT, LE, GT, GE -> {
        boolean ordered = lt == ValueType.INT || lt == ValueType.TIME || lt == ValueType.DURATION;
        if (lt != rt || !ordered) {
          throw new CheckError(op, "`" + op.text() + "` compares two ints, two times or two durations, "
              + "but these are " + lt + " and " + rt);
        }
        CompareOp c = switch (op.kind()) {
          case LT -> CompareOp.LT;
          case LE -> CompareOp.LE;
          case GT -> CompareOp.GT;
          default -> CompareOp.GE;
        };
        return new Exprs.CompareLong(c, l, r);
      }
      default -> throw new IllegalStateException("unknown operator " + op);
    }
  }

  private static void requireBool(Expr e, Ast.Expr at, Token op) {
    if (e.type() != ValueType.BOOL) {
      throw new CheckError(tokenOf(at), "`" + op.text() + "` takes bools, but this is " + e.type());
    }
  }

  private Expr in(Ast.In in) {
    Expr value = compile(in.value());
    ValueType t = value.type();
    if (in.members() == null) {
      Expr set = compile(in.set());
      if (!set.type().kind().isSet()) {
        throw new CheckError(tokenOf(in.set()), "`in` takes a list `{ ... }` or a set variable, but "
            + "this is " + set.type());
      }
      if (set.type().elementType() != t) {
        throw new CheckError(tokenOf(in.value()), "this is " + t + ", but the set after `in` holds "
            + set.type().elementType() + " elements");
      }
      return new Exprs.InSet(value, set, in.negated());
    }
    if (t.kind().isSet() || t == ValueType.TIME) {
      throw new CheckError(in.op(), "`in { ... }` needs literals of the value's type, and there are "
          + "no " + t + " literals");
    }
    List<Long> longs = new ArrayList<>();
    Set<String> strings = new HashSet<>();
    for (Ast.Expr m : in.members()) {
      if (!(m instanceof Ast.IntLit || m instanceof Ast.StringLit || m instanceof Ast.BoolLit
          || m instanceof Ast.DurationLit || m instanceof Ast.Name)) {
        throw new CheckError(tokenOf(m), "the list after `in` holds literals or enum constants only");
      }
      if (m instanceof Ast.Name n && scope.vars().containsKey(n.token().text())) {
        throw new CheckError(n.token(), "the list after `in` holds literals or enum constants only; `"
            + n.token().text() + "` is a state variable");
      }
      Expr c = compile(m);
      if (c.type() != t) {
        throw new CheckError(tokenOf(m), "this is " + c.type() + ", but the value before `in` is " + t);
      }
      if (t.isLongSlot()) {
        longs.add(((Exprs.LongConst) c).value());
      } else {
        strings.add((String) c.evalRef(null));
      }
    }
    if (t.isLongSlot()) {
      return new Exprs.InLongList(value, longs.stream().mapToLong(Long::longValue).toArray(), in.negated());
    }
    return new Exprs.InStringList(value, strings, in.negated());
  }

  // ------------------------------------------------------------------ statements

  /** Checks a block; every bad statement goes to {@code errors}, and the others are still checked. */
  Stmt[] block(List<Ast.Stmt> stmts, java.util.function.Consumer<CheckError> errors) {
    List<Stmt> out = new ArrayList<>();
    for (Ast.Stmt s : stmts) {
      try {
        out.add(statement(s, errors));
      } catch (CheckError e) {
        errors.accept(e);
      }
    }
    return out.toArray(new Stmt[0]);
  }

  private Stmt statement(Ast.Stmt s, java.util.function.Consumer<CheckError> errors) {
    if (s instanceof Ast.If i) {
      Expr c = null;
      try {
        c = condition(i.condition(), "an `if` condition");
      } catch (CheckError e) {
        errors.accept(e);
      }
      Stmt[] then = block(i.then(), errors);
      Stmt[] otherwise = block(i.otherwise(), errors);
      if (c == null) {
        throw new CheckError(null, null); // reported above
      }
      return new Stmts.If(c, then, otherwise);
    }
    if (s instanceof Ast.SetCall call) {
      StateVar v = target(call.target());
      if (!v.type().kind().isSet()) {
        throw new CheckError(call.method(), "`" + call.method().text() + "` works on sets, but `"
            + v.name() + "` is " + v.type());
      }
      Expr arg = compile(call.argument());
      if (arg.type() != v.type().elementType()) {
        throw new CheckError(tokenOf(call.argument()), "`" + v.name() + "` holds " + v.type().elementType()
            + " elements, but this is " + arg.type());
      }
      return call.method().isWord("add") ? new Stmts.SetAdd(v.slot(), arg) : new Stmts.SetRemove(v.slot(), arg);
    }
    Ast.Assign a = (Ast.Assign) s;
    StateVar v = target(a.target());
    Expr value = compile(a.value());
    ValueType vt = v.type();
    ValueType et = value.type();
    switch (a.op().kind()) {
      case ASSIGN -> {
        if (vt != et) {
          throw new CheckError(a.op(), "`" + v.name() + "` is " + vt + ", so expected a value of that "
              + "type, but this is " + et);
        }
        return vt.isLongSlot() ? new Stmts.AssignLong(v.slot(), value) : new Stmts.AssignRef(v.slot(), value);
      }
      default -> {
        boolean ok = (vt == ValueType.INT && et == ValueType.INT)
            || (vt == ValueType.DURATION && et == ValueType.DURATION)
            || (vt == ValueType.TIME && et == ValueType.DURATION);
        if (!ok) {
          throw new CheckError(a.op(), "`" + a.op().text() + "` works on int with int, duration with "
              + "duration, time with duration; `" + v.name() + "` is " + vt + " and the value is " + et);
        }
        return new Stmts.AddAssign(v.slot(), value, a.op().text().equals("-="));
      }
    }
  }

  private StateVar target(Token t) {
    StateVar v = scope.vars().get(t.text());
    if (v == null) {
      if (t.text().equals(scope.binding())) {
        throw new CheckError(t, "the event `" + t.text() + "` cannot be assigned: only state variables can");
      }
      throw new CheckError(t, "unknown state variable `" + t.text() + "`: expected one of the state "
          + "variables of `" + scope.entityName() + "`"
          + (scope.vars().isEmpty() ? " (it has none)"
              : " (" + String.join(", ", scope.vars().keySet()) + ")"));
    }
    return v;
  }

  static Token tokenOf(Ast.Expr e) {
    if (e instanceof Ast.IntLit i) {
      return i.token();
    }
    if (e instanceof Ast.DurationLit d) {
      return d.token();
    }
    if (e instanceof Ast.StringLit s) {
      return s.token();
    }
    if (e instanceof Ast.BoolLit b) {
      return b.token();
    }
    if (e instanceof Ast.Now n) {
      return n.token();
    }
    if (e instanceof Ast.Name n) {
      return n.token();
    }
    if (e instanceof Ast.FieldRef f) {
      return f.binding();
    }
    if (e instanceof Ast.Unary u) {
      return u.op();
    }
    if (e instanceof Ast.Binary b) {
      return tokenOf(b.left());
    }
    if (e instanceof Ast.In in) {
      return tokenOf(in.value());
    }
    if (e instanceof Ast.Len l) {
      return l.keyword();
    }
    throw new IllegalStateException("unknown expression node " + e);
  }
}
