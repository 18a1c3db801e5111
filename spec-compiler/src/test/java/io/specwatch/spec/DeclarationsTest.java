package io.specwatch.spec;

import static io.specwatch.spec.Specs.errors;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.specwatch.core.program.Program;
import io.specwatch.spec.Specs.Session;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The declarations: names, keywords, the shared namespace, `input` defaults, order freedom. */
class DeclarationsTest {
  /** The contract's keywords: none can be a declared name. */
  static final List<String> KEYWORDS = List.of("spec", "input", "time", "id", "dedupe", "within",
      "lateness", "entity", "key", "ends", "when", "event", "for", "on", "requires", "invariant",
      "deadline", "after", "expect", "or", "and", "not", "implies", "in", "if", "else", "true",
      "false", "int", "bool", "string", "duration", "enum", "set", "now", "exists", "len", "default");

  private static final String BASE = "spec names\ninput { time ts }\nentity A key k { n: int; s: enum { X, Y } }\n"
      + "event e for A when t == 1 { f: int }\n";

  @Test
  void noKeywordCanBeADeclaredName() {
    for (String k : KEYWORDS) {
      String[] specs = {
          "spec " + k + "\n",
          "spec names\nentity " + k + " key k { n: int }\n",
          "spec names\nentity A key k { " + k + ": int }\n",
          "spec names\nentity A key k { s: enum { X, " + k + " } }\n",
          BASE + "event " + k + " for A when t == 2\n",
          BASE.replace("{ f: int }", "{ " + k + ": int }"),
          BASE + "on e(" + k + ") { }\n",
          BASE + "invariant " + k + ": n >= 0\n",
          BASE + "deadline " + k + ": after e expect e within 1s\n",
      };
      for (String spec : specs) {
        String e = errors(spec);
        assertTrue(e.contains("`" + k + "` is a keyword and cannot be used as")
            || (k.equals("time") || k.equals("key")) && e.contains("`" + k + "` is an implicit field"),
            k + " in\n" + spec + "gave:\n" + e);
        assertEquals(1, Specs.compile(spec).diagnostics().size(), "one error, no cascade:\n" + e);
      }
    }
  }

  @Test
  void wordsThatAreNotKeywordsAreFineNames() {
    Session.of("spec add\ninput { time ts }\nentity remove key k { type: int; status: enum { add, Done }; e: bool }\n"
        + "event type for remove when type == 1 { status: int }\non type(x) { type = x.status }\n"
        + "invariant status: type >= 0\ndeadline e2: after type expect type within 1s\n");
  }

  @Test
  void entitiesEventsInvariantsAndDeadlinesShareOneNamespace() {
    String[] clashes = {
        BASE + "entity e key k { n: int }\n",
        BASE + "invariant A: n >= 0\n",
        BASE + "deadline e: after e expect e within 1s\n",
        BASE + "invariant i: n >= 0\ndeadline i: after e expect e within 1s\n",
        BASE + "event e for A when t == 2\n",
    };
    for (String spec : clashes) {
      assertTrue(errors(spec).contains("is already declared at line"), spec);
    }
    // A state variable, a field and a binding are not in that namespace.
    Session.of(BASE.replace("{ f: int }", "{ e: int; A: int }") + "on e(ev) { n = ev.e + ev.A }\n"
        + "invariant n_ok: n >= 0 or true\n");
    Session.of("spec names\nentity A key k { captured: int }\nevent captured for A when t == 1\n");
  }

  @Test
  void declarationsMayComeInAnyOrder() {
    Session s = Session.of("spec order\n"
        + "deadline d: after e expect e2 within 1m\n"
        + "invariant positive: n >= 0\n"
        + "on e { n -= 1 }\n"
        + "event e2 for A when t == 2\n"
        + "event e for A when t == 1\n"
        + "entity A key k { n: int }\n"
        + "input { time ts }\n");
    assertEquals(List.of("invariant positive A a @1"), s.sendBrief("{\"t\":1,\"k\":\"a\",\"ts\":0}"));
    assertEquals(List.of("deadline d A a @2"), s.sendBrief("{\"t\":2,\"k\":\"b\",\"ts\":60001}"));
  }

