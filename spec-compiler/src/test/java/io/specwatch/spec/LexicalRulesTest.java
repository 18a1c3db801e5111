package io.specwatch.spec;

import static io.specwatch.spec.Specs.errors;
import static io.specwatch.spec.Specs.only;
import static io.specwatch.spec.Specs.state;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.specwatch.spec.Specs.Session;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Comments, doc comments, literals and the newline rules of the contract's "Lexical rules". */
class LexicalRulesTest {

  /** One entity, an event `probe` whose handler never runs (its state shows in the violation). */
  private static String probeSpec(String vars) {
    return "spec lex\nentity A key k {\n" + vars + "\n}\n"
        + "event probe for A when type == \"probe\"\non probe requires false { }\n";
  }

  private static String initialState(String vars) {
    Session s = Session.of(probeSpec(vars));
    return state(only(s.send("{\"type\":\"probe\",\"k\":\"a\"}")));
  }

  // ---------------------------------------------------------------- comments and doc comments

  @Test
  void commentsRunToTheEndOfTheLineAnywhere() {
    Session s = Session.of("// leading comment\nspec c // after the name\n"
        + "entity A key k { // after the brace\n  x: int // a variable\n}\n"
        + "event e for A when type == \"e\" // the predicate ends here\n"
        + "on e requires x == 1 { } // a handler\n");
    assertEquals(List.of("transition e A a @1"), s.sendBrief("{\"type\":\"e\",\"k\":\"a\"}"));
  }

  @Test
  void slashesInsideAStringAreNotAComment() {
    Session s = Session.of("spec c\nentity A key k { x: int }\n"
        + "event e for A when url == \"http://x/y//z\" // a comment\non e requires false { }\n");
    assertEquals(List.of("transition e A a @1"), s.sendBrief("{\"url\":\"http://x/y//z\",\"k\":\"a\"}"));
  }

  @Test
  void aNewlineMayComeBeforeTheOpeningBraceOfEveryBlock() {
    // docs/language.md, choice 1.
    Session s = Session.of("spec c\ninput\n{\n  time ts\n}\nentity A key k\n{\n  x: int\n}\n"
        + "event e for A when t == 1\n{\n  n: int\n}\non e(ev)\n{\n  x = ev.n\n  if x > 1\n  {\n    x = 0\n  }\n}\n"
        + "invariant zero: x == 0\n");
    assertEquals(List.of("invariant zero A a @1"), s.sendBrief("{\"t\":1,\"k\":\"a\",\"n\":1,\"ts\":0}"));
    assertEquals(List.of(), s.sendBrief("{\"t\":1,\"k\":\"a\",\"n\":2,\"ts\":0}"));
  }

  @Test
  void consecutiveDocLinesAreJoinedWithSingleSpaces() {
    Session s = Session.of("spec d\nentity A key k { x: int }\nevent e for A when type == \"e\"\n"
        + "on e { x -= 1 }\n"
        + "///   A balance never\n///goes negative.   \n   /// Really.\n"
        + "invariant non_negative: x >= 0\n");
    assertEquals("A balance never goes negative. Really.",
        only(s.send("{\"type\":\"e\",\"k\":\"a\"}")).message());
  }

  @Test
  void aBlankLineDetachesADocComment() {
    Session s = Session.of("spec d\nentity A key k { x: int }\nevent e for A when type == \"e\"\n"
        + "on e { x -= 1 }\n/// Detached.\n\ninvariant non_negative: x >= 0\n");
    assertEquals("invariant `non_negative` does not hold",
        only(s.send("{\"type\":\"e\",\"k\":\"a\"}")).message());
  }

  @Test
  void aPlainCommentLineDetachesADocComment() {
    Session s = Session.of("spec d\nentity A key k { x: int }\nevent e for A when type == \"e\"\n"
        + "on e { x -= 1 }\n/// Detached.\n// an ordinary comment\ninvariant non_negative: x >= 0\n");
    assertEquals("invariant `non_negative` does not hold",
        only(s.send("{\"type\":\"e\",\"k\":\"a\"}")).message());
  }

  @Test
  void onlyTheDocLinesDirectlyAboveCount() {
    Session s = Session.of("spec d\nentity A key k { x: int }\nevent e for A when type == \"e\"\n"
        + "on e { x -= 1 }\n/// Not this.\n\n/// This one.\ninvariant non_negative: x >= 0\n");
    assertEquals("This one.", only(s.send("{\"type\":\"e\",\"k\":\"a\"}")).message());
  }

