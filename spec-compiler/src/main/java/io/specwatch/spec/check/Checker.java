package io.specwatch.spec.check;

import io.specwatch.core.eval.EvalFault;
import io.specwatch.core.eval.Frame;
import io.specwatch.core.eval.Limits;
import io.specwatch.core.json.JsonKind;
import io.specwatch.core.json.Rfc3339;
import io.specwatch.core.program.Deadline;
import io.specwatch.core.program.DocPath;
import io.specwatch.core.program.EntityType;
import io.specwatch.core.program.EventField;
import io.specwatch.core.program.EventType;
import io.specwatch.core.program.Expr;
import io.specwatch.core.program.Exprs.CompareOp;
import io.specwatch.core.program.Handler;
import io.specwatch.core.program.InputSpec;
import io.specwatch.core.program.Invariant;
import io.specwatch.core.program.Predicate;
import io.specwatch.core.program.Predicates;
import io.specwatch.core.program.Program;
import io.specwatch.core.program.StateVar;
import io.specwatch.core.program.Stmts;
import io.specwatch.core.program.ValueType;
import io.specwatch.spec.parse.Ast;
import io.specwatch.spec.parse.Token;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Resolves names, checks types and builds the runtime {@link Program} from one parsed spec.
 * Every error is reported with its token; checking goes on with the next declaration or clause,
 * so one run reports every independent error. Returns null when any error was reported.
 */
public final class Checker {
  /** Receives semantic errors. */
  public interface ErrorSink {
    void error(Token at, String message);
  }

  /** The layout of one entity type while the program is being built. */
  private static final class Layout {
    final Ast.Entity decl;
    final int index;
    final Map<String, StateVar> vars = new LinkedHashMap<>();
    final Map<String, List<ValueType>> constants = new HashMap<>();
    final List<Long> initLongs = new ArrayList<>();
    final List<Object> initRefs = new ArrayList<>();
    final List<Invariant> invariants = new ArrayList<>();
    final List<Deadline> deadlines = new ArrayList<>();
    final Map<String, Integer> deadlineIndex = new HashMap<>();
    int keyPath;
    Expr endsWhen;
    EntityType built;

    Layout(Ast.Entity decl, int index) {
      this.decl = decl;
      this.index = index;
    }

    String name() {
      return decl.name().text();
    }

    Scope scope() {
      return new Scope(name(), vars, constants, null, null, Map.of());
    }
  }

  /** One event while the program is being built. */
  private static final class EventInfo {
    final Ast.Event decl;
    final int index;
    final Layout entity;
    final Map<String, EventField> fields = new LinkedHashMap<>();
    final List<Handler> handlers = new ArrayList<>();
    final Set<Integer> arms = new LinkedHashSet<>();
    final Set<Integer> disarms = new LinkedHashSet<>();
    int keyPath;
    String keyPathText;
    Predicate when;
    int longSlots;
    int refSlots;

    EventInfo(Ast.Event decl, int index, Layout entity) {
      this.decl = decl;
      this.index = index;
      this.entity = entity;
    }
  }

  private final String sourceName;
  private final Ast.SpecFile file;
  private final ErrorSink errors;
  /** Declarations with a syntax error, and events of such entities: never called unknown. */
  private final Set<String> brokenNames;
  private boolean failed;
  private final Map<DocPath, Integer> pathIndex = new LinkedHashMap<>();
  private final Map<String, Layout> entities = new LinkedHashMap<>();
  private final Map<String, EventInfo> events = new LinkedHashMap<>();
  private Ast.Input input;

  public Checker(String sourceName, Ast.SpecFile file, ErrorSink errors) {
    this(sourceName, file, Set.of(), errors);
  }

  /**
   * @param brokenNames names of declarations that had a syntax error ({@code Parser#brokenNames}):
   *     a reference to one is an error already explained, and is not reported again as unknown
   */
  public Checker(String sourceName, Ast.SpecFile file, Set<String> brokenNames, ErrorSink errors) {
    this.sourceName = sourceName;
    this.file = file;
    this.errors = errors;
    this.brokenNames = new java.util.HashSet<>(brokenNames);
  }

  /** Reports an unknown name, unless a syntax error in its declaration already explains it. */
  private CheckError unknown(Token at, String message) {
    if (brokenNames.contains(at.text())) {
      failed = true;
      return new CheckError(null, null);
    }
    return new CheckError(at, message);
  }

