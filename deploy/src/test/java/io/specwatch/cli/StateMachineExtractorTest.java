package io.specwatch.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.specwatch.cli.graph.DeadlineNote;
import io.specwatch.cli.graph.Edge;
import io.specwatch.cli.graph.StateGraph;
import io.specwatch.cli.graph.StateMachine;
import io.specwatch.cli.graph.StateMachineExtractor;
import io.specwatch.spec.CompileResult;
import io.specwatch.spec.SourceFile;
import io.specwatch.spec.SpecCompiler;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The analysis behind {@code specwatch graph}: sources from requires, targets from bodies. */
class StateMachineExtractorTest {

  /** An entity with four states, D final, and events a..d with an int field x. */
  private static final String PRELUDE = String.join("\n",
      "spec t",
      "input { time ts }",
      "entity E key k {",
      "  s: enum { A, B, C, D } = B",
      "  n: int",
      "  ok: bool",
      "  ends when s == D",
      "}",
      "event a for E when t == \"a\" { x: int }",
      "event b for E when t == \"b\" { x: int }",
      "event c for E when t == \"c\"",
      "event d for E when t == \"d\"",
      "");

  static StateGraph graph(String text) {
    CompileResult r = SpecCompiler.compile(List.of(new SourceFile("t.sw", text)));
    assertTrue(r.ok(), () -> "does not compile: " + r.diagnostics());
    return StateMachineExtractor.extract(r.syntax().get(0));
  }

  /** The edges of the only machine, as {@code from -> to : label}. */
  static List<String> edges(String handlers) {
    StateGraph g = graph(PRELUDE + handlers);
    assertEquals(1, g.machines().size());
    return strings(g.machines().get(0).edges());
  }

  static List<String> strings(List<Edge> edges) {
    List<String> out = new ArrayList<>();
    for (Edge e : edges) {
      out.add(e.toString());
    }
    return out;
  }

  // ------------------------------------------------------------------ requires

  @Test
  void equalsAllowsOneState() {
    assertEquals(List.of("A -> C : a"), edges("on a requires s == A { s = C }"));
  }

  @Test
  void equalsWrittenTheOtherWayRound() {
    assertEquals(List.of("A -> C : a"), edges("on a requires A == s { s = C }"));
  }

  @Test
  void notEqualsAllowsTheOthersButNotTheFinalState() {
    assertEquals(List.of("B -> C : a", "C -> C : a"), edges("on a requires s != A { s = C }"));
  }

  @Test
  void inAllowsTheListedStates() {
    assertEquals(List.of("A -> D : a", "C -> D : a"), edges("on a requires s in { C, A } { s = D }"));
  }

  @Test
  void notInAllowsTheRest() {
    assertEquals(List.of("B -> A : a", "C -> A : a"), edges("on a requires s not in { A } { s = A }"));
  }

  @Test
  void conjunctionsNarrowAndKeepTheOtherOperandsAsGuards() {
    assertEquals(List.of("A -> D : a [e.x > 0 and n < 3]"),
        edges("on a(e) requires s in { A, B } and e.x > 0 and s != B and n < 3 { s = D }"));
  }

  @Test
  void severalClausesNarrowTogetherAndGuardsKeepTheirOrder() {
    assertEquals(List.of("C -> A : a [ok, e.x == 2]"),
        edges("on a(e) requires s != A, ok, s not in { B }, e.x == 2 { s = A }"));
  }

  @Test
  void noClauseAboutTheVariableAllowsEveryStateButTheFinalOne() {
    assertEquals(List.of("A -> B : c", "B -> B : c", "C -> B : c"), edges("on c { s = B }"));
  }

  @Test
  void anyOtherClauseAboutTheVariableAllowsEveryStateAndIsAGuard() {
    assertEquals(List.of(
            "A -> A : c [s == A or s == B]",
            "B -> A : c [s == A or s == B]",
            "C -> A : c [s == A or s == B]"),
        edges("on c requires s == A or s == B { s = A }"));
  }

  @Test
  void aNegatedComparisonIsNotAnalysed() {
    assertEquals(List.of("A -> A : c [not (s == A)]", "B -> B : c [not (s == A)]", "C -> C : c [not (s == A)]"),
        edges("on c requires not s == A { n += 1 }"));
  }

  @Test
  void contradictoryRequiresDrawNothingAndSaySo() {
    StateGraph g = graph(PRELUDE + "on c requires s == A, s == B { s = C }\non d requires s == D { s = A }");
    StateMachine m = g.machines().get(0);
    assertEquals(List.of(), m.edges());
    assertEquals(List.of(
        "no handler, changes no state: a, b",
        "on c (line 13) never runs: its requires allow no state of s",
        "on d (line 14) never runs: its requires allow only final states of s"), m.notes());
  }

