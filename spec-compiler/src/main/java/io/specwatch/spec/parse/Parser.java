package io.specwatch.spec.parse;

import io.specwatch.spec.parse.Ast.*;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Recursive-descent parser for one spec file.
 *
 * <p>Newlines end statements and declarations, except inside {@code ( )}, {@code [ ]} and
 * {@code { }} lists (tracked by {@link #listDepth}), after a binary operator or a comma, and
 * before a part a declaration cannot do without ({@code for when requires { expect within},
 * handled by {@link #continuesWith}). On an error the parser reports it and resynchronises at the
 * next line that starts a declaration, so one run reports many errors.
 */
public final class Parser {
  /** Receives syntax errors. */
  public interface ErrorSink {
    void error(Token at, String message);
  }

  /** Words that cannot be declared names. */
  public static final Set<String> KEYWORDS = Set.of("spec", "input", "time", "id", "dedupe",
      "within", "lateness", "entity", "key", "ends", "when", "event", "for", "on", "requires",
      "invariant", "deadline", "after", "expect", "or", "and", "not", "implies", "in", "if", "else",
      "true", "false", "int", "bool", "string", "duration", "enum", "set", "now", "exists", "len",
      "default");

  /** Words that cannot start a document path (they need the quoted form `["not"]`). */
  public static final Set<String> EXPRESSION_WORDS = Set.of("and", "or", "not", "implies", "in",
      "if", "else", "true", "false", "now", "exists", "len");

  /**
   * How deep parentheses, `not`, unary minus, `implies`, `if` blocks and set literals may nest,
   * and how many operators one expression or predicate may hold. The compiler and the runtime
   * walk expressions recursively: these bounds keep any spec far from a stack overflow.
   */
  static final int MAX_NESTING = 100;

  static final int MAX_OPERATORS = 1_000;

  private static final Set<String> DECLARATION_WORDS =
      Set.of("input", "entity", "event", "on", "invariant", "deadline");

  private static final class ParseError extends RuntimeException {
    final Token at;

    ParseError(Token at, String message) {
      super(message, null, false, false);
      this.at = at;
    }
  }

  private final String src;
  private final List<Token> tokens;
  private final ErrorSink errors;
  private int pos;
  private int listDepth;
  /** The event's name in the handler whose body is being parsed (`e` in `on x(e)`), or null. */
  private String handlerBinding;
  private int nesting;
  private int operators;
  /** The name of the declaration being parsed, once read; null before. */
  private Token declaring;
  /** Names of declarations that did not parse, so the checker does not call them unknown. */
  private final Set<String> brokenNames = new java.util.HashSet<>();

  public Parser(String src, List<Token> tokens, ErrorSink errors) {
    this.src = src;
    this.tokens = tokens;
    this.errors = errors;
  }

  /** Parses the file; returns null when there is not even a {@code spec NAME} line. */
  public SpecFile parseFile() {
    skipSeparators();
    Token name;
    try {
      Token kw = peek();
      if (!kw.isWord("spec")) {
        throw error(kw, "expected `spec NAME` as the first line of the file, found " + kw.describe());
      }
      next();
      name = declaredName("a spec name");
      endDeclaration("the spec name");
    } catch (ParseError e) {
      errors.error(e.at, e.getMessage());
      return null;
    }
    List<Decl> decls = new ArrayList<>();
    while (true) {
      skipSeparators();
      if (peek().is(TokenKind.EOF)) {
        break;
      }
      declaring = null;
      nesting = 0;
      operators = 0;
      try {
        decls.add(declaration());
      } catch (ParseError e) {
        errors.error(e.at, e.getMessage());
        if (declaring != null) {
          brokenNames.add(declaring.text());
        }
        recover();
      }
    }
    return new SpecFile(name, decls);
  }

  /**
   * Names of the entities, events, invariants and deadlines whose declaration had a syntax error
   * (after {@link #parseFile()}). References to them are not reported as unknown names: the syntax
   * error already explains them.
   */
  public Set<String> brokenNames() {
    return Set.copyOf(brokenNames);
  }

  // ------------------------------------------------------------------ token helpers

  private Token peek() {
    if (listDepth > 0) {
      while (tokens.get(pos).is(TokenKind.NEWLINE)) {
        pos++;
      }
    }
    return tokens.get(pos);
  }

  /** The token after the current one ({@code t} must be the result of {@link #peek()}). */
  private Token peekAfter(Token t) {
    return pos + 1 < tokens.size() ? tokens.get(pos + 1) : t;
  }

  private Token next() {
    Token t = peek();
    if (!t.is(TokenKind.EOF)) {
      pos++;
    }
    return t;
  }

  /** The index of a token of the list (found by its offset: tokens are in source order), or -1. */
  private int indexOf(Token t) {
    int lo = 0;
    int hi = tokens.size() - 1;
    while (lo <= hi) {
      int mid = (lo + hi) >>> 1;
      int start = tokens.get(mid).start();
      if (start < t.start()) {
        lo = mid + 1;
      } else if (start > t.start()) {
        hi = mid - 1;
      } else {
        return mid;
      }
    }
    return -1;
  }

  /** The index of the token {@link #peek()} returns. */
  private int indexOfNext() {
    peek();
    return pos;
  }

  /**
   * The source text of tokens {@code [from, to)} as written, but with comments dropped and every
   * run of white space or line breaks between tokens shown as one space: the form quoted in
   * messages, such as the failing `requires` clause of a transition.
   */
  private String sourceText(int from, int to) {
    StringBuilder sb = new StringBuilder();
    Token prev = null;
    for (int i = from; i < to && i < tokens.size(); i++) {
      Token t = tokens.get(i);
      if (t.is(TokenKind.NEWLINE) || t.is(TokenKind.EOF)) {
        continue;
      }
      if (prev != null && t.start() > prev.end()) {
        sb.append(' ');
      }
      sb.append(src, t.start(), t.end());
      prev = t;
    }
    return sb.toString();
  }

  private boolean at(TokenKind k) {
    return peek().is(k);
  }

  private boolean atWord(String w) {
    return peek().isWord(w);
  }

  private Token expect(TokenKind k, String context) {
    Token t = peek();
    if (!t.is(k)) {
      throw error(t, "expected " + k.description + " " + context + ", found " + t.describe());
    }
    return next();
  }

  private Token expectWord(String w, String context) {
    Token t = peek();
    if (!t.isWord(w)) {
      throw error(t, "expected `" + w + "` " + context + ", found " + t.describe());
    }
    return next();
  }

  /** Enters one level of nesting (a parenthesis, `not`, a block, ...) at {@code at}. */
  private void enter(Token at) {
    if (++nesting > MAX_NESTING) {
      throw error(at, "nested more than " + MAX_NESTING + " levels deep here: expected a simpler "
          + "expression or fewer nested blocks");
    }
  }

  private void leave() {
    nesting--;
  }

  /** Counts one operator of the current expression or predicate. */
  private void operator(Token at) {
    if (++operators > MAX_OPERATORS) {
      throw error(at, "more than " + MAX_OPERATORS + " operators in one expression: expected a "
          + "shorter one");
    }
  }

  private ParseError error(Token at, String message) {
    if (at.is(TokenKind.EOF)) {
      return new ParseError(endOfLastToken(at), message);
    }
    int i = indexOf(at) - 1;
    if (at.kind() == TokenKind.WORD && DECLARATION_WORDS.contains(at.text()) && i >= 0
        && tokens.get(i).is(TokenKind.NEWLINE)) {
      // A line that ends with an operator or a comma continues on the next: when the next line
      // starts a declaration, the line before is incomplete. Say so, at its end.
      while (i >= 0 && tokens.get(i).is(TokenKind.NEWLINE)) {
        i--;
      }
      if (i >= 0) {
        Token last = tokens.get(i);
        Token end = new Token(TokenKind.NEWLINE, "", last.line(), last.column() + last.text().length(),
            last.end(), last.end(), null, 0, false, null);
        return new ParseError(end, message.replace(" found " + at.describe(),
            " found the end of the line (the next line starts a new declaration)"));
      }
    }
    return new ParseError(at, message);
  }

  /**
   * Where "the end of the file" is shown: just after the last token, rather than on a line past
   * the text that the user never wrote.
   */
  private Token endOfLastToken(Token eof) {
    for (int i = tokens.size() - 1; i >= 0; i--) {
      Token t = tokens.get(i);
      if (!t.is(TokenKind.EOF) && !t.is(TokenKind.NEWLINE)) {
        int col = t.column() + t.text().length();
        if (t.text().indexOf('\n') >= 0 || t.text().indexOf('\r') >= 0) {
          return eof; // cannot happen for real tokens; keep a valid position anyway
        }
        return new Token(TokenKind.EOF, "", t.line(), col, t.end(), t.end(), null, 0, false, null);
      }
    }
    return eof;
  }

  /**
   * The contract's newline rule where a part must follow on the same line: after `requires`,
   * `when`, an invariant's or deadline's `:`, and `=`, `+=`, `-=`, none of which is a binary
   * operator or a comma, a line break ends the declaration before its part (so `invariant x:`
   * and the condition on the next line is an error that says so). Inside a list a line break is
   * allowed anywhere.
   */
  private void noLineBreak(String expected) {
    if (listDepth == 0 && tokens.get(pos).is(TokenKind.NEWLINE)) {
      throw error(tokens.get(pos), "expected " + expected + " on the same line, found a new line"
          + " (a line break ends the declaration here; break the line after an operator or a"
          + " comma instead)");
    }
  }

  private void skipNewlines() {
    while (tokens.get(pos).is(TokenKind.NEWLINE)) {
      pos++;
    }
  }

  private void skipSeparators() {
    while (tokens.get(pos).is(TokenKind.NEWLINE) || tokens.get(pos).is(TokenKind.SEMI)) {
      pos++;
    }
  }

  /**
   * True when the next token, possibly after newlines, is the word {@code w} (or the kind, for
   * `{`); the newlines are then consumed. Used before the parts a declaration cannot do without.
   */
  private boolean continuesWith(String w) {
    int i = pos;
    while (tokens.get(i).is(TokenKind.NEWLINE)) {
      i++;
    }
    Token t = tokens.get(i);
    boolean match = w.equals("{") ? t.is(TokenKind.LBRACE) : t.isWord(w);
    if (match) {
      pos = i;
    }
    return match;
  }

  private void endDeclaration(String what) {
    Token t = tokens.get(pos);
    if (t.is(TokenKind.NEWLINE) || t.is(TokenKind.SEMI)) {
      skipSeparators();
      return;
    }
    if (t.is(TokenKind.EOF)) {
      return;
    }
    throw error(t, "expected a new line or `;` after " + what + ", found " + t.describe());
  }

  private void endStatement(String what) {
    Token t = tokens.get(pos);
    if (t.is(TokenKind.NEWLINE) || t.is(TokenKind.SEMI)) {
      skipSeparators();
      return;
    }
    if (t.is(TokenKind.RBRACE)) {
      return;
    }
    throw error(t, "expected a new line, `;` or `}` after " + what + ", found " + t.describe());
  }

  /** Skips to the next line that starts with a declaration word. */
  private void recover() {
    while (true) {
      Token t = tokens.get(pos);
      if (t.is(TokenKind.EOF)) {
        listDepth = 0;
        return;
      }
      boolean lineStart = pos > 0 && tokens.get(pos - 1).is(TokenKind.NEWLINE);
      if (lineStart && t.kind() == TokenKind.WORD && DECLARATION_WORDS.contains(t.text())) {
        listDepth = 0;
        return;
      }
      pos++;
    }
  }

  private Token declaredName(String what) {
    return declaredName(what, "");
  }

  /** A name being declared; {@code alternatives} (such as " or `ends when`") extends "expected". */
  private Token declaredName(String what, String alternatives) {
    Token t = peek();
    if (t.kind() != TokenKind.WORD) {
      throw error(t, "expected " + what + alternatives + ", found " + t.describe());
    }
    if (KEYWORDS.contains(t.text())) {
      throw error(t, "`" + t.text() + "` is a keyword and cannot be used as " + what
          + "; choose another name");
    }
    return next();
  }

  /** A name that refers to a declaration; keywords never name one. */
  private Token reference(String what) {
    Token t = peek();
    if (t.kind() != TokenKind.WORD || KEYWORDS.contains(t.text())) {
      throw error(t, "expected " + what + ", found " + t.describe());
    }
    return next();
  }

  // ------------------------------------------------------------------ declarations

  private Decl declaration() {
    Token kw = peek();
    if (kw.kind() == TokenKind.WORD) {
      switch (kw.text()) {
        case "input" -> {
          return input();
        }
        case "entity" -> {
          return entity();
        }
        case "event" -> {
          return event();
        }
        case "on" -> {
          return handler();
        }
        case "invariant" -> {
          return invariant();
        }
        case "deadline" -> {
          return deadline();
        }
        case "spec" -> throw error(kw, "expected a declaration (input, entity, event, on, invariant or "
            + "deadline), found a second `spec` line: a file holds one spec");
        default -> {
          // fall through to the error below
        }
      }
    }
    throw error(kw, "expected a declaration (input, entity, event, on, invariant or deadline), found "
        + kw.describe());
  }

  private Input input() {
    Token kw = next();
    if (!continuesWith("{")) {
      throw error(peek(), "expected `{` after `input`, found " + peek().describe());
    }
    next();
    int saved = listDepth;
    listDepth = 0;
    Path time = null;
    Path id = null;
    DurationLit dedupe = null;
    Token dedupeToken = null;
    DurationLit lateness = null;
    java.util.Map<String, Token> seen = new java.util.HashMap<>();
    skipSeparators();
    while (!at(TokenKind.RBRACE)) {
      Token clause = peek();
      Token first = clause.kind() == TokenKind.WORD ? seen.putIfAbsent(clause.text(), clause) : null;
      if (first != null) {
        throw error(clause, "`" + clause.text() + "` is given twice in this input block (first at line "
            + first.line() + "): expected each clause at most once");
      }
      switch (clause.kind() == TokenKind.WORD ? clause.text() : "") {
        case "time" -> {
          next();
          time = path("after `time`");
        }
        case "id" -> {
          next();
          id = path("after `id`");
        }
        case "dedupe" -> {
          next();
          if (!continuesWith("within")) {
            throw error(peek(), "expected `within DURATION` after `dedupe`, found " + peek().describe());
          }
          next();
          dedupe = durationLiteral("after `dedupe within`");
          dedupeToken = clause;
        }
        case "lateness" -> {
          next();
          lateness = durationLiteral("after `lateness`");
        }
        default -> throw error(clause,
            "expected an input clause (`time PATH`, `id PATH`, `dedupe within DURATION` or "
                + "`lateness DURATION`), found " + clause.describe());
      }
      endStatement("an input clause");
    }
    next();
    listDepth = saved;
    endDeclaration("the input block");
    return new Input(kw, time, id, dedupe, dedupeToken, lateness, kw.doc());
  }

  private Entity entity() {
    Token kw = next();
    declaring = peek(); // a keyword used as the name still names a broken declaration
    Token name = declaredName("an entity name");
    if (!continuesWith("key")) {
      throw error(peek(), "expected `key PATH` after the entity name, found " + peek().describe());
    }
    next();
    Path key = path("after `key`");
    if (!continuesWith("{")) {
      throw error(peek(), "expected `{` to open the entity's state, found " + peek().describe());
    }
    next();
    int saved = listDepth;
    listDepth = 0;
    List<VarDecl> vars = new ArrayList<>();
    Expr endsWhen = null;
    skipSeparators();
    while (!at(TokenKind.RBRACE)) {
      if (atWord("ends") && !peekAfter(peek()).is(TokenKind.COLON)) { // `ends: int` is a bad name
        Token ends = next();
        if (!continuesWith("when")) {
          throw error(peek(), "expected `when` after `ends` (as in `ends when status == Closed`), found "
              + peek().describe());
        }
        next();
        noLineBreak("the condition after `ends when`");
        if (endsWhen != null) {
          throw error(ends, "an entity has at most one `ends when`");
        }
        endsWhen = expression();
        endStatement("`ends when`");
        continue;
      }
      Token varName = declaredName("a state variable name",
          " (or `ends when`, or `}` to close the entity)");
      expect(TokenKind.COLON, "after the variable name");
      TypeRef type = type();
      Literal initial = null;
      if (at(TokenKind.ASSIGN)) {
        next();
        initial = literal("as the initial value");
      }
      vars.add(new VarDecl(varName, type, initial));
      endStatement("a state variable");
    }
    next();
    listDepth = saved;
    endDeclaration("the entity");
    return new Entity(kw, name, key, vars, endsWhen, kw.doc());
  }

  private TypeRef type() {
    Token t = peek();
    if (t.kind() != TokenKind.WORD) {
      throw error(t, "expected a type (int, bool, string, time, duration, enum { ... }, set<int>, "
          + "set<string>), found " + t.describe());
    }
    switch (t.text()) {
      case "int", "bool", "string", "time", "duration" -> {
        next();
        return new TypeRef(t, t.text(), List.of(), null);
      }
      case "enum" -> {
        next();
        expect(TokenKind.LBRACE, "after `enum`");
        listDepth++;
        List<Token> constants = new ArrayList<>();
        if (!at(TokenKind.RBRACE)) {
          do {
            constants.add(declaredName("an enum constant"));
          } while (consumeComma());
        }
        expect(TokenKind.RBRACE, "to close the enum");
        listDepth--;
        if (constants.isEmpty()) {
          throw error(t, "expected at least one constant in the enum, as in `enum { Open, Closed }`");
        }
        return new TypeRef(t, "enum", constants, null);
      }
      case "set" -> {
        next();
        expect(TokenKind.LT, "after `set` (set<int> or set<string>)");
        Token element = peek();
        if (!element.isWord("int") && !element.isWord("string")) {
          throw error(element, "expected `int` or `string` as the set's element type, found "
              + element.describe());
        }
        next();
        expect(TokenKind.GT, "to close `set<...>`");
        return new TypeRef(t, "set", List.of(), element);
      }
      default -> throw error(t, "expected a type (int, bool, string, time, duration, enum { ... }, "
          + "set<int>, set<string>), found " + t.describe());
    }
  }

  private boolean consumeComma() {
    if (at(TokenKind.COMMA)) {
      next();
      skipNewlines();
      return true;
    }
    return false;
  }

  private Event event() {
    Token kw = next();
    declaring = peek(); // a keyword used as the name still names a broken declaration
    Token name = declaredName("an event name");
    if (!continuesWith("for")) {
      throw error(peek(), "expected `for ENTITY` after the event name, found " + peek().describe());
    }
    next();
    Token entity = reference("an entity name after `for`");
    Path key = null;
    if (continuesWith("key")) {
      next();
      key = path("after `key`");
    }
    if (!continuesWith("when")) {
      throw error(peek(), "expected `when PREDICATE` (which documents are this event), found "
          + peek().describe());
    }
    next();
    noLineBreak("the predicate after `when`");
    Pred when = predicate();
    List<FieldDecl> fields = new ArrayList<>();
    if (continuesWith("{")) {
      next();
      int saved = listDepth;
      listDepth = 0;
      skipSeparators();
      while (!at(TokenKind.RBRACE)) {
        Token fieldName = peek();
        if (fieldName.isWord("time") || fieldName.isWord("key")) {
          throw error(fieldName, "`" + fieldName.text() + "` is an implicit field of every event (`e."
              + fieldName.text() + "`) and cannot be declared; choose another name");
        }
        fieldName = declaredName("a field name", " (or `}` to close the fields)");
        expect(TokenKind.COLON, "after the field name");
        TypeRef type = type();
        Path path = null;
        if (at(TokenKind.ASSIGN)) {
          next();
          path = path("after `=` (the document path the field is read from)");
        }
        Literal def = null;
        if (atWord("default")) {
          next();
          def = literal("after `default`");
        }
        fields.add(new FieldDecl(fieldName, type, path, def));
        endStatement("a field");
      }
      next();
      listDepth = saved;
    }
    endDeclaration("the event declaration");
    return new Event(kw, name, entity, key, when, fields, kw.doc());
  }

  private On handler() {
    Token kw = next();
    Token event = reference("an event name after `on`");
    Token binding = null;
    if (at(TokenKind.LPAREN)) {
      next();
      listDepth++;
      binding = declaredName("a name for the event (as in `on captured(e)`)");
      expect(TokenKind.RPAREN, "after the event's name");
      listDepth--;
    }
    List<Expr> requires = new ArrayList<>();
    List<String> sources = new ArrayList<>();
    if (continuesWith("requires")) {
      next();
      noLineBreak("a condition after `requires`");
      do {
        int first = indexOfNext();
        requires.add(expression());
        sources.add(sourceText(first, pos));
      } while (consumeComma());
    }
    if (!continuesWith("{")) {
      throw error(peek(), "expected `{` to open the handler's body"
          + (requires.isEmpty() ? " (or `requires`)" : "") + ", found " + peek().describe());
    }
    handlerBinding = binding == null ? null : binding.text();
    List<Stmt> body;
    try {
      body = block();
    } finally {
      handlerBinding = null;
    }
    endDeclaration("the handler");
    return new On(kw, event, binding, requires, sources, body, kw.doc());
  }

  private InvariantDecl invariant() {
    Token kw = next();
    declaring = peek(); // a keyword used as the name still names a broken declaration
    Token name = declaredName("an invariant name");
    Token entity = null;
    if (continuesWith("for")) {
      next();
      entity = reference("an entity name after `for`");
    }
    expect(TokenKind.COLON, "before the invariant's condition");
    noLineBreak("the invariant's condition after `:`");
    Expr condition = expression();
    endDeclaration("the invariant");
    return new InvariantDecl(kw, name, entity, condition, kw.doc());
  }

  private DeadlineDecl deadline() {
    Token kw = next();
    declaring = peek(); // a keyword used as the name still names a broken declaration
    Token name = declaredName("a deadline name");
    expect(TokenKind.COLON, "after the deadline name");
    noLineBreak("`after` after the deadline's `:`");
    expectWord("after", "(a deadline reads `after EVENT expect EVENT within DURATION`)");
    List<Token> after = eventList();
    if (!continuesWith("expect")) {
      throw error(peek(), "expected `expect EVENT` after the `after` events, found " + peek().describe());
    }
    next();
    List<Token> expect = eventList();
    if (!continuesWith("within")) {
      throw error(peek(), "expected `within DURATION` after the `expect` events, found "
          + peek().describe());
    }
    next();
    DurationLit within = durationLiteral("after `within`");
    endDeclaration("the deadline");
    return new DeadlineDecl(kw, name, after, expect, within, kw.doc());
  }

  private List<Token> eventList() {
    List<Token> events = new ArrayList<>();
    events.add(reference("an event name"));
    while (atWord("or")) {
      next();
      skipNewlines();
      events.add(reference("an event name after `or`"));
    }
    return events;
  }

  // ------------------------------------------------------------------ paths and literals

  private Path path(String context) {
    Token start = peek();
    int first = pos;
    List<Object> segments = new ArrayList<>();
    if (start.is(TokenKind.LBRACKET)) {
      next();
      listDepth++;
      Token s = expect(TokenKind.STRING, "(a path may start with a quoted key such as [\"not\"])");
      expect(TokenKind.RBRACKET, "to close the quoted key");
      listDepth--;
      segments.add(s.value());
    } else if (start.kind() == TokenKind.WORD) {
      if (EXPRESSION_WORDS.contains(start.text())) {
        throw error(start, "`" + start.text() + "` cannot start a path; write it quoted: [\""
            + start.text() + "\"]");
      }
      next();
      segments.add(start.text());
    } else {
      throw error(start, "expected a document path " + context + ", found " + start.describe());
    }
    while (true) {
      // A path is one unbroken run of tokens: `a.b`, `a[0]`, `a["k"]`.
      Token t = tokens.get(pos);
      if (t.is(TokenKind.DOT)) {
        next();
        Token w = tokens.get(pos);
        if (w.kind() != TokenKind.WORD) {
          throw error(w, "expected a key after `.` in the path, found " + w.describe());
        }
        next();
        segments.add(w.text());
      } else if (t.is(TokenKind.LBRACKET)) {
        next();
        listDepth++;
        Token inner = peek(); // newlines inside `[ ]` do not end anything
        if (inner.is(TokenKind.INT)) {
          next();
          if (inner.numberTooLarge() || inner.number() < -Integer.MAX_VALUE) {
            throw error(inner, "array index `" + inner.text() + "` is too large: expected at most "
                + Integer.MAX_VALUE);
          }
          segments.add((int) -inner.number());
        } else if (inner.is(TokenKind.STRING)) {
          next();
          segments.add(inner.value());
        } else {
          throw error(inner, "expected an index or a quoted key inside `[ ]`, found " + inner.describe());
        }
        expect(TokenKind.RBRACKET, "to close the path segment");
        listDepth--;
      } else {
        break;
      }
    }
    return new Path(start, segments, sourceText(first, pos));
  }

  /** A literal: an integer, duration, string, boolean, enum constant name, or `{ ... }` set. */
  private Literal literal(String context) {
    Token t = peek();
    if (t.is(TokenKind.MINUS)) {
      next();
      Token n = peek();
      if (n.is(TokenKind.INT)) {
        next();
        return new IntLit(negative(t, n), signedValue(n, true));
      }
      if (n.is(TokenKind.DURATION)) {
        next();
        return new DurationLit(negative(t, n), signedValue(n, true));
      }
      throw error(n, "expected a number after `-` " + context + ", found " + n.describe());
    }
    switch (t.kind()) {
      case INT -> {
        next();
        return new IntLit(t, signedValue(t, false));
      }
      case DURATION -> {
        next();
        return new DurationLit(t, signedValue(t, false));
      }
      case STRING -> {
        next();
        return new StringLit(t, t.value());
      }
      case LBRACE -> {
        next();
        enter(t);
        listDepth++;
        List<Literal> elements = new ArrayList<>();
        if (!at(TokenKind.RBRACE)) {
          do {
            elements.add(literal("in the set"));
          } while (consumeComma());
        }
        expect(TokenKind.RBRACE, "to close the set");
        listDepth--;
        leave();
        return new SetLit(t, elements);
      }
      case WORD -> {
        next();
        if (t.text().equals("true") || t.text().equals("false")) {
          return new BoolLit(t, t.text().equals("true"));
        }
        return new NameLit(t);
      }
      default -> throw error(t, "expected a literal " + context + ", found " + t.describe());
    }
  }

  private DurationLit durationLiteral(String context) {
    Token t = peek();
    Token minus = null;
    if (t.is(TokenKind.MINUS)) {
      minus = next();
      t = peek();
    }
    if (!t.is(TokenKind.DURATION)) {
      throw error(t, "expected a duration such as `250ms`, `10s`, `5m`, `2h` or `7d` " + context
          + ", found " + t.describe());
    }
    next();
    return new DurationLit(minus == null ? t : negative(minus, t), signedValue(t, minus != null));
  }

  /** A negative literal's token: from its `-` to the end of the number, with the number's value. */
  private Token negative(Token minus, Token number) {
    return new Token(number.kind(), src.substring(minus.start(), number.end()), minus.line(),
        minus.column(), minus.start(), number.end(), number.value(), number.number(),
        number.numberTooLarge(), minus.doc());
  }

  /** The lexer stores minus the magnitude, so that -9223372036854775808 fits. */
  private long signedValue(Token t, boolean negative) {
    if (t.numberTooLarge() || (!negative && t.number() == Long.MIN_VALUE)) {
      throw error(t, t.is(TokenKind.DURATION)
          ? "duration `" + (negative ? "-" : "") + t.text() + "` does not fit in 64 bits of milliseconds"
          : "`" + (negative ? "-" : "") + t.text() + "` does not fit in 64 bits: expected an integer from "
              + Long.MIN_VALUE + " to " + Long.MAX_VALUE);
    }
    return negative ? t.number() : -t.number();
  }

  // ------------------------------------------------------------------ predicates

  /** A whole `when` predicate: its operators are counted afresh. */
  private Pred predicate() {
    operators = 0;
    return predicateOr();
  }

  private Pred predicateOr() {
    Pred left = predicateAnd();
    while (atWord("or")) {
      operator(next());
      skipNewlines();
      left = new POr(left, predicateAnd());
    }
    return left;
  }

  private Pred predicateAnd() {
    Pred left = predicateNot();
    while (atWord("and")) {
      operator(next());
      skipNewlines();
      left = new PAnd(left, predicateNot());
    }
    return left;
  }

  private Pred predicateNot() {
    if (atWord("not")) {
      if (isComparison(peekAfter(peek())) || peekAfter(peek()).is(TokenKind.ASSIGN)) {
        throw quotedPath(peek());
      }
      Token kw = next();
      operator(kw);
      enter(kw);
      Pred operand = predicateNot();
      leave();
      return new PNot(kw, operand);
    }
    return predicateAtom();
  }

  private Pred predicateAtom() {
    Token t = peek();
    if (t.is(TokenKind.LPAREN)) {
      next();
      enter(t);
      listDepth++;
      Pred inner = predicateOr();
      expect(TokenKind.RPAREN, "to close the parenthesis");
      listDepth--;
      leave();
      return inner;
    }
    if (t.isWord("exists")) {
      next();
      expect(TokenKind.LPAREN, "after `exists`");
      listDepth++;
      Path p = path("inside `exists( )`");
      expect(TokenKind.RPAREN, "to close `exists(`");
      listDepth--;
      return new PExists(t, p);
    }
    if (isPredicateLiteralStart(t)) {
      Literal lit = predicateLiteral();
      Token op = peek();
      if (!isComparison(op)) {
        throw error(op, "expected a comparison (==, !=, <, <=, >, >=) after the literal, found "
            + op.describe());
      }
      next();
      skipNewlines();
      Path p = path("to compare with");
      return new PCompare(flip(op), p, lit);
    }
    if (t.kind() == TokenKind.WORD && EXPRESSION_WORDS.contains(t.text())) {
      throw quotedPath(t);
    }
    if (t.kind() == TokenKind.WORD || t.is(TokenKind.LBRACKET)) {
      Path p = path("");
      Token op = peek();
      if (isComparison(op)) {
        next();
        skipNewlines();
        Token lit = peek();
        if (lit.is(TokenKind.WORD) && !lit.isWord("true") && !lit.isWord("false")
            || lit.is(TokenKind.LBRACKET)) {
          throw error(lit, "expected a literal (an integer, a string, true or false) to compare `"
              + p.text() + "` with, found " + lit.describe()
              + (lit.is(TokenKind.WORD) && !DECLARATION_WORDS.contains(lit.text())
                  ? ": a predicate compares document values with literals (write \"" + lit.text()
                      + "\" for a string)" : ""));
        }
        return new PCompare(op, p, predicateLiteral());
      }
      if (op.is(TokenKind.ASSIGN)) {
        throw error(op, "expected a comparison after the path `" + p.text() + "`, found `=`: "
            + "write `==` to compare");
      }
      boolean negated = false;
      if (op.isWord("not") && peekAfter(op).isWord("in")) {
        next();
        negated = true;
        op = peek();
      }
      if (op.isWord("in")) {
        next();
        expect(TokenKind.LBRACE, "after `in` (a predicate compares with a list of literals)");
        listDepth++;
        List<Literal> members = new ArrayList<>();
        if (!at(TokenKind.RBRACE)) {
          do {
            members.add(predicateLiteral());
          } while (consumeComma());
        }
        expect(TokenKind.RBRACE, "to close the list");
        listDepth--;
        return new PIn(op, p, negated, members);
      }
      throw error(op, "expected a comparison (==, !=, <, <=, >, >=, in, not in) after the path `"
          + p.text() + "`, found " + op.describe());
    }
    throw error(t, "expected a condition on the document (a path compared with a literal, "
        + "`exists(PATH)`, `not`, or parentheses), found " + t.describe());
  }

  private ParseError quotedPath(Token word) {
    return error(word, "`" + word.text() + "` cannot start a path; write it quoted: [\"" + word.text()
        + "\"]");
  }

  private static boolean isPredicateLiteralStart(Token t) {
    return t.is(TokenKind.INT) || t.is(TokenKind.STRING) || t.is(TokenKind.MINUS)
        || t.isWord("true") || t.isWord("false") || t.is(TokenKind.DURATION);
  }

  private Literal predicateLiteral() {
    Token t = peek();
    if (t.is(TokenKind.DURATION) || (t.is(TokenKind.MINUS) && tokens.get(pos + 1).is(TokenKind.DURATION))) {
      Token d = t.is(TokenKind.DURATION) ? t : tokens.get(pos + 1);
      boolean negative = t.is(TokenKind.MINUS);
      boolean fits = !d.numberTooLarge() && (negative || d.number() != Long.MIN_VALUE);
      String millis = !fits ? "" : " (" + (negative ? d.number() : -d.number()) + " for "
          + (negative ? "-" : "") + d.text() + ")";
      throw error(t, "expected an integer, a string, true or false, found a duration: documents hold "
          + "durations as integer milliseconds, so compare with an integer" + millis);
    }
    if (!isPredicateLiteralStart(t)) {
      throw error(t, "expected a literal (an integer, a string, true or false), found " + t.describe());
    }
    return literal("");
  }

  private static boolean isComparison(Token t) {
    return switch (t.kind()) {
      case EQ, NE, LT, LE, GT, GE -> true;
      default -> false;
    };
  }

  private static Token flip(Token op) {
    TokenKind k = switch (op.kind()) {
      case LT -> TokenKind.GT;
      case LE -> TokenKind.GE;
      case GT -> TokenKind.LT;
      case GE -> TokenKind.LE;
      default -> op.kind();
    };
    return new Token(k, op.text(), op.line(), op.column(), op.start(), op.end(), null, 0, false, null);
  }

  // ------------------------------------------------------------------ expressions

  /** A whole expression (a clause, a condition, a statement's value): operators counted afresh. */
  public Expr expression() {
    int saved = operators;
    operators = 0;
    Expr e = implies();
    operators = saved;
    return e;
  }

  private Expr implies() {
    Expr left = or();
    if (atWord("implies")) {
      Token op = next();
      operator(op);
      skipNewlines();
      enter(op);
      Expr right = implies(); // right-associative
      leave();
      return new Binary(op, left, right);
    }
    return left;
  }

  private Expr or() {
    Expr left = and();
    while (atWord("or")) {
      Token op = next();
      operator(op);
      skipNewlines();
      left = new Binary(op, left, and());
    }
    return left;
  }

  private Expr and() {
    Expr left = not();
    while (atWord("and")) {
      Token op = next();
      operator(op);
      skipNewlines();
      left = new Binary(op, left, not());
    }
    return left;
  }

  private Expr not() {
    if (atWord("not")) {
      Token op = next();
      operator(op);
      enter(op);
      Expr operand = not();
      leave();
      return new Unary(op, operand);
    }
    return comparison();
  }

  private Expr comparison() {
    Expr left = additive();
    Expr result = left;
    Token op = peek();
    if (isComparison(op)) {
      next();
      operator(op);
      skipNewlines();
      result = new Binary(op, left, additive());
    } else if (op.isWord("in") || (op.isWord("not") && peekAfter(op).isWord("in"))) {
      boolean negated = op.isWord("not");
      if (negated) {
        next();
      }
      Token in = next();
      operator(in);
      skipNewlines();
      if (at(TokenKind.LBRACE)) {
        next();
        listDepth++;
        List<Expr> members = new ArrayList<>();
        if (!at(TokenKind.RBRACE)) {
          do {
            members.add(additive());
          } while (consumeComma());
        }
        expect(TokenKind.RBRACE, "to close the list");
        listDepth--;
        result = new In(in, left, negated, members, null);
      } else {
        result = new In(in, left, negated, null, additive());
      }
    } else {
      return left;
    }
    Token again = peek();
    if (isComparison(again) || again.isWord("in") || (again.isWord("not") && peekAfter(again).isWord("in"))) {
      throw error(again, "comparisons do not chain: expected `and` between two comparisons, as in "
          + "`a < b and b < c`");
    }
    return result;
  }

  private Expr additive() {
    Expr left = multiplicative();
    while (at(TokenKind.PLUS) || at(TokenKind.MINUS)) {
      Token op = next();
      operator(op);
      skipNewlines();
      left = new Binary(op, left, multiplicative());
    }
    return left;
  }

  private Expr multiplicative() {
    Expr left = unary();
    while (at(TokenKind.STAR) || at(TokenKind.SLASH) || at(TokenKind.PERCENT)) {
      Token op = next();
      operator(op);
      skipNewlines();
      left = new Binary(op, left, unary());
    }
    return left;
  }

  private Expr unary() {
    if (at(TokenKind.MINUS)) {
      Token op = next();
      Token n = peek();
      if (n.is(TokenKind.INT) && n.start() == op.end()) {
        next();
        return new IntLit(negative(op, n), signedValue(n, true));
      }
      if (n.is(TokenKind.DURATION) && n.start() == op.end()) {
        next();
        return new DurationLit(negative(op, n), signedValue(n, true));
      }
      operator(op);
      enter(op);
      Expr operand = unary();
      leave();
      return new Unary(op, operand);
    }
    return primary();
  }

  private Expr primary() {
    Token t = peek();
    switch (t.kind()) {
      case INT -> {
        next();
        return new IntLit(t, signedValue(t, false));
      }
      case DURATION -> {
        next();
        return new DurationLit(t, signedValue(t, false));
      }
      case STRING -> {
        next();
        return new StringLit(t, t.value());
      }
      case LPAREN -> {
        next();
        enter(t);
        listDepth++;
        Expr inner = implies();
        expect(TokenKind.RPAREN, "to close the parenthesis");
        listDepth--;
        leave();
        return inner;
      }
      case WORD -> {
        switch (t.text()) {
          case "true", "false" -> {
            next();
            return new BoolLit(t, t.text().equals("true"));
          }
          case "now" -> {
            next();
            return new Now(t);
          }
          case "len" -> {
            next();
            expect(TokenKind.LPAREN, "after `len`");
            enter(t);
            listDepth++;
            Expr operand = implies();
            expect(TokenKind.RPAREN, "to close `len(`");
            listDepth--;
            leave();
            return new Len(t, operand);
          }
          case "and", "or", "implies", "in", "if", "else", "exists" -> throw error(t,
              "expected a value, found " + t.describe()
                  + (t.text().equals("exists") ? " (`exists` works on document paths, in `when`)" : ""));
          default -> {
            if (KEYWORDS.contains(t.text())) {
              throw error(t, "expected a value, found the keyword `" + t.text() + "`"
                  + (DECLARATION_WORDS.contains(t.text()) ? " (is the line before it incomplete?)" : ""));
            }
            next();
            if (tokens.get(pos).is(TokenKind.DOT)) {
              next();
              Token field = tokens.get(pos);
              if (field.kind() != TokenKind.WORD) {
                throw error(field, "expected a field name after `" + t.text() + ".`, found "
                    + field.describe());
              }
              next();
              return new FieldRef(t, field);
            }
            return new Name(t);
          }
        }
      }
      default -> throw error(t, "expected a value (a name, a literal, `now`, `len(...)` or "
          + "parentheses), found " + t.describe());
    }
  }

  // ------------------------------------------------------------------ statements

  private List<Stmt> block() {
    expect(TokenKind.LBRACE, "to open a block");
    int saved = listDepth;
    listDepth = 0;
    List<Stmt> stmts = new ArrayList<>();
    skipSeparators();
    while (!at(TokenKind.RBRACE)) {
      if (at(TokenKind.EOF)) {
        throw error(peek(), "expected `}` to close the block, found the end of the file");
      }
      stmts.add(statement());
      endStatement("a statement");
    }
    next();
    listDepth = saved;
    return stmts;
  }

  private Stmt statement() {
    Token t = peek();
    if (t.isWord("if")) {
      next();
      enter(t);
      Expr cond = expression();
      if (!continuesWith("{")) {
        throw error(peek(), "expected `{` after the `if` condition, found " + peek().describe());
      }
      List<Stmt> then = block();
      List<Stmt> otherwise = List.of();
      if (continuesWith("else")) {
        next();
        if (atWord("if")) {
          otherwise = List.of(statement());
        } else {
          if (!continuesWith("{")) {
            throw error(peek(), "expected `{` or `if` after `else`, found " + peek().describe());
          }
          otherwise = block();
        }
      }
      leave();
      return new If(t, cond, then, otherwise);
    }
    if (t.kind() != TokenKind.WORD) {
      throw error(t, "expected a statement (`VAR = EXPR`, `VAR += EXPR`, `VAR -= EXPR`, `if`, "
          + "`SET.add(x)`, `SET.remove(x)`), found " + t.describe());
    }
    next();
    Token op = peek();
    if (op.is(TokenKind.DOT)) {
      next();
      Token method = peek();
      if (!method.isWord("add") && !method.isWord("remove")) {
        Token after = peekAfter(method);
        if (method.kind() == TokenKind.WORD && (after.is(TokenKind.ASSIGN)
            || after.is(TokenKind.PLUS_ASSIGN) || after.is(TokenKind.MINUS_ASSIGN))) {
          // `e.amount = 1`: say what is wrong, not only which token was expected.
          String target = "`" + t.text() + "." + method.text() + "`";
          throw error(t, t.text().equals(handlerBinding)
              ? "cannot assign to " + target + ": event fields are read-only; only the entity's "
                  + "state variables can be assigned"
              : "cannot assign to " + target + ": only the entity's state variables can be "
                  + "assigned (`VAR = EXPR`)");
        }
        throw error(method, "expected `add` or `remove` after `" + t.text() + ".`, found "
            + method.describe());
      }
      next();
      expect(TokenKind.LPAREN, "after `" + method.text() + "`");
      listDepth++;
      Expr arg = expression();
      expect(TokenKind.RPAREN, "to close `" + method.text() + "(`");
      listDepth--;
      return new SetCall(t, method, arg);
    }
    if (op.is(TokenKind.ASSIGN) || op.is(TokenKind.PLUS_ASSIGN) || op.is(TokenKind.MINUS_ASSIGN)) {
      next();
      noLineBreak("the value after `" + op.text() + "`");
      return new Assign(t, op, expression());
    }
    if (op.is(TokenKind.EQ)) {
      throw error(op, "expected `=` to assign, found `==` (a comparison is not a statement)");
    }
    throw error(op, "expected `=`, `+=`, `-=` or `.add(`/`.remove(` after `" + t.text() + "`, found "
        + op.describe());
  }
}