  @Test
  void inputDefaults() {
    Program none = Specs.program("spec i\nentity A key k { n: int }\n");
    assertEquals(false, none.input().hasTime());
    assertEquals(false, none.input().hasId());
    Program withId = Specs.program("spec i\ninput { id eid }\nentity A key k { n: int }\n");
    assertEquals(3_600_000L, withId.input().dedupeWindowMillis(), "dedupe defaults to 1h");
    assertEquals(0L, withId.input().latenessMillis(), "lateness defaults to 0s");
    Program all = Specs.program("spec i\ninput {\n time a.b\n id [\"x y\"]\n dedupe within 15m\n lateness 30s\n}\n"
        + "entity A key k { n: int }\n");
    assertEquals("a.b", all.input().timePathText());
    assertEquals(900_000L, all.input().dedupeWindowMillis());
    assertEquals(30_000L, all.input().latenessMillis());
    Program empty = Specs.program("spec i\ninput { }\nentity A key k { n: int }\n");
    assertEquals(false, empty.input().hasTime());
  }

  @Test
  void inputErrors() {
    assertTrue(errors("spec i\ninput { time ts }\ninput { id x }\nentity A key k { n: int }\n")
        .contains("t.sw:3:1: error: a spec has at most one `input` block, and one is already at line 2"));
    assertTrue(errors("spec i\ninput { time ts; time x }\n").contains("`time` is given twice"));
    assertTrue(errors("spec i\ninput { id ts; id x }\n").contains("`id` is given twice"));
    assertTrue(errors("spec i\ninput { id a; dedupe within 1s; dedupe within 2s }\n").contains("`dedupe` is given twice"));
    assertTrue(errors("spec i\ninput { lateness 1s; lateness 2s }\n").contains("`lateness` is given twice"));
    assertTrue(errors("spec i\ninput { lateness 5 }\n").contains("expected a duration such as `250ms`"));
    assertTrue(errors("spec i\ninput { time }\n").contains("expected a document path after `time`, found `}`"));
    assertTrue(errors("spec i\ninput { time ts id x }\n").contains("expected a new line, `;` or `}` after an input clause, found `id`"));
    assertTrue(errors("spec i\ninput time ts\n").contains("expected `{` after `input`, found `time`"));
  }

  @Test
  void anEntityNeedsAKeyAndAtLeastItsBraces() {
    Session.of("spec e\nentity A key k { }\nevent e for A when t == 1\n");
    assertTrue(errors("spec e\nentity A { }\n").contains("expected `key PATH` after the entity name, found `{`"));
    assertTrue(errors("spec e\nentity A key k\n").contains("expected `{` to open the entity's state, found a new line"));
    assertTrue(errors("spec e\nentity A key k { n: int\n").contains("t.sw:2:24: error: expected a state variable name"));
    assertTrue(errors("spec e\nentity A key k { ends when true; ends when false }\n")
        .contains("an entity has at most one `ends when`"));
    assertTrue(errors("spec e\nentity A key k { ends with true }\n")
        .contains("expected `when` after `ends` (as in `ends when status == Closed`), found `with`"));
  }

  @Test
  void aSpecFileHoldsOneSpecWithANameFirst() {
    assertTrue(errors("").contains("t.sw:1:1: error: expected `spec NAME` as the first line of the file, found the end of the file"));
    assertTrue(errors("// only a comment\n").contains("expected `spec NAME` as the first line of the file"));
    assertTrue(errors("spec\n").contains("t.sw:1:5: error: expected a spec name, found a new line"));
    assertTrue(errors("spec a b\n").contains("expected a new line or `;` after the spec name, found `b`"));
    assertTrue(errors("spec a\nspec b\n").contains("found a second `spec` line: a file holds one spec"));
    Session.of("spec only_a_name\n");
    Session.of("\n\n// comments first\n/// even doc comments\nspec late\n");
  }

  @Test
  void enumConstantsAndVariablesOfOneEntity() {
    assertTrue(errors("spec e\nentity A key k { s: enum { X, Y }; X: int }\n")
        .contains("t.sw:2:36: error: state variable `X` has the name of an enum constant of `A`"));
    assertTrue(errors("spec e\nentity A key k { X: int; s: enum { X, Y } }\n")
        .contains("t.sw:2:18: error: state variable `X` has the name of an enum constant of `A`"));
    assertTrue(errors("spec e\nentity A key k { s: enum { X, Y, X } }\n").contains("`X` appears twice in this enum"));
    assertTrue(errors("spec e\nentity A key k { n: int; n: bool }\n").contains("state variable `n` is declared twice"));
    // Another entity's constant is no conflict.
    Session.of("spec e\nentity A key k { s: enum { X, Y } }\nentity B key k { X: int }\n");
  }
}