  @Test
  void theInitialStateIsASourceEvenWhenItIsFinal() {
    StateGraph g = graph(PRELUDE.replace("ends when s == D", "ends when s in { B, D }")
        + "on c { s = A }");
    assertEquals(List.of("A -> A : c", "B -> A : c", "C -> A : c"),
        strings(g.machines().get(0).edges()));
  }

  // ------------------------------------------------------------------ bodies

  @Test
  void aBodyThatDoesNotAssignKeepsTheState() {
    assertEquals(List.of("A -> A : c", "C -> C : c"), edges("on c requires s in { A, C } { n += 1 }"));
  }

  @Test
  void ifWithoutElseAssignsOrKeeps() {
    assertEquals(List.of("A -> C : a [if e.x > 0]", "A -> A : a [if e.x <= 0]"),
        edges("on a(e) requires s == A { if e.x > 0 { s = C } }"));
  }

  @Test
  void ifElseIfElseHasOneTargetPerBranch() {
    assertEquals(List.of(
            "A -> B : a [if e.x == 1]",
            "A -> C : a [if e.x != 1 and e.x in { 2, 3 }]",
            "A -> D : a [if e.x != 1 and e.x not in { 2, 3 }]"),
        edges("on a(e) requires s == A {\n"
            + "  if e.x == 1 { s = B } else if e.x in { 2, 3 } { s = C } else { s = D }\n}"));
  }

  @Test
  void pathsToOneTargetAreMerged() {
    assertEquals(List.of(
            "A -> C : a [if (ok and e.x > 1) or (not ok and n > 2)]",
            "A -> A : a [if (ok and e.x <= 1) or (not ok and n <= 2)]"),
        edges("on a(e) requires s == A {\n"
            + "  if ok { if e.x > 1 { s = C } } else { if n > 2 { s = C } }\n}"));
  }

  @Test
  void conditionsThatAssignNothingDoNotSplitTheEdge() {
    assertEquals(List.of("A -> C : a"),
        edges("on a(e) requires s == A { if e.x > 0 { n += 1 } else { n -= 1 }\n s = C }"));
  }

  @Test
  void aLaterAssignmentOverridesTheBranches() {
    assertEquals(List.of("A -> D : a"),
        edges("on a(e) requires s == A { if e.x > 0 { s = C } else { s = B }\n s = D }"));
  }

  @Test
  void anAssignmentBeforeTheIfIsWhatTheOtherBranchKeeps() {
    assertEquals(List.of("A -> B : a [if not ok]", "A -> C : a [if ok]"),
        edges("on a requires s == A { s = C\n if not ok { s = B } }"));
  }

  @Test
  void assigningTheVariableItselfKeepsTheState() {
    assertEquals(List.of("A -> A : c"), edges("on c requires s == A { s = s }"));
  }

  @Test
  void conditionsKeepTheirParentheses() {
    assertEquals(List.of("A -> C : a [if (ok or n > 1) and e.x - (n - 1) > 0]",
            "A -> A : a [if not ((ok or n > 1) and e.x - (n - 1) > 0)]"),
        edges("on a(e) requires s == A { if (ok or n > 1) and e.x - (n - 1) > 0 { s = C } }"));
  }

  @Test
  void manyConditionsDoNotExplode() {
    StringBuilder body = new StringBuilder();
    for (int i = 0; i < 40; i++) {
      body.append("if n > ").append(i).append(" { s = ").append(i % 2 == 0 ? "C" : "D").append(" }\n");
    }
    List<String> edges = assertTimeoutPreemptively(Duration.ofSeconds(10),
        () -> edges("on c requires s == A {\n" + body + "}"));
    // Targets in the order of the paths: the last `if` (it assigns D) goes first.
    assertEquals(List.of(
        "A -> D : c [if one of several conditions]",
        "A -> C : c [if one of several conditions]",
        "A -> A : c [if one of several conditions]"), edges);
  }

  // ------------------------------------------------------------------ several handlers, machines

  @Test
  void handlersOfOneEventAreDistinctAndLaterOnesComeOtherwise() {
    assertEquals(List.of(
            "A -> B : a [e.x > 0]",
            "A -> C : a [otherwise]",
            "B -> C : a"),
        edges("on a(e) requires s == A, e.x > 0 { s = B }\non a requires s in { A, B } { s = C }"));
  }

  @Test
  void noEnumVariableDrawsOneStateWithSelfLoops() {
    StateGraph g = graph(String.join("\n",
        "spec t",
        "entity Counter key k {",
        "  n: int",
        "  ends when n > 9",
        "}",
        "event up for Counter when t == 1 { by: int }",
        "event reset for Counter when t == 2",
        "event seen for Counter when t == 3",
        "on up(e) requires e.by > 0, n + e.by <= 10 { if e.by > 5 { n += 5 } else { n += e.by } }",
        "on up { n += 1 }",
        "on reset { n = 0 }",
        ""));
    StateMachine m = g.machines().get(0);
    assertEquals("Counter", m.title());
    assertEquals(List.of(StateMachine.ANY), m.states());
    assertEquals(StateMachine.ANY, m.initial());
    assertEquals(List.of(
        "(any) -> (any) : up [e.by > 0, n + e.by <= 10]",
        "(any) -> (any) : up [otherwise]",
        "(any) -> (any) : reset"), strings(m.edges()));
    assertEquals(List.of("ends when n > 9", "no handler, changes no state: seen"), m.notes());
  }

