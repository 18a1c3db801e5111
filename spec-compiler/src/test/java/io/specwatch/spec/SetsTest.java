package io.specwatch.spec;

import static io.specwatch.spec.Specs.errors;
import static io.specwatch.spec.Specs.only;
import static io.specwatch.spec.Specs.state;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.specwatch.core.Violation;
import io.specwatch.spec.Specs.Session;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/** set<int> and set<string>: add, remove, in, len, the 10,000 element limit, copies. */
class SetsTest {
  private static final String SPEC = "spec sets\nentity A key k { s: set<string>; n: set<int>; copy: set<string> }\n"
      + "event add for A when type == \"add\" { v: string }\n"
      + "event addn for A when type == \"addn\" { v: int }\n"
      + "event remove for A when type == \"remove\" { v: string }\n"
      + "event snapshot for A when type == \"snapshot\"\n"
      + "on add(e) { s.add(e.v) }\n"
      + "on addn(e) { n.add(e.v) }\n"
      + "on remove(e) { s.remove(e.v) }\n"
      + "on snapshot { copy = s }\n"
      + "event probe for A when type == \"probe\"\non probe requires false { }\n"
      + "event has for A when type == \"has\" { v: string }\n"
      + "on has(e) requires e.v in s, not (e.v not in s), len(s) >= 1 { }\n";

  private static String doc(String type, String value) {
    return "{\"type\":\"" + type + "\",\"k\":\"a\",\"v\":" + value + "}";
  }

  private static String probe(Session s) {
    return state(only(s.send("{\"type\":\"probe\",\"k\":\"a\"}")));
  }

  @Test
  void addRemoveAndMembership() {
    Session s = Session.of(SPEC);
    assertEquals(List.of(), s.sendAll(doc("add", "\"b\""), doc("add", "\"a\""), doc("add", "\"b\""),
        doc("addn", "10"), doc("addn", "-2"), doc("addn", "10")));
    assertEquals("{\"s\":[\"a\",\"b\"],\"n\":[-2,10],\"copy\":[]}", probe(s));
    assertEquals(List.of(), s.sendBrief(doc("has", "\"a\"")));
    assertEquals(List.of("transition has A a @9"), s.sendBrief(doc("has", "\"c\"")));
    assertEquals(List.of(), s.sendAll(doc("remove", "\"a\""), doc("remove", "\"zzz\"")));
    assertEquals("{\"s\":[\"b\"],\"n\":[-2,10],\"copy\":[]}", probe(s));
  }

  @Test
  void setToSetAssignmentIsACopy() {
    Session s = Session.of(SPEC);
    s.sendAll(doc("add", "\"a\""), "{\"type\":\"snapshot\",\"k\":\"a\"}", doc("add", "\"b\""),
        doc("remove", "\"a\""));
    assertEquals("{\"s\":[\"b\"],\"n\":[],\"copy\":[\"a\"]}", probe(s));
  }

  @Test
  void setToSetAssignmentInOneHandlerIsACopyToo() {
    Session s = Session.of("spec sets\nentity A key k { a: set<int> = { 1 }; b: set<int> }\n"
        + "event e for A when type == \"e\"\non e { b = a; a.add(2); b.add(3); a.remove(1) }\n"
        + "event probe for A when type == \"probe\"\non probe requires false { }\n");
    s.send("{\"type\":\"e\",\"k\":\"x\"}");
    assertEquals("{\"a\":[2],\"b\":[1,3]}", state(only(s.send("{\"type\":\"probe\",\"k\":\"x\"}"))));
    // Another instance starts from the initial value, untouched by the first one's changes.
    assertEquals("{\"a\":[1],\"b\":[]}", state(only(s.send("{\"type\":\"probe\",\"k\":\"y\"}"))));
  }

  @Test
  void setsAreEqualByTheirElements() {
    Session s = Session.of("spec sets\nentity A key k { a: set<string> = { \"x\", \"y\" }; b: set<string> }\n"
        + "event e for A when type == \"e\" { v: string }\non e(ev) requires a != b { b.add(ev.v) }\n");
    assertEquals(List.of(), s.sendAll("{\"type\":\"e\",\"k\":\"k\",\"v\":\"y\"}", "{\"type\":\"e\",\"k\":\"k\",\"v\":\"x\"}"));
    assertEquals(List.of("transition e A k @3"), s.sendBrief("{\"type\":\"e\",\"k\":\"k\",\"v\":\"z\"}"));
  }