  @Test
  void docCommentsWorkWithCrlfLineEnds() {
    Session s = Session.of(("spec d\nentity A key k { x: int }\nevent e for A when type == \"e\"\n"
        + "on e { x -= 1 }\n/// First line,\n/// second line.\ninvariant non_negative: x >= 0\n")
        .replace("\n", "\r\n"));
    assertEquals("First line, second line.", only(s.send("{\"type\":\"e\",\"k\":\"a\"}")).message());
  }

  @Test
  void aDocCommentAfterCodeOnTheSameLineIsAnOrdinaryComment() {
    Session s = Session.of("spec d\nentity A key k { x: int }\nevent e for A when type == \"e\"\n"
        + "on e { x -= 1 } /// not a doc comment of the invariant\n"
        + "invariant non_negative: x >= 0\n");
    assertEquals("invariant `non_negative` does not hold",
        only(s.send("{\"type\":\"e\",\"k\":\"a\"}")).message());
  }

  // ---------------------------------------------------------------- integers

  @Test
  void underscoresSeparateDigits() {
    assertEquals("{\"x\":1000000,\"d\":1500000}", initialState("x: int = 1_000_000\nd: duration = 1_500s"));
  }

  @Test
  void theSmallestIntegerIsALiteral() {
    assertEquals("{\"x\":-9223372036854775808,\"y\":9223372036854775807}",
        initialState("x: int = -9223372036854775808\ny: int = 9223372036854775807"));
    // ... in expressions too, where it is not minus 9223372036854775808 (which does not fit).
    Session s = Session.of(probeSpec("x: int = -9223372036854775808")
        .replace("requires false", "requires x == -9223372036854775808 and x < -9223372036854775807"));
    assertEquals(List.of(), s.sendBrief("{\"type\":\"probe\",\"k\":\"a\"}"));
  }

  @Test
  void integersOutOfRangeAreCompileErrors() {
    assertTrue(errors(probeSpec("x: int = 9223372036854775808")).contains("does not fit in 64 bits"));
    assertTrue(errors(probeSpec("x: int = -9223372036854775809")).contains("does not fit in 64 bits"));
    assertTrue(errors(probeSpec("x: int = 99999999999999999999999")).contains("does not fit in 64 bits"));
    assertTrue(errors(probeSpec("x: int\nends when x == 9223372036854775808"))
        .contains("`9223372036854775808` does not fit in 64 bits"));
    assertTrue(errors(probeSpec("d: duration = 106751991167301d")).contains("does not fit in 64 bits"));
  }

  @Test
  void misplacedUnderscoresAreCompileErrors() {
    assertTrue(errors(probeSpec("x: int = 1__0")).contains("`_` goes between digits"));
    assertTrue(errors(probeSpec("x: int = 10_")).contains("`_` goes between digits"));
  }

  // ---------------------------------------------------------------- strings

  @Test
  void stringEscapesAreDecoded() {
    // The document holds the same text, written with JSON's escapes: the handler runs.
    Session s = Session.of("spec str\nentity A key k { x: int }\n"
        + "event e for A when type == \"e\" { s: string }\n"
        + "on e(ev) requires ev.s == \"q\\\"b\\\\n\\nt\\tu\\u00e9\\u0041\\uD83D\\uDE00\" { x = 1 }\n");
    assertEquals(List.of(), s.sendBrief(
        "{\"type\":\"e\",\"k\":\"a\",\"s\":\"q\\\"b\\\\n\\nt\\tuéA\uD83D\uDE00\"}"));
    assertEquals(List.of("transition e A a @2"), s.sendBrief(
        "{\"type\":\"e\",\"k\":\"a\",\"s\":\"q\\\"b\\\\n\\nt\\tuéA\"}"));
  }

  @Test
  void stringInitialValuesKeepTheirEscapes() {
    assertEquals("{\"s\":\"say \\\"hi\\\"\\n\\té\"}", initialState("s: string = \"say \\\"hi\\\"\\n\\t\\u00E9\""));
  }

