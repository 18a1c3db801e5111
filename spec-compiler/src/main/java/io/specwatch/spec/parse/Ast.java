package io.specwatch.spec.parse;

import java.util.List;

/**
 * The syntax tree: plain data with the tokens needed for error positions. Produced by
 * {@link Parser}, consumed by the checker. No types or resolution here.
 */
public final class Ast {
  private Ast() {}

  // ---- declarations ----

  public sealed interface Decl permits Input, Entity, Event, On, InvariantDecl, DeadlineDecl {
    Token keyword();
  }

  public record SpecFile(Token nameToken, List<Decl> decls) {}

  public record Input(Token keyword, Path time, Path id, DurationLit dedupe, Token dedupeToken,
      DurationLit lateness, String doc) implements Decl {}

  public record Entity(Token keyword, Token name, Path key, List<VarDecl> vars, Expr endsWhen,
      String doc) implements Decl {}

  public record VarDecl(Token name, TypeRef type, Literal initial) {}

  /** {@code kind} is the type word (int, bool, ..., enum, set); constants for enums; element for sets. */
  public record TypeRef(Token token, String kind, List<Token> constants, Token element) {}

  public record Event(Token keyword, Token name, Token entity, Path key, Pred when,
      List<FieldDecl> fields, String doc) implements Decl {}

  public record FieldDecl(Token name, TypeRef type, Path path, Literal defaultValue) {}

  /** {@code requires} clauses with their source text, quoted in transition messages. */
  public record On(Token keyword, Token event, Token binding, List<Expr> requires,
      List<String> requiresSource, List<Stmt> body, String doc) implements Decl {}

  public record InvariantDecl(Token keyword, Token name, Token entity, Expr condition, String doc)
      implements Decl {}

  public record DeadlineDecl(Token keyword, Token name, List<Token> after, List<Token> expect,
      DurationLit within, String doc) implements Decl {}

  // ---- paths and literals ----

  /** A document path; {@code segments} hold String keys or Integer indexes. */
  public record Path(Token start, List<Object> segments, String text) {}

  public sealed interface Literal permits IntLit, StringLit, BoolLit, DurationLit, NameLit, SetLit {
    Token token();
  }

  public record IntLit(Token token, long value) implements Literal, Expr {}

  public record StringLit(Token token, String value) implements Literal, Expr {}

  public record BoolLit(Token token, boolean value) implements Literal, Expr {}

  public record DurationLit(Token token, long millis) implements Literal, Expr {}

  /** A bare name as a literal: an enum constant as an initial value. */
  public record NameLit(Token token) implements Literal {}

  public record SetLit(Token token, List<Literal> elements) implements Literal {}

  // ---- predicates (over document paths) ----

  public sealed interface Pred permits PCompare, PIn, PExists, PAnd, POr, PNot {}

  /** {@code path op literal}; {@code flipped} when written {@code literal op path}. */
  public record PCompare(Token op, Path path, Literal literal) implements Pred {}

  public record PIn(Token op, Path path, boolean negated, List<Literal> members) implements Pred {}

  public record PExists(Token keyword, Path path) implements Pred {}

  public record PAnd(Pred left, Pred right) implements Pred {}

  public record POr(Pred left, Pred right) implements Pred {}

  public record PNot(Token keyword, Pred operand) implements Pred {}

  // ---- expressions (over state, event fields and now) ----

  public sealed interface Expr permits IntLit, StringLit, BoolLit, DurationLit, Name, FieldRef,
      Now, Binary, Unary, In, Len {}

  public record Name(Token token) implements Expr {}

  public record FieldRef(Token binding, Token field) implements Expr {}

  public record Now(Token token) implements Expr {}

  /** op is one of + - * / % == != < <= > >= and or implies. */
  public record Binary(Token op, Expr left, Expr right) implements Expr {}

  /** op is `-` or `not`. */
  public record Unary(Token op, Expr operand) implements Expr {}

  /** {@code x [not] in { ... }} ({@code members} non-null) or {@code x [not] in setVar}. */
  public record In(Token op, Expr value, boolean negated, List<Expr> members, Expr set)
      implements Expr {}

  public record Len(Token keyword, Expr operand) implements Expr {}

  // ---- statements ----

  public sealed interface Stmt permits Assign, If, SetCall {}

  /** op is `=`, `+=` or `-=`. */
  public record Assign(Token target, Token op, Expr value) implements Stmt {}

  public record If(Token keyword, Expr condition, List<Stmt> then, List<Stmt> otherwise)
      implements Stmt {}

  /** {@code target.add(x)} or {@code target.remove(x)}. */
  public record SetCall(Token target, Token method, Expr argument) implements Stmt {}
}