  @Test
  void stringSetsAreOrderedByCodePoint() {
    Session s = Session.of(SPEC);
    // U+FFFF sorts before U+1F600 by code point, after it by UTF-16 unit.
    s.sendAll(doc("add", "\"\uD83D\uDE00\""), doc("add", "\"\uFFFF\""), doc("add", "\"Z\""), doc("add", "\"a\""));
    assertEquals("{\"s\":[\"Z\",\"a\",\"\uFFFF\",\"\uD83D\uDE00\"],\"n\":[],\"copy\":[]}", probe(s));
  }

  @Test
  void theTenThousandAndFirstElementIsAnError() {
    String full = IntStream.range(0, 10_000).mapToObj(Integer::toString).collect(Collectors.joining(", "));
    Session s = Session.of("spec sets\nentity A key k { n: set<int> = { " + full + " }; count: int }\n"
        + "event addn for A when type == \"addn\" { v: int }\n"
        + "on addn(e) { count += 1; n.add(e.v) }\ninvariant bounded: len(n) <= 10000\n");
    // Adding an element already present is not an error, even at the limit.
    assertEquals(List.of(), s.sendBrief(doc("addn", "9999")));
    Violation v = only(s.send(doc("addn", "10000")));
    assertEquals("error addn A a @2", Specs.brief(v));
    assertEquals("set would exceed 10000 elements", v.message());
    assertTrue(state(v).endsWith("9998,9999],\"count\":1}"), "the state is unchanged");
    assertEquals(List.of("error addn A a @3"), s.sendBrief(doc("addn", "-1")));
  }

  @Test
  void theLimitHoldsWhenTheSetGrowsOneEventAtATime() {
    Session s = Session.of(SPEC);
    for (int i = 0; i < 10_000; i++) {
      List<Violation> raised = s.send(doc("addn", Integer.toString(i)));
      if (!raised.isEmpty()) {
        throw new AssertionError("element " + i + ": " + Specs.briefs(raised));
      }
    }
    assertEquals(List.of("error addn A a @10001"), s.sendBrief(doc("addn", "10000")));
    assertEquals(List.of(), s.sendBrief(doc("addn", "0")));
    assertEquals(List.of(), s.sendBrief(doc("add", "\"a string set is another set\"")));
  }

  @Test
  void aSetLiteralOverTheLimitIsACompileError() {
    String over = IntStream.range(0, 10_001).mapToObj(Integer::toString).collect(Collectors.joining(","));
    assertTrue(errors("spec sets\nentity A key k { n: set<int> = { " + over + " } }\n")
        .contains("t.sw:2:32: error: a set holds at most 10000 elements, but this one has 10001"));
  }

  @Test
  void setTypeErrors() {
    String base = "spec sets\nentity A key k { s: set<string>; n: set<int>; i: int }\n"
        + "event e for A when type == \"e\" { v: string }\n";
    assertTrue(errors(base + "on e(ev) { n.add(ev.v) }\n")
        .contains("t.sw:4:18: error: `n` holds int elements, but this is string"));
    assertTrue(errors(base + "on e(ev) { i.add(1) }\n")
        .contains("t.sw:4:14: error: `add` works on sets, but `i` is int"));
    assertTrue(errors(base + "on e(ev) { s.push(ev.v) }\n")
        .contains("t.sw:4:14: error: expected `add` or `remove` after `s.`, found `push`"));
    assertTrue(errors(base + "on e(ev) { s = n }\n")
        .contains("t.sw:4:14: error: `s` is set<string>, so expected a value of that type, but this is set<int>"));
    assertTrue(errors(base + "on e(ev) { s.remove(1) }\n")
        .contains("t.sw:4:21: error: `s` holds string elements, but this is int"));
    assertTrue(errors("spec sets\nentity A key k { s: set<bool> }\n")
        .contains("expected `int` or `string` as the set's element type, found `bool`"));
  }
}