  private void error(Token at, String message) {
    failed = true;
    errors.error(at, message);
  }

  public Program check() {
    declareNames();
    InputSpec inputSpec = input();
    for (Layout l : entities.values()) {
      guard(() -> layout(l));
    }
    for (Ast.Decl d : file.decls()) {
      if (d instanceof Ast.Event e && events.containsKey(e.name().text())
          && events.get(e.name().text()).decl == e) {
        guard(() -> event(events.get(e.name().text())));
      }
    }
    for (Layout l : entities.values()) {
      if (l.decl.endsWhen() != null) {
        guard(() -> l.endsWhen = new ExprCompiler(l.scope()).condition(l.decl.endsWhen(), "`ends when`"));
      }
    }
    for (Ast.Decl d : file.decls()) {
      if (d instanceof Ast.InvariantDecl inv) {
        guard(() -> invariant(inv));
      } else if (d instanceof Ast.DeadlineDecl dl) {
        guard(() -> deadline(dl, inputSpec));
      }
    }
    for (Ast.Decl d : file.decls()) {
      if (d instanceof Ast.On on) {
        guard(() -> handler(on));
      }
    }
    if (failed) {
      return null;
    }
    List<EntityType> builtEntities = new ArrayList<>();
    for (Layout l : entities.values()) {
      l.built = new EntityType(l.name(), l.index, l.keyPath, pathText(l.decl.key()),
          List.copyOf(l.vars.values()), l.initLongs.stream().mapToLong(Long::longValue).toArray(),
          l.initRefs.toArray(), l.endsWhen, l.invariants, l.deadlines, l.decl.doc());
      builtEntities.add(l.built);
    }
    List<EventType> builtEvents = new ArrayList<>();
    for (EventInfo e : events.values()) {
      builtEvents.add(new EventType(e.decl.name().text(), e.index, e.entity.built, e.keyPath,
          e.keyPathText, e.when, List.copyOf(e.fields.values()), e.longSlots, e.refSlots, e.handlers,
          e.disarms.stream().mapToInt(Integer::intValue).toArray(),
          e.arms.stream().mapToInt(Integer::intValue).toArray(), e.decl.doc()));
    }
    return new Program(file.nameToken().text(), sourceName, inputSpec, List.copyOf(pathIndex.keySet()),
        builtEntities, builtEvents);
  }

  private void guard(Runnable r) {
    try {
      r.run();
    } catch (CheckError e) {
      report(e);
    }
  }

  /** Reports a check error; one without a position was already explained by a syntax error. */
  private void report(CheckError e) {
    if (e.at == null) {
      failed = true;
    } else {
      error(e.at, e.getMessage());
    }
  }

  // ------------------------------------------------------------------ names and input

  private void declareNames() {
    Map<String, Token> names = new HashMap<>();
    for (Ast.Decl d : file.decls()) {
      Token name = null;
      if (d instanceof Ast.Entity e) {
        name = e.name();
      } else if (d instanceof Ast.Event e) {
        name = e.name();
      } else if (d instanceof Ast.InvariantDecl i) {
        name = i.name();
      } else if (d instanceof Ast.DeadlineDecl dl) {
        name = dl.name();
      } else if (d instanceof Ast.Input i) {
        if (input != null) {
          error(i.keyword(), "a spec has at most one `input` block, and one is already at line "
              + input.keyword().line() + ": expected every input clause in that block");
        } else {
          input = i;
        }
      }
      if (name == null) {
        continue;
      }
      Token earlier = names.putIfAbsent(name.text(), name);
      if (earlier != null) {
        error(name, "`" + name.text() + "` is already declared at line " + earlier.line()
            + ": entities, events, invariants and deadlines share one namespace; choose another name");
        continue;
      }
      if (d instanceof Ast.Entity e) {
        entities.put(e.name().text(), new Layout(e, entities.size()));
      }
    }
    for (Ast.Decl d : file.decls()) {
      if (d instanceof Ast.Event e && names.get(e.name().text()) == e.name()) {
        Layout entity = entities.get(e.entity().text());
        if (entity == null) {
          report(unknown(e.entity(), "unknown entity `" + e.entity().text() + "`"
              + (entities.isEmpty()
                  ? (brokenNames.isEmpty() ? ": declare it with `entity NAME key PATH { ... }`" : "")
                  : ": expected one of the declared entities (" + String.join(", ", entities.keySet())
                      + ")")));
          if (brokenNames.contains(e.entity().text())) {
            brokenNames.add(e.name().text()); // its handlers are not checked either
          }
          continue;
        }
        events.put(e.name().text(), new EventInfo(e, events.size(), entity));
      }
    }
  }