  @Test
  void badEscapesAndUnterminatedStringsAreCompileErrors() {
    assertTrue(errors(probeSpec("s: string = \"a\\qb\"")).contains("bad escape `\\q`"));
    assertTrue(errors(probeSpec("s: string = \"a\\u12g4\"")).contains("bad escape `\\u12`"));
    assertTrue(errors(probeSpec("s: string = \"abc")).contains("unterminated string"));
    // A backslash at the end of the line does not swallow the line break.
    String e = errors(probeSpec("s: string = \"abc\\\nt: int = 1__0"));
    assertTrue(e.contains("t.sw:3:13: error: unterminated string"), e);
    assertTrue(e.contains("t.sw:4:10: error: malformed number"), e);
  }

  // ---------------------------------------------------------------- durations

  @Test
  void everyDurationUnit() {
    assertEquals("{\"a\":250,\"b\":10000,\"c\":300000,\"d\":7200000,\"e\":604800000,\"f\":-1000,\"g\":0}",
        initialState("a: duration = 250ms\nb: duration = 10s\nc: duration = 5m\nd: duration = 2h\n"
            + "e: duration = 7d\nf: duration = -1s\ng: duration"));
  }

  @Test
  void durationsInExpressions() {
    Session s = Session.of(probeSpec("d: duration = 90s").replace("requires false",
        "requires d == 1m + 30s and -d == -90000ms and d > -1d and 1h == 60m and 1d == 24h"));
    assertEquals(List.of(), s.sendBrief("{\"type\":\"probe\",\"k\":\"a\"}"));
  }

  @Test
  void unknownDurationUnitsAreCompileErrors() {
    assertTrue(errors(probeSpec("d: duration = 2w")).contains("unknown duration unit `w`"));
    assertTrue(errors(probeSpec("d: duration = 2sec")).contains("unknown duration unit `sec`"));
    assertTrue(errors(probeSpec("d: duration = 2H")).contains("unknown duration unit `H`"));
  }

  // ---------------------------------------------------------------- newlines and `;`

  @Test
  void newlinesInsideListsAfterOperatorsAndCommasAndBeforeRequiredParts() {
    String spec = """
        spec lines
        input {
          time ts
        }
        entity A
          key k
        {
          status: enum {
            New,
            Done
          }
          tags: set<string> = {
            "a",
            "b"
          }
          n: int
          ends when status ==
            Done
        }
        event done
          for A
          when type ==
            "done" and
            (
              exists(k)
              or
              k == 1
            )
        event tick for A when type == "tick" { n: int = items[
            0
          ].n }
        on tick(
            e
          )
          requires e.n > 0,
          e.n in {
            1,
            2
          }
        {
          n = n +
            e.n
          if n > 1 {
            tags.add("big")
          }
          else {
            tags.remove("big")
          }
        }
        on done
          requires len(
            tags
          ) >= 2
          { status = Done }
        deadline finish: after tick or
          done
          expect done
          within 1h
        invariant bounded: n <=
          2
        """;
    Session s = Session.of(spec);
    assertEquals(List.of(), s.sendBrief("{\"type\":\"tick\",\"k\":\"a\",\"ts\":1,\"items\":[{\"n\":1}]}"));
    assertEquals(List.of("invariant bounded A a @2"),
        s.sendBrief("{\"type\":\"tick\",\"k\":\"a\",\"ts\":2,\"items\":[{\"n\":2}]}"));
    assertEquals(List.of("transition tick A a @3"),
        s.sendBrief("{\"type\":\"tick\",\"k\":\"a\",\"ts\":3,\"items\":[{\"n\":3}]}"));
    assertEquals(List.of(), s.sendBrief("{\"type\":\"done\",\"k\":\"a\",\"ts\":4}"));
    assertEquals(List.of("transition done A a @5"), s.sendBrief("{\"type\":\"done\",\"k\":\"a\",\"ts\":5}"));
  }

  @Test
  void semicolonsEndStatementsAndDeclarations() {
    Session s = Session.of("spec semi; input { time ts; id eid; dedupe within 1m; lateness 0s }\n"
        + "entity A key k { x: int; y: int = 2; ends when x == 3 }\n"
        + "event e for A when type == \"e\" { n: int; m: int = n }; on e(ev) { x = ev.n; y = ev.m + x };"
        + " invariant i: y <= 4\n");
    assertEquals(List.of(), s.sendBrief("{\"type\":\"e\",\"k\":\"a\",\"n\":2,\"ts\":1,\"eid\":\"1\"}"));
    assertEquals(List.of("invariant i A a @2"),
        s.sendBrief("{\"type\":\"e\",\"k\":\"a\",\"n\":3,\"ts\":2,\"eid\":\"2\"}"));
    assertEquals(List.of("transition e A a @3"),
        s.sendBrief("{\"type\":\"e\",\"k\":\"a\",\"n\":1,\"ts\":3,\"eid\":\"3\"}"));
  }

