package io.specwatch.spec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.specwatch.spec.Specs.Session;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** Several specs in one monitor: command-line order, each with its own dedupe and watermark. */
class MultiSpecTest {
  private static final long T0 = 1_772_442_000_000L;

  private static final String FIRST = "spec first\ninput { time ts; id eid }\nentity A key k { n: int }\n"
      + "event hit for A when type == \"hit\"\nevent go for A when type == \"go\"\n"
      + "on hit requires false { }\ndeadline d: after go expect hit within 1m\n";
  private static final String SECOND = "spec second\ninput { time ts }\nentity B key k { n: int }\n"
      + "event hit for B when type == \"hit\"\nevent only2 for B when type == \"only2\"\n"
      + "on hit requires false { }\n";

  private static List<String> withSpec(List<io.specwatch.core.Violation> vs) {
    return vs.stream().map(v -> v.spec() + ":" + Specs.brief(v)).collect(Collectors.toList());
  }

  @Test
  void specsApplyEachDocumentInCommandLineOrder() {
    Session s = Session.of(FIRST, SECOND);
    assertEquals(List.of("first:transition hit A a @1", "second:transition hit B a @1"),
        withSpec(s.send("{\"type\":\"hit\",\"k\":\"a\",\"eid\":\"1\",\"ts\":" + T0 + "}")));
    assertEquals(List.of("first:malformed null null null @2", "second:malformed null null null @2"),
        withSpec(s.send("[]")));
    Session reversed = Session.of(SECOND, FIRST);
    assertEquals(List.of("second:transition hit B a @1", "first:transition hit A a @1"),
        withSpec(reversed.send("{\"type\":\"hit\",\"k\":\"a\",\"eid\":\"1\",\"ts\":" + T0 + "}")));
  }

  @Test
  void eachSpecHasItsOwnDedupe() {
    Session s = Session.of(FIRST, SECOND);
    s.send("{\"type\":\"hit\",\"k\":\"a\",\"eid\":\"1\",\"ts\":" + T0 + "}");
    assertEquals(List.of("second:transition hit B a @2"),
        withSpec(s.send("{\"type\":\"hit\",\"k\":\"a\",\"eid\":\"1\",\"ts\":" + T0 + "}")));
  }

  @Test
  void eachSpecHasItsOwnWatermark() {
    Session s = Session.of(FIRST, SECOND);
    s.send("{\"type\":\"go\",\"k\":\"a\",\"eid\":\"1\",\"ts\":" + T0 + "}");
    // Only `second` has an event for this document: `first`'s watermark does not move.
    assertEquals(List.of(), withSpec(s.send("{\"type\":\"only2\",\"k\":\"a\",\"ts\":" + (T0 + 3_600_000) + "}")));
    assertEquals(List.of("first:deadline d A a @3", "first:transition hit A b @3", "second:transition hit B b @3"),
        withSpec(s.send("{\"type\":\"hit\",\"k\":\"b\",\"eid\":\"2\",\"ts\":" + (T0 + 60_001) + "}")));
  }

  @Test
  void flushFiresEachSpecInOrder() {
    Session s = Session.of(SECOND + "deadline d2: after only2 expect hit within 1m\n", FIRST);
    s.send("{\"type\":\"go\",\"k\":\"a\",\"eid\":\"1\",\"ts\":" + T0 + "}");
    s.send("{\"type\":\"only2\",\"k\":\"z\",\"ts\":" + (T0 + 5) + "}");
    assertEquals(List.of("second:deadline d2 B z @null", "first:deadline d A a @null"), withSpec(s.flush()));
  }

  @Test
  void twoSpecsWithOneNameAreACompileError() {
    String e = Specs.errors(FIRST, FIRST.replace("entity A", "entity C").replace("for A", "for C"));
    assertTrue(e.contains("t2.sw:1:6: error: two specs are named `first` (the other is t1.sw): expected a unique spec name"), e);
    CompileResult r = Specs.compile(FIRST, "spec other\nentity X key k { n: int }\n", FIRST);
    assertEquals(1, r.diagnostics().size());
    assertTrue(r.programs().isEmpty(), "no program when any spec fails");
  }

  @Test
  void oneFailingSpecFailsTheWholeCompilation() {
    CompileResult r = Specs.compile(FIRST, "spec broken\nentity\n");
    assertEquals(List.of(), r.programs());
    assertEquals("t2.sw", r.diagnostics().get(0).file());
  }
}