  private InputSpec input() {
    if (input == null) {
      return InputSpec.none();
    }
    int time = input.time() == null ? -1 : path(input.time());
    int id = input.id() == null ? -1 : path(input.id());
    long window = InputSpec.DEFAULT_DEDUPE_WINDOW_MILLIS;
    if (input.dedupe() != null) {
      if (input.id() == null) {
        error(input.dedupeToken(), "`dedupe` needs an event id: expected `id PATH` in the input block");
      }
      window = input.dedupe().millis();
      if (window < 0) {
        error(input.dedupe().token(),
            "the dedupe window cannot be negative: expected a duration of 0s or more");
      }
    }
    long lateness = 0;
    if (input.lateness() != null) {
      lateness = input.lateness().millis();
      if (lateness < 0) {
        error(input.lateness().token(),
            "`lateness` cannot be negative: expected a duration of 0s or more");
      }
    }
    return new InputSpec(time, input.time() == null ? null : pathText(input.time()), id, window, lateness);
  }

  private int path(Ast.Path p) {
    return pathIndex.computeIfAbsent(docPath(p), k -> pathIndex.size());
  }

  private static DocPath docPath(Ast.Path p) {
    List<DocPath.Segment> segs = new ArrayList<>();
    for (Object o : p.segments()) {
      segs.add(o instanceof Integer i ? DocPath.Segment.index(i) : DocPath.Segment.key((String) o));
    }
    return new DocPath(segs);
  }

  private static String pathText(Ast.Path p) {
    return docPath(p).toString();
  }

  // ------------------------------------------------------------------ entities

  private void layout(Layout l) {
    l.keyPath = path(l.decl.key());
    // Constants first: a variable may not be named like a constant of its entity.
    for (Ast.VarDecl v : l.decl.vars()) {
      if (v.type().kind().equals("enum")) {
        Set<String> seen = new LinkedHashSet<>();
        for (Token c : v.type().constants()) {
          if (!seen.add(c.text())) {
            error(c, "`" + c.text() + "` appears twice in this enum: expected distinct constants");
          }
        }
      }
    }
    int longs = 0;
    int refs = 0;
    for (Ast.VarDecl v : l.decl.vars()) {
      String name = v.name().text();
      if (l.vars.containsKey(name)) {
        error(v.name(), "state variable `" + name + "` is declared twice in `" + l.name()
            + "`: expected distinct names");
        continue;
      }
      ValueType type = type(v.type(), name, false);
      if (type == null) {
        continue;
      }
      if (type.kind() == ValueType.Kind.ENUM) {
        for (String c : type.constants()) {
          l.constants.computeIfAbsent(c, k -> new ArrayList<>()).add(type);
        }
      }
      StateVar sv = new StateVar(name, type, type.isLongSlot() ? longs++ : refs++);
      l.vars.put(name, sv);
      try {
        Object init = initialValue(type, v.initial(), "initial value of `" + name + "`");
        if (type.isLongSlot()) {
          l.initLongs.add((Long) init);
        } else {
          l.initRefs.add(init);
        }
      } catch (CheckError e) {
        report(e);
        if (type.isLongSlot()) {
          l.initLongs.add(0L);
        } else {
          l.initRefs.add(type.kind() == ValueType.Kind.STRING ? "" : Stmts.EMPTY_SET);
        }
      }
    }
    for (Ast.VarDecl v : l.decl.vars()) {
      if (l.constants.containsKey(v.name().text())) {
        error(v.name(), "state variable `" + v.name().text() + "` has the name of an enum constant of `"
            + l.name() + "`: expected a name that is not a constant of the entity");
      }
    }
  }