  @Test
  void oneMachinePerEnumVariable() {
    StateGraph g = graph(String.join("\n",
        "spec t",
        "entity O key k {",
        "  st: enum { Open, Done }",
        "  rv: enum { Todo, Ok, No } = Todo",
        "  ends when st == Done",
        "}",
        "event rev for O when t == 1",
        "event fin for O when t == 2",
        "on rev requires rv == Todo, st == Open { rv = Ok }",
        "on fin requires st == Open and rv == Ok { st = Done }",
        ""));
    assertEquals(2, g.machines().size());
    StateMachine st = g.machines().get(0);
    StateMachine rv = g.machines().get(1);
    assertEquals("O.st", st.title());
    assertEquals(Set.of("Done"), st.finals());
    assertEquals(List.of("Open -> Open : rev [rv == Todo]", "Open -> Done : fin [rv == Ok]"),
        strings(st.edges()));
    assertEquals(List.of(), st.notes());
    assertEquals("O.rv", rv.title());
    assertEquals("Todo", rv.initial());
    assertEquals(Set.of(), rv.finals());
    assertEquals(List.of("Todo -> Ok : rev [st == Open]", "Ok -> Ok : fin [st == Open]"),
        strings(rv.edges()));
    assertEquals(List.of("ends when st == Done"), rv.notes());
  }

  // ------------------------------------------------------------------ initial, final, notes

  @Test
  void initialStateIsTheDeclaredValueOrTheFirstConstant() {
    assertEquals("B", graph(PRELUDE).machines().get(0).initial());
    assertEquals("A", graph(PRELUDE.replace("} = B", "}")).machines().get(0).initial());
  }

  @Test
  void finalStatesFromEqualsInAndOr() {
    assertEquals(Set.of("D"), graph(PRELUDE).machines().get(0).finals());
    assertEquals(Set.of("A", "C"),
        graph(PRELUDE.replace("s == D", "s in { C, A }")).machines().get(0).finals());
    assertEquals(Set.of("A", "C", "D"),
        graph(PRELUDE.replace("s == D", "s == D or A == s or s in { C }")).machines().get(0).finals());
  }

  @Test
  void anyOtherEndsWhenIsANote() {
    StateMachine m = graph(PRELUDE.replace("s == D", "s == D and (ok or n > 1)")).machines().get(0);
    assertEquals(Set.of(), m.finals());
    assertEquals(List.of("ends when s == D and (ok or n > 1)",
        "no handler, changes no state: a, b, c, d"), m.notes());
    StateMachine neq = graph(PRELUDE.replace("s == D", "s != D")).machines().get(0);
    assertEquals(Set.of(), neq.finals());
    assertEquals("ends when s != D", neq.notes().get(0));
  }

  @Test
  void deadlinesAreListedInSourceOrder() {
    StateMachine m = graph(PRELUDE + String.join("\n",
        "deadline first: after a or b expect c within 10m",
        "deadline second: after c expect d or a within 1_000ms",
        "")).machines().get(0);
    assertEquals(List.of(
        new DeadlineNote("first", List.of("a", "b"), List.of("c"), "10m"),
        new DeadlineNote("second", List.of("c"), List.of("d", "a"), "1_000ms")), m.deadlines());
    assertEquals("first: after a or b expect c within 10m", m.deadlines().get(0).text());
  }

  @Test
  void eachEntityGetsOnlyItsOwnEventsAndDeadlines() {
    StateGraph g = graph(String.join("\n",
        "spec t",
        "input { time ts }",
        "entity P key p { s: enum { X, Y } }",
        "entity Q key q { s2: enum { U, V } }",
        "event px for P when t == 1",
        "event qx for Q when t == 2",
        "event qy for Q when t == 3",
        "on qx requires s2 == U { s2 = V }",
        "deadline dq: after qx expect qy within 1h",
        ""));
    StateMachine p = g.machines().get(0);
    StateMachine q = g.machines().get(1);
    assertEquals(List.of(), p.edges());
    assertEquals(List.of("no handler, changes no state: px"), p.notes());
    assertEquals(List.of(), p.deadlines());
    assertEquals(List.of("U -> V : qx"), strings(q.edges()));
    assertEquals(List.of("no handler, changes no state: qy"), q.notes());
    assertEquals(List.of("dq"), q.deadlines().stream().map(DeadlineNote::name).toList());
  }
}
