package io.specwatch.cli.graph;

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
 * Reads the state machines out of a spec's syntax tree (of a spec that compiled, so every name
 * resolves and every expression is well typed).
 *
 * <p>One machine per enum state variable V of each entity (a single state {@link
 * StateMachine#ANY} for an entity without one). For each handler of the entity's events:
 *
 * <ul>
 *   <li>Source states: the constants of V that its {@code requires} allow. Each clause is split
 *       into its {@code and} operands; an operand {@code V == X}, {@code V != X}, {@code V in
 *       {...}} or {@code V not in {...}} (also written the other way round, {@code X == V})
 *       narrows the set, and every other operand, about V or not, narrows nothing and is kept as a
 *       guard in the label. The states in which the entity has ended (see below) are left out,
 *       because there every event is rejected, except the initial state, which a fresh instance is
 *       in before any event.
 *   <li>Target states: every path through the body, with the {@code if} conditions that lead
 *       along it, ends either with the last {@code V = X} on it or without assigning V (the state
 *       is kept: a self-loop). Paths with the same target are merged; when the body has more than
 *       one target, each edge carries the conditions that lead to it. {@code if}s that assign V in
 *       none of their branches do not split paths.
 *   <li>Handlers are tried in source order: an edge of a handler from a state that an earlier
 *       handler of the same event also allows is marked {@code [otherwise]}.
 * </ul>
 *
 * <p>Final states: the constants X for which {@code ends when} holds, when it is {@code V == X},
 * {@code V in {...}} or an {@code or} of those; otherwise the machine notes {@code ends when ...}.
 */
public final class StateMachineExtractor {
  /** Beyond this many paths through one body, conditions are no longer told apart. */
  static final int MAX_PATHS = 64;

  /** The condition shown when a body has too many paths to list their conditions. */
  static final String MANY_CONDITIONS = "one of several conditions";

  private final Map<String, Ast.Event> events = new LinkedHashMap<>();
  private final List<Ast.On> handlers = new ArrayList<>();
  private final List<Ast.DeadlineDecl> deadlines = new ArrayList<>();
  private final List<Ast.Entity> entities = new ArrayList<>();

  private StateMachineExtractor(Ast.SpecFile spec) {
    for (Ast.Decl d : spec.decls()) {
      if (d instanceof Ast.Entity e) {
        entities.add(e);
      } else if (d instanceof Ast.Event e) {
        events.put(e.name().text(), e);
      } else if (d instanceof Ast.On h) {
        handlers.add(h);
      } else if (d instanceof Ast.DeadlineDecl dl) {
        deadlines.add(dl);
      }
    }
  }

  /** The machines of every entity of the spec, in declaration order. */
  public static StateGraph extract(Ast.SpecFile spec) {
    StateMachineExtractor x = new StateMachineExtractor(spec);
    List<StateMachine> machines = new ArrayList<>();
    for (Ast.Entity entity : x.entities) {
      machines.addAll(x.machines(entity));
    }
    return new StateGraph(spec.nameToken().text(), machines);
  }

  private List<StateMachine> machines(Ast.Entity entity) {
    String name = entity.name().text();
    List<Ast.Event> ownEvents = new ArrayList<>();
    for (Ast.Event e : events.values()) {
      if (e.entity().text().equals(name)) {
        ownEvents.add(e);
      }
    }
    List<Ast.On> ownHandlers = new ArrayList<>();
    for (Ast.On h : handlers) {
      if (entityOf(h.event().text()).equals(name)) {
        ownHandlers.add(h);
      }
    }
    List<String> unhandled = new ArrayList<>();
    for (Ast.Event e : ownEvents) {
      boolean handled = false;
      for (Ast.On h : ownHandlers) {
        handled |= h.event().text().equals(e.name().text());
      }
      if (!handled) {
        unhandled.add(e.name().text());
      }
    }
    List<DeadlineNote> deadlineLines = new ArrayList<>();
    for (Ast.DeadlineDecl d : deadlines) {
      if (entityOf(d.after().get(0).text()).equals(name)) {
        deadlineLines.add(new DeadlineNote(d.name().text(), names(d.after()), names(d.expect()),
            ShortForm.print(d.within())));
      }
    }

    List<StateMachine> out = new ArrayList<>();
    for (Ast.VarDecl v : entity.vars()) {
      if (v.type().kind().equals("enum")) {
        out.add(enumMachine(entity, v, ownHandlers, unhandled, deadlineLines));
      }
    }
    if (out.isEmpty()) {
      out.add(anyMachine(entity, ownHandlers, unhandled, deadlineLines));
    }
    return out;
  }

  private String entityOf(String event) {
    return events.get(event).entity().text();
  }

  private static List<String> names(List<Token> tokens) {
    List<String> out = new ArrayList<>();
    for (Token t : tokens) {
      out.add(t.text());
    }
    return out;
  }

  // ------------------------------------------------------------------ one enum variable

  private StateMachine enumMachine(Ast.Entity entity, Ast.VarDecl var, List<Ast.On> ownHandlers,
      List<String> unhandled, List<DeadlineNote> deadlineLines) {
    String v = var.name().text();
    List<String> states = new ArrayList<>();
    for (Token c : var.type().constants()) {
      states.add(c.text());
    }
    String initial = var.initial() != null ? var.initial().token().text() : states.get(0);
    List<String> notes = new ArrayList<>();
    Set<String> finals = Set.of();
    if (entity.endsWhen() != null) {
      Set<String> f = finalStates(entity.endsWhen(), v, states);
      if (f != null) {
        finals = f;
      } else {
        notes.add("ends when " + ShortForm.print(entity.endsWhen()));
      }
    }
    if (!unhandled.isEmpty()) {
      notes.add("no handler, changes no state: " + String.join(", ", unhandled));
    }

    List<Edge> edges = new ArrayList<>();
    Map<String, List<Set<String>>> earlier = new HashMap<>();
    for (Ast.On h : ownHandlers) {
      String event = h.event().text();
      Requires req = requires(h.requires(), v, states);
      Set<String> sources = new LinkedHashSet<>();
      for (String s : req.allowed()) {
        if (!finals.contains(s) || s.equals(initial)) {
          sources.add(s);
        }
      }
      if (req.allowed().isEmpty()) {
        notes.add("on " + event + " (line " + h.keyword().line() + ") never runs: its requires "
            + "allow no state of " + v);
      } else if (sources.isEmpty()) {
        notes.add("on " + event + " (line " + h.keyword().line() + ") never runs: its requires "
            + "allow only final states of " + v);
      }
      List<Target> targets = targets(h.body(), v, states);
      List<Set<String>> before = earlier.computeIfAbsent(event, k -> new ArrayList<>());
      for (String from : sources) {
        boolean otherwise = false;
        for (Set<String> b : before) {
          otherwise |= b.contains(from);
        }
        for (Target t : targets) {
          edges.add(new Edge(from, t.state() != null ? t.state() : from, event, req.guards(),
              otherwise, t.condition()));
        }
      }
      before.add(sources);
    }
    return new StateMachine(entity.name().text(), v, states, initial, finals, edges, notes,
        deadlineLines);
  }

  /** An entity without enum variables: one state, every handler a self-loop. */
  private StateMachine anyMachine(Ast.Entity entity, List<Ast.On> ownHandlers,
      List<String> unhandled, List<DeadlineNote> deadlineLines) {
    List<String> notes = new ArrayList<>();
    if (entity.endsWhen() != null) {
      notes.add("ends when " + ShortForm.print(entity.endsWhen()));
    }
    if (!unhandled.isEmpty()) {
      notes.add("no handler, changes no state: " + String.join(", ", unhandled));
    }
    List<Edge> edges = new ArrayList<>();
    Set<String> seen = new LinkedHashSet<>();
    for (Ast.On h : ownHandlers) {
      String event = h.event().text();
      List<String> guards = new ArrayList<>();
      for (Ast.Expr clause : h.requires()) {
        guards.add(ShortForm.print(clause));
      }
      edges.add(new Edge(StateMachine.ANY, StateMachine.ANY, event, guards, !seen.add(event), null));
    }
    return new StateMachine(entity.name().text(), null, List.of(StateMachine.ANY),
        StateMachine.ANY, Set.of(), edges, notes, deadlineLines);
  }

  // ------------------------------------------------------------------ requires

  /** The states a handler's requires allow (in declaration order), and its other clauses. */
  record Requires(Set<String> allowed, List<String> guards) {}

  static Requires requires(List<Ast.Expr> clauses, String v, List<String> states) {
    Set<String> allowed = new LinkedHashSet<>(states);
    List<String> guards = new ArrayList<>();
    for (Ast.Expr clause : clauses) {
      List<Ast.Expr> parts = ShortForm.conjuncts(clause);
      List<Ast.Expr> rest = new ArrayList<>();
      for (Ast.Expr part : parts) {
        Set<String> only = allowedBy(part, v, states);
        if (only != null) {
          allowed.retainAll(only);
        } else {
          rest.add(part);
        }
      }
      if (rest.size() == parts.size()) {
        guards.add(ShortForm.print(clause));
      } else if (!rest.isEmpty()) {
        List<String> texts = new ArrayList<>();
        for (Ast.Expr r : rest) {
          texts.add(ShortForm.conjunct(r));
        }
        guards.add(String.join(" and ", texts));
      }
    }
    return new Requires(allowed, guards);
  }

  /**
   * The states that {@code V == X}, {@code V != X}, {@code V in {...}}, {@code V not in {...}}
   * allow (either way round for {@code ==} and {@code !=}); null for any other expression.
   */
  static Set<String> allowedBy(Ast.Expr e, String v, List<String> states) {
    Set<String> named = new LinkedHashSet<>();
    boolean negated;
    if (e instanceof Ast.Binary b && (b.op().text().equals("==") || b.op().text().equals("!="))) {
      String constant = isVar(b.left(), v) ? constant(b.right(), states)
          : isVar(b.right(), v) ? constant(b.left(), states) : null;
      if (constant == null) {
        return null;
      }
      named.add(constant);
      negated = b.op().text().equals("!=");
    } else if (e instanceof Ast.In in && in.members() != null && isVar(in.value(), v)) {
      for (Ast.Expr m : in.members()) {
        String constant = constant(m, states);
        if (constant == null) {
          return null;
        }
        named.add(constant);
      }
      negated = in.negated();
    } else {
      return null;
    }
    Set<String> out = new LinkedHashSet<>();
    for (String s : states) {
      if (named.contains(s) != negated) {
        out.add(s);
      }
    }
    return out;
  }

  /** The final states if {@code ends when} is an {@code or} of {@code V == X} and {@code V in {...}}. */
  static Set<String> finalStates(Ast.Expr endsWhen, String v, List<String> states) {
    Set<String> finals = new LinkedHashSet<>();
    for (Ast.Expr d : ShortForm.disjuncts(endsWhen)) {
      boolean simple = d instanceof Ast.Binary b && b.op().text().equals("==")
          || d instanceof Ast.In in && !in.negated();
      Set<String> allowed = simple ? allowedBy(d, v, states) : null;
      if (allowed == null) {
        return null;
      }
      finals.addAll(allowed);
    }
    Set<String> ordered = new LinkedHashSet<>();
    for (String s : states) {
      if (finals.contains(s)) {
        ordered.add(s);
      }
    }
    return ordered;
  }

  private static boolean isVar(Ast.Expr e, String v) {
    return e instanceof Ast.Name n && n.token().text().equals(v);
  }

  private static String constant(Ast.Expr e, List<String> states) {
    return e instanceof Ast.Name n && states.contains(n.token().text()) ? n.token().text() : null;
  }

  // ------------------------------------------------------------------ body

  /** A target state (null: V keeps its value) and the condition that leads there (null: always). */
  record Target(String state, String condition) {}

  /** One {@code if} condition on a path: the condition, or its negation (an else branch). */
  private record Cond(Ast.Expr expr, boolean holds) {}

  /** A path through a body: where it leaves V (null: not assigned) and its conditions (null: too many to tell). */
  private record Path(String state, List<Cond> conds) {
    Path with(Cond c) {
      if (conds == null) {
        return this;
      }
      List<Cond> more = new ArrayList<>(conds);
      more.add(c);
      return new Path(state, more);
    }
  }

  static List<Target> targets(List<Ast.Stmt> body, String v, List<String> states) {
    List<Path> paths = run(body, List.of(new Path(null, List.of())), v, states);
    Map<String, List<List<Cond>>> byTarget = new LinkedHashMap<>();
    for (Path p : paths) {
      byTarget.computeIfAbsent(p.state(), k -> new ArrayList<>()).add(p.conds());
    }
    List<Target> out = new ArrayList<>();
    for (Map.Entry<String, List<List<Cond>>> e : byTarget.entrySet()) {
      out.add(new Target(e.getKey(), byTarget.size() == 1 ? null : condition(e.getValue())));
    }
    return out;
  }

  private static List<Path> run(List<Ast.Stmt> stmts, List<Path> in, String v, List<String> states) {
    List<Path> paths = in;
    for (Ast.Stmt s : stmts) {
      if (s instanceof Ast.Assign a && a.target().text().equals(v) && a.op().text().equals("=")) {
        List<Path> next = new ArrayList<>();
        for (Path p : paths) {
          if (isVar(a.value(), v)) {
            next.add(p); // V = V keeps the state
          } else if (constant(a.value(), states) != null) {
            next.add(new Path(constant(a.value(), states), p.conds()));
          } else {
            // No other expression has an enum type; should one appear, it may lead anywhere.
            for (String state : states) {
              next.add(new Path(state, p.conds()));
            }
          }
        }
        paths = next;
      } else if (s instanceof Ast.If i && (assigns(i.then(), v) || assigns(i.otherwise(), v))) {
        List<Path> next = new ArrayList<>();
        for (Path p : paths) {
          next.addAll(run(i.then(), List.of(p.with(new Cond(i.condition(), true))), v, states));
          next.addAll(run(i.otherwise(), List.of(p.with(new Cond(i.condition(), false))), v, states));
        }
        paths = next;
      }
      if (paths.size() > MAX_PATHS) {
        paths = collapse(paths);
      }
    }
    return paths;
  }

  /** One path per target, with its conditions forgotten. */
  private static List<Path> collapse(List<Path> paths) {
    Map<String, Path> byTarget = new LinkedHashMap<>();
    for (Path p : paths) {
      byTarget.putIfAbsent(p.state(), new Path(p.state(), null));
    }
    return new ArrayList<>(byTarget.values());
  }

  private static boolean assigns(List<Ast.Stmt> stmts, String v) {
    for (Ast.Stmt s : stmts) {
      if (s instanceof Ast.Assign a && a.target().text().equals(v)
          || s instanceof Ast.If i && (assigns(i.then(), v) || assigns(i.otherwise(), v))) {
        return true;
      }
    }
    return false;
  }

  /** {@code a and b}, or for several paths {@code (a and b) or c}. */
  private static String condition(List<List<Cond>> paths) {
    List<String> alternatives = new ArrayList<>();
    for (List<Cond> conds : paths) {
      if (conds == null) {
        return MANY_CONDITIONS;
      }
      if (conds.isEmpty()) {
        return null; // reached on every path (only when an assignment may lead anywhere)
      }
      if (conds.size() == 1 && paths.size() == 1) {
        Cond c = conds.get(0);
        alternatives.add(c.holds() ? ShortForm.print(c.expr()) : ShortForm.negate(c.expr()));
        continue;
      }
      List<String> parts = new ArrayList<>();
      for (Cond c : conds) {
        parts.add(c.holds() ? ShortForm.conjunct(c.expr()) : ShortForm.negatedConjunct(c.expr()));
      }
      String all = String.join(" and ", parts);
      alternatives.add(paths.size() > 1 && parts.size() > 1 ? "(" + all + ")" : all);
    }
    return String.join(" or ", alternatives);
  }
}