  /** The value type of a declared type, or null (after reporting) when it is not allowed here. */
  private ValueType type(Ast.TypeRef t, String owner, boolean eventField) {
    ValueType type = switch (t.kind()) {
      case "int" -> ValueType.INT;
      case "bool" -> ValueType.BOOL;
      case "string" -> ValueType.STRING;
      case "time" -> ValueType.TIME;
      case "duration" -> ValueType.DURATION;
      case "enum" -> ValueType.newEnum(t.constants().stream().map(Token::text).toList(), owner);
      default -> t.element().text().equals("int") ? ValueType.SET_INT : ValueType.SET_STRING;
    };
    if (eventField && (type.kind() == ValueType.Kind.ENUM || type.kind().isSet())) {
      error(t.token(), "expected an event field type (int, bool, string, time or duration), found "
          + (type.kind() == ValueType.Kind.ENUM ? "an enum" : type.toString())
          + ": documents carry no enums or sets; read a string and compare it in the handler");
      return null;
    }
    return type;
  }

  /** A Long for long-slot types, a String or an immutable Set otherwise. */
  private Object initialValue(ValueType type, Ast.Literal lit, String what) {
    if (lit == null) {
      return switch (type.kind()) {
        case STRING -> "";
        case SET_INT, SET_STRING -> Stmts.EMPTY_SET;
        default -> 0L; // 0, false, epoch 0, 0s, the first enum constant
      };
    }
    String expected = "expected " + describeLiteral(type) + " as the " + what + ", found "
        + lit.token().describe();
    switch (type.kind()) {
      case INT -> {
        if (lit instanceof Ast.IntLit i) {
          return i.value();
        }
      }
      case BOOL -> {
        if (lit instanceof Ast.BoolLit b) {
          return b.value() ? 1L : 0L;
        }
      }
      case STRING -> {
        if (lit instanceof Ast.StringLit s) {
          return s.value();
        }
      }
      case DURATION -> {
        if (lit instanceof Ast.DurationLit d) {
          return d.millis();
        }
      }
      case TIME -> {
        if (lit instanceof Ast.IntLit i) {
          return i.value();
        }
        if (lit instanceof Ast.StringLit s) {
          long t = Rfc3339.parse(s.value());
          if (t == Rfc3339.INVALID) {
            throw new CheckError(s.token(), "`" + s.value() + "` is not a valid RFC 3339 time: expected "
                + "YYYY-MM-DDTHH:MM:SS[.fraction] then Z or ±HH:MM, a real calendar date, such as "
                + "2026-03-02T09:00:00Z");
          }
          return t;
        }
      }
      case ENUM -> {
        if (lit instanceof Ast.NameLit n) {
          int ord = type.ordinalOf(n.token().text());
          if (ord < 0) {
            throw new CheckError(n.token(), "`" + n.token().text() + "` is not a constant of this enum: "
                + "expected " + describeLiteral(type) + " as the " + what);
          }
          return (long) ord;
        }
      }
      case SET_INT, SET_STRING -> {
        if (lit instanceof Ast.SetLit s) {
          if (s.elements().size() > Limits.MAX_SET_ELEMENTS) {
            throw new CheckError(s.token(), "a set holds at most " + Limits.MAX_SET_ELEMENTS
                + " elements, but this one has " + s.elements().size());
          }
          List<Object> elements = new ArrayList<>();
          for (Ast.Literal e : s.elements()) {
            elements.add(initialValue(type.elementType(), e, "element of the " + what));
          }
          return java.util.Collections.unmodifiableSet(Stmts.setOf(elements));
        }
      }
    }
    throw new CheckError(lit.token(), expected);
  }

  private static String describeLiteral(ValueType t) {
    return switch (t.kind()) {
      case INT -> "an integer";
      case BOOL -> "true or false";
      case STRING -> "a string";
      case DURATION -> "a duration such as 30s";
      case TIME -> "an epoch-millisecond integer or an RFC 3339 string";
      case ENUM -> "one of " + String.join(", ", t.constants());
      case SET_INT -> "a set of integers such as { 1, 2 }";
      case SET_STRING -> "a set of strings such as { \"a\", \"b\" }";
    };
  }

  // ------------------------------------------------------------------ events