  /**
   * The contract's list of places a newline does not end a declaration is exhaustive: right
   * after `requires`, `when`, an invariant's or deadline's `:`, or `=`, `+=`, `-=` (none of them
   * a binary operator or a comma) a line break ends the declaration before its part.
   */
  @Test
  void aLineBreakRightAfterRequiresWhenAColonOrAnAssignmentEndsTheDeclaration() {
    String head = "spec n\ninput { time ts }\nentity A key k { x: int\n ends when x == 3 }\n";
    String[][] cases = {
        {"event e for A when\n t == 1\n", "t.sw:5:19: error: expected the predicate after `when` on the same line, found a new line"},
        {"event e for A when t == 1\non e(v) requires\n x == 0 { x = 1 }\n", "t.sw:6:17: error: expected a condition after `requires` on the same line"},
        {"event e for A when t == 1\ninvariant small:\n x < 5\n", "t.sw:6:17: error: expected the invariant's condition after `:` on the same line"},
        {"event e for A when t == 1\ndeadline d:\n after e expect e within 1s\n", "t.sw:6:12: error: expected `after` after the deadline's `:` on the same line"},
        {"event e for A when t == 1\non e(v) {\n x =\n 2\n}\n", "t.sw:7:5: error: expected the value after `=` on the same line"},
        {"event e for A when t == 1\non e(v) {\n x +=\n 2\n}\n", "t.sw:7:6: error: expected the value after `+=` on the same line"},
    };
    for (String[] c : cases) {
      String e = errors(head + c[0]);
      assertTrue(e.contains(c[1]), c[0] + " gave:\n" + e);
    }
    assertTrue(errors("spec n\nentity A key k { x: int\n ends when\n x == 3 }\n")
        .contains("t.sw:3:11: error: expected the condition after `ends when` on the same line"));
    // The same parts after an operator, a comma, or inside a list, are fine.
    Specs.program(head + "event e for A when t ==\n 1\non e(v) requires (\n x == 0) { x = (\n 1) }\n"
        + "invariant small: x <\n 5\n");
  }

  @Test
  void newlinesElsewhereInADeclarationEndIt() {
    assertTrue(errors("spec n\nentity A key k { x: int }\nevent\n e for A when t == 1\n")
        .contains("t.sw:3:6: error: expected an event name, found a new line"));
    assertTrue(errors("spec n\ninput { time ts }\nentity A key k { x: int }\nevent e for A when t == 1\n"
        + "deadline d: after e\n or e expect e within 1s\n")
        .contains("t.sw:5:20: error: expected `expect EVENT` after the `after` events, found a new line"));
  }

  @Test
  void aNewlineBeforeABinaryOperatorEndsTheDeclaration() {
    String e = errors("spec n\nentity A key k { x: int }\ninvariant i: x\n  + 1 >= 0\n");
    assertTrue(e.contains("t.sw:4:3: error: expected a declaration"), e);
  }

  @Test
  void aNewlineEndsAStatement() {
    String e = errors("spec n\nentity A key k { x: int }\nevent e for A when type == \"e\"\n"
        + "on e { x = x\n  x = 1 x = 2 }\n");
    assertTrue(e.contains("t.sw:5:9: error: expected a new line, `;` or `}` after a statement, found `x`"), e);
  }

  @Test
  void entityVariablesNeedANewlineOrSemicolonBetweenThem() {
    String e = errors("spec n\nentity A key k { x: int y: int }\n");
    assertTrue(e.contains("t.sw:2:25: error: expected a new line, `;` or `}` after a state variable, found `y`"), e);
  }

  @Test
  void crlfLineEndsAreNewlines() {
    Session s = Session.of(probeSpec("x: int = 1\ny: int = 2").replace("\n", "\r\n"));
    assertEquals("{\"x\":1,\"y\":2}", state(only(s.send("{\"type\":\"probe\",\"k\":\"a\"}"))));
    String e = errors("spec n\r\nentity A key k {\r\n  x: int =\r\n}\r\n");
    assertTrue(e.contains("t.sw:3:11: error: expected a literal as the initial value, found a new line"), e);
  }
}