  private void event(EventInfo e) {
    Ast.Path key = e.decl.key() != null ? e.decl.key() : e.entity.decl.key();
    e.keyPath = path(key);
    e.keyPathText = pathText(key);
    try {
      e.when = predicate(e.decl.when());
    } catch (CheckError err) {
      report(err);
    }
    for (Ast.FieldDecl f : e.decl.fields()) {
      String name = f.name().text();
      if (name.equals("time") || name.equals("key")) {
        error(f.name(), "`" + name + "` is an implicit field of every event (`e." + name
            + "`); choose another name");
        continue;
      }
      if (e.fields.containsKey(name)) {
        error(f.name(), "field `" + name + "` is declared twice in event `" + e.decl.name().text()
            + "`: expected distinct names");
        continue;
      }
      ValueType type = type(f.type(), name, true);
      if (type == null) {
        continue;
      }
      Ast.Path p = f.path() != null ? f.path()
          : new Ast.Path(f.name(), List.of(name), name);
      Object def = null;
      if (f.defaultValue() != null) {
        try {
          def = initialValue(type, f.defaultValue(), "default of field `" + name + "`");
        } catch (CheckError err) {
          report(err);
        }
      }
      int slot = type.isLongSlot() ? e.longSlots++ : e.refSlots++;
      e.fields.put(name, new EventField(name, type, path(p), pathText(p), slot, def));
    }
  }

  private Predicate predicate(Ast.Pred p) {
    if (p instanceof Ast.PAnd a) {
      return new Predicates.And(predicate(a.left()), predicate(a.right()));
    }
    if (p instanceof Ast.POr o) {
      return new Predicates.Or(predicate(o.left()), predicate(o.right()));
    }
    if (p instanceof Ast.PNot n) {
      return new Predicates.Not(predicate(n.operand()));
    }
    if (p instanceof Ast.PExists x) {
      return new Predicates.Exists(path(x.path()));
    }
    if (p instanceof Ast.PCompare c) {
      Predicates.Literal lit = predicateLiteral(c.literal());
      CompareOp op = switch (c.op().kind()) {
        case EQ -> CompareOp.EQ;
        case NE -> CompareOp.NE;
        case LT -> CompareOp.LT;
        case LE -> CompareOp.LE;
        case GT -> CompareOp.GT;
        default -> CompareOp.GE;
      };
      if (op != CompareOp.EQ && op != CompareOp.NE && lit.kind() != JsonKind.INT) {
        throw new CheckError(c.literal().token(), "`" + c.op().text() + "` compares with an integer, "
            + "found " + c.literal().token().describe()
            + ": a string or a boolean takes only `==` and `!=`");
      }
      return new Predicates.Compare(path(c.path()), op, lit);
    }
    Ast.PIn in = (Ast.PIn) p;
    List<Predicates.Literal> members = new ArrayList<>();
    for (Ast.Literal l : in.members()) {
      members.add(predicateLiteral(l));
    }
    return new Predicates.In(path(in.path()), members, in.negated());
  }

  private static Predicates.Literal predicateLiteral(Ast.Literal l) {
    if (l instanceof Ast.IntLit i) {
      return Predicates.Literal.ofInt(i.value());
    }
    if (l instanceof Ast.StringLit s) {
      return Predicates.Literal.ofString(s.value());
    }
    if (l instanceof Ast.BoolLit b) {
      return Predicates.Literal.ofBool(b.value());
    }
    throw new CheckError(l.token(), "predicates compare with integers, strings, true and false only");
  }

  // ------------------------------------------------------------------ handlers, invariants, deadlines

  private void handler(Ast.On on) {
    EventInfo e = events.get(on.event().text());
    if (e == null) {
      throw unknown(on.event(), "unknown event `" + on.event().text() + "`: " + expectedEvent());
    }
    Layout l = e.entity;
    String binding = null;
    if (on.binding() != null) {
      binding = on.binding().text();
      if (l.vars.containsKey(binding) || l.constants.containsKey(binding)) {
        throw new CheckError(on.binding(), "the event's name `" + binding + "` is already "
            + (l.vars.containsKey(binding) ? "a state variable" : "an enum constant") + " of `" + l.name()
            + "`: expected another name, such as `e`");
      }
    }
    ExprCompiler c = new ExprCompiler(new Scope(l.name(), l.vars, l.constants, binding,
        e.decl.name().text(), e.fields));
    List<Expr> requires = new ArrayList<>();
    for (Ast.Expr r : on.requires()) {
      try {
        requires.add(c.condition(r, "a `requires` clause"));
      } catch (CheckError err) {
        report(err);
      }
    }
    // Each statement is checked on its own, so that one run reports every bad statement.
    var body = c.block(on.body(), this::report);
    e.handlers.add(new Handler(requires.toArray(new Expr[0]),
        on.requiresSource().toArray(new String[0]), body, on.doc()));
  }

  private Layout entityFor(Token entityToken, Token declToken, String what) {
    if (entityToken != null) {
      Layout l = entities.get(entityToken.text());
      if (l == null) {
        throw unknown(entityToken, "unknown entity `" + entityToken.text() + "`"
            + (entities.isEmpty() ? ": declare it with `entity NAME key PATH { ... }`"
                : ": expected one of the declared entities (" + String.join(", ", entities.keySet())
                    + ")"));
      }
      return l;
    }
    if (entities.size() != 1) {
      if (entities.isEmpty() && !brokenNames.isEmpty()) {
        throw new CheckError(null, null); // the entity had a syntax error
      }
      throw new CheckError(declToken, what + " needs `for ENTITY` when the spec has "
          + (entities.isEmpty() ? "no entity" : entities.size() + " entities: expected `for "
              + String.join("` or `for ", entities.keySet()) + "` before the `:`"));
    }
    return entities.values().iterator().next();
  }

  private void invariant(Ast.InvariantDecl inv) {
    Layout l = entityFor(inv.entity(), inv.name(), "an invariant");
    Expr condition = new ExprCompiler(l.scope()).condition(inv.condition(), "an invariant");
    // The contract: an invariant that is false, or cannot be evaluated, in the initial state
    // (with `now` at epoch 0) is a compile error.
    Frame f = new Frame(l.initLongs.size(), l.initRefs.size());
    f.load(l.initLongs.stream().mapToLong(Long::longValue).toArray(), l.initRefs.toArray());
    f.bindEvent(new long[0], new Object[0], 0, "");
    try {
      if (!condition.evalBool(f)) {
        throw new CheckError(inv.name(), "invariant `" + inv.name().text()
            + "` does not hold in the initial state of `" + l.name() + "`: it must hold before any "
            + "event, with every variable at its initial value and `now` at epoch 0");
      }
    } catch (EvalFault fault) {
      throw new CheckError(inv.name(), "invariant `" + inv.name().text()
          + "` cannot be evaluated in the initial state of `" + l.name() + "`: " + fault.getMessage());
    }
    l.invariants.add(new Invariant(inv.name().text(), l.invariants.size(), condition, inv.doc()));
  }

  private void deadline(Ast.DeadlineDecl d, InputSpec inputSpec) {
    if (!inputSpec.hasTime()) {
      throw new CheckError(d.keyword(), "a deadline needs event time: expected `time PATH` in an "
          + "`input` block (deadlines fire on the watermark of event time)");
    }
    // A negative `within` is a duration like any other (the contract lists `-1s`): the deadline
    // is armed already behind its `after` event, and fires at the next document that produces
    // an event, or at --flush (docs/language.md, section 10).
    Layout entity = null;
    Token entityWitness = null;
    List<EventInfo> after = new ArrayList<>();
    List<EventInfo> expect = new ArrayList<>();
    for (List<Token> list : List.of(d.after(), d.expect())) {
      for (Token t : list) {
        EventInfo e = events.get(t.text());
        if (e == null) {
          throw unknown(t, "unknown event `" + t.text() + "`: " + expectedEvent());
        }
        if (entity == null) {
          entity = e.entity;
          entityWitness = t;
        } else if (e.entity != entity) {
          throw new CheckError(t, "all events of a deadline belong to one entity type: `" + t.text()
              + "` is for `" + e.entity.name() + "`, `" + entityWitness.text() + "` for `"
              + entity.name() + "`");
        }
        (list == d.after() ? after : expect).add(e);
      }
    }
    int index = entity.deadlines.size();
    entity.deadlines.add(new Deadline(d.name().text(), index, d.within().millis(), d.doc()));
    for (EventInfo e : after) {
      e.arms.add(index);
    }
    for (EventInfo e : expect) {
      e.disarms.add(index);
    }
  }

  private String expectedEvent() {
    return events.isEmpty() ? "declare it with `event NAME for ENTITY when ...`"
        : "expected one of the declared events (" + String.join(", ", events.keySet()) + ")";
  }
}
