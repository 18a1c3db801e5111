package io.specwatch.spec;

import static io.specwatch.spec.Specs.errors;
import static io.specwatch.spec.Specs.only;
import static io.specwatch.spec.Specs.state;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.specwatch.core.Violation;
import io.specwatch.core.ViolationKind;
import io.specwatch.spec.Specs.Session;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Every type: initial values (default and explicit), event field decoding, implicit fields. */
class TypesAndValuesTest {

  private static String initialState(String vars) {
    Session s = Session.of("spec types\nentity A key k {\n" + vars + "\n}\n"
        + "event probe for A when type == \"probe\"\non probe requires false { }\n");
    return state(only(s.send("{\"type\":\"probe\",\"k\":\"a\"}")));
  }

  @Test
  void defaultInitialValues() {
    assertEquals("{\"i\":0,\"b\":false,\"s\":\"\",\"t\":\"1970-01-01T00:00:00.000Z\",\"d\":0,"
            + "\"e\":\"First\",\"si\":[],\"ss\":[]}",
        initialState("i: int\nb: bool\ns: string\nt: time\nd: duration\ne: enum { First, Second }\n"
            + "si: set<int>\nss: set<string>"));
  }

  @Test
  void explicitInitialValues() {
    assertEquals("{\"i\":-5,\"b\":true,\"s\":\"x\",\"t\":\"2026-03-02T09:00:00.000Z\",\"d\":90000,"
            + "\"e\":\"Second\",\"si\":[-1,2,3],\"ss\":[\"a\",\"b\",\"é\",\"\uD83D\uDE00\"]}",
        initialState("i: int = -5\nb: bool = true\ns: string = \"x\"\nt: time = 1772442000000\n"
            + "d: duration = 90s\ne: enum { First, Second } = Second\nsi: set<int> = { 3, -1, 2, 3 }\n"
            + "ss: set<string> = { \"\uD83D\uDE00\", \"é\", \"b\", \"a\" }"));
  }

  @Test
  void timeInitialValuesAsRfc3339() {
    assertEquals("{\"a\":\"2026-03-02T09:00:00.000Z\",\"b\":\"2026-03-02T09:00:00.250Z\","
            + "\"c\":\"2026-03-02T09:00:00.123Z\",\"d\":\"2024-02-29T23:59:59.000Z\","
            + "\"e\":\"1969-12-31T23:59:59.999Z\",\"f\":\"2026-03-02T14:30:00.000Z\"}",
        initialState("a: time = \"2026-03-02T09:00:00Z\"\nb: time = \"2026-03-02t10:00:00.250+01:00\"\n"
            + "c: time = \"2026-03-02T09:00:00.123456z\"\nd: time = \"2024-02-29T23:59:59Z\"\n"
            + "e: time = -1\nf: time = \"2026-03-02T09:00:00-05:30\""));
  }

  @Test
  void invalidRfc3339InitialTimesAreCompileErrors() {
    for (String bad : List.of("2026-02-30T09:00:00Z", "2025-02-29T00:00:00Z", "2026-03-02T09:00:60Z",
        "2026-03-02T24:00:00Z", "2026-03-02 09:00:00Z", "2026-03-02T09:00:00", "2026-03-02T09:00:00.Z",
        "2026-03-02T09:00Z", "2026-3-2T09:00:00Z", "2026-03-02T09:00:00+0100", "yesterday", "")) {
      String e = errors("spec t\nentity A key k { t: time = \"" + bad + "\" }\n");
      assertTrue(e.contains("is not a valid RFC 3339 time"), bad + ": " + e);
    }
  }

  @Test
  void initialValuesMustHaveTheVariablesType() {
    String e = errors("spec t\nentity A key k {\n i: int = true\n b: bool = 0\n s: string = 1\n"
        + " t: time = 5s\n d: duration = 5\n e: enum { X, Y } = Z\n si: set<int> = { \"a\" }\n"
        + " ss: set<string> = \"a\"\n}\n");
    assertTrue(e.contains("t.sw:3:11: error: expected an integer as the initial value of `i`, found `true`"), e);
    assertTrue(e.contains("t.sw:4:12: error: expected true or false as the initial value of `b`"), e);
    assertTrue(e.contains("t.sw:5:14: error: expected a string as the initial value of `s`"), e);
    assertTrue(e.contains("t.sw:6:12: error: expected an epoch-millisecond integer or an RFC 3339 string"), e);
    assertTrue(e.contains("t.sw:7:16: error: expected a duration such as 30s"), e);
    assertTrue(e.contains("t.sw:8:21: error: `Z` is not a constant of this enum: expected one of X, Y"), e);
    assertTrue(e.contains("t.sw:9:19: error: expected an integer as the element of the initial value of `si`"), e);
    assertTrue(e.contains("t.sw:10:20: error: expected a set of strings such as { \"a\", \"b\" }"), e);
  }

  // ---------------------------------------------------------------- event fields

  private static final String FIELDS = "spec f\ninput { time ts }\n"
      + "entity A key k { i: int; b: bool; s: string; t: time; d: duration }\n"
      + "event e for A when type == \"e\" {\n  i: int = n\n  b: bool\n  s: string = str.v\n"
      + "  t: time = at\n  d: duration = ms\n}\n"
      + "on e(ev) { i = ev.i; b = ev.b; s = ev.s; t = ev.t; d = ev.d }\n"
      + "event probe for A when type == \"probe\"\non probe requires false { }\n";

  private static String afterEvent(String fieldMembers) {
    Session s = Session.of(FIELDS);
    List<Violation> vs = s.send("{\"type\":\"e\",\"k\":\"a\",\"ts\":1," + fieldMembers + "}");
    if (!vs.isEmpty()) {
      return only(vs).kind().label() + ": " + only(vs).message();
    }
    return state(only(s.send("{\"type\":\"probe\",\"k\":\"a\",\"ts\":2}")));
  }

  @Test
  void fieldsAreReadFromTheirPathsAndConverted() {
    assertEquals("{\"i\":-3,\"b\":true,\"s\":\"x\",\"t\":\"2026-03-02T09:00:00.000Z\",\"d\":2500}",
        afterEvent("\"n\":-3,\"b\":true,\"str\":{\"v\":\"x\"},\"at\":\"2026-03-02T09:00:00Z\",\"ms\":2500"));
    assertEquals("{\"i\":0,\"b\":false,\"s\":\"\",\"t\":\"2026-03-02T09:00:00.000Z\",\"d\":-1}",
        afterEvent("\"n\":0,\"b\":false,\"str\":{\"v\":\"\"},\"at\":1772442000000,\"ms\":-1"));
  }

  @Test
  void aFieldOfTheWrongTypeMakesTheDocumentMalformed() {
    String ok = "\"n\":1,\"b\":true,\"str\":{\"v\":\"x\"},\"at\":1,\"ms\":1";
    assertEquals("malformed: field `i` is not a valid int", afterEvent(ok.replace("\"n\":1", "\"n\":\"1\"")));
    assertEquals("malformed: field `i` is not a valid int", afterEvent(ok.replace("\"n\":1", "\"n\":1.0")));
    assertEquals("malformed: field `i` is not a valid int", afterEvent(ok.replace("\"n\":1", "\"n\":1e2")));
    assertEquals("malformed: field `i` is not a valid int",
        afterEvent(ok.replace("\"n\":1", "\"n\":9223372036854775808")));
    assertEquals("malformed: field `b` is not a valid bool", afterEvent(ok.replace("\"b\":true", "\"b\":1")));
    assertEquals("malformed: field `s` is not a valid string",
        afterEvent(ok.replace("{\"v\":\"x\"}", "{\"v\":7}")));
    assertEquals("malformed: field `t` is not a valid time", afterEvent(ok.replace("\"at\":1", "\"at\":\"soon\"")));
    assertEquals("malformed: field `t` is not a valid time", afterEvent(ok.replace("\"at\":1", "\"at\":1.5")));
    assertEquals("malformed: field `t` is not a valid time",
        afterEvent(ok.replace("\"at\":1", "\"at\":\"2026-02-29T00:00:00Z\"")));
    assertEquals("malformed: field `d` is not a valid duration", afterEvent(ok.replace("\"ms\":1", "\"ms\":\"1s\"")));
    assertEquals("malformed: field `s` is missing", afterEvent(ok.replace("{\"v\":\"x\"}", "{\"v\":null}")));
  }

  @Test
  void aMissingFieldTakesItsDefault() {
    Session s = Session.of("spec f\nentity A key k { i: int; s: string; t: time; d: duration; b: bool }\n"
        + "event e for A when type == \"e\" {\n  i: int default -4\n  s: string default \"none\"\n"
        + "  t: time default \"2026-03-02T09:00:00Z\"\n  d: duration default 1m\n  b: bool default true\n}\n"
        + "on e(ev) { i = ev.i; s = ev.s; t = ev.t; d = ev.d; b = ev.b }\n"
        + "event probe for A when type == \"probe\"\non probe requires false { }\n");
    assertEquals(List.of(), s.sendBrief("{\"type\":\"e\",\"k\":\"a\"}"));
    assertEquals("{\"i\":-4,\"s\":\"none\",\"t\":\"2026-03-02T09:00:00.000Z\",\"d\":60000,\"b\":true}",
        state(only(s.send("{\"type\":\"probe\",\"k\":\"a\"}"))));
    // A present value of the wrong type is malformed even with a default; null counts as missing.
    Violation v = only(s.send("{\"type\":\"e\",\"k\":\"a\",\"i\":\"x\"}"));
    assertEquals(ViolationKind.MALFORMED, v.kind());
    assertEquals("field `i` is not a valid int", v.message());
    assertEquals(List.of(), s.sendBrief("{\"type\":\"e\",\"k\":\"a\",\"i\":null,\"s\":\"given\"}"));
    assertTrue(state(only(s.send("{\"type\":\"probe\",\"k\":\"a\"}"))).contains("\"s\":\"given\""));
  }

  @Test
  void implicitFieldsTimeAndKey() {
    Session s = Session.of("spec f\ninput { time ts }\nentity A key k { t: time; who: string }\n"
        + "event e for A when type == \"e\"\non e(ev) requires ev.time == now { t = ev.time; who = ev.key }\n"
        + "event probe for A when type == \"probe\"\non probe requires false { }\n");
    assertEquals(List.of(), s.sendBrief("{\"type\":\"e\",\"k\":7,\"ts\":\"2026-03-02T09:00:00.5Z\"}"));
    Violation v = only(s.send("{\"type\":\"probe\",\"k\":7,\"ts\":1772442001000}"));
    assertEquals("{\"t\":\"2026-03-02T09:00:00.500Z\",\"who\":\"7\"}", state(v));
    assertEquals(1772442001000L, v.time());
  }

  @Test
  void withoutInputTimeEventTimeIsEpochZero() {
    Session s = Session.of("spec f\nentity A key k { t: time = 5 }\n"
        + "event e for A when type == \"e\"\non e(ev) { t = ev.time }\n"
        + "invariant never_now: t != now\n");
    Violation v = only(s.send("{\"type\":\"e\",\"k\":\"a\",\"ts\":99}"));
    assertEquals("{\"t\":\"1970-01-01T00:00:00.000Z\"}", state(v));
    assertEquals(0L, v.time());
  }

  @Test
  void eventFieldsHaveOnlyFiveTypes() {
    String e = errors("spec f\nentity A key k { n: int }\n"
        + "event e for A when type == \"e\" { s: set<int>; x: enum { A } }\n");
    assertTrue(e.contains("t.sw:3:37: error: expected an event field type (int, bool, string, time or duration), found set<int>"), e);
    assertTrue(e.contains("t.sw:3:50: error: expected an event field type (int, bool, string, time or duration), found an enum"), e);
  }

  @Test
  void eventFieldsNamedTimeOrKeyAreCompileErrors() {
    assertTrue(errors("spec f\nentity A key k { n: int }\nevent e for A when type == \"e\" { time: int }\n")
        .contains("t.sw:3:34: error: `time` is an implicit field of every event (`e.time`) and cannot be declared"));
    assertTrue(errors("spec f\nentity A key k { n: int }\nevent e for A when type == \"e\" { key: string }\n")
        .contains("t.sw:3:34: error: `key` is an implicit field of every event (`e.key`) and cannot be declared"));
  }

  @Test
  void fieldDefaultsMustHaveTheFieldsType() {
    String e = errors("spec f\nentity A key k { n: int }\n"
        + "event e for A when type == \"e\" { a: int default \"1\"; b: time default \"x\"; c: bool default 1 }\n");
    assertTrue(e.contains("expected an integer as the default of field `a`, found `\"1\"`"), e);
    assertTrue(e.contains("`x` is not a valid RFC 3339 time"), e);
    assertTrue(e.contains("expected true or false as the default of field `c`, found `1`"), e);
  }

  @Test
  void aMalformedViolationHasNoState() {
    Session s = Session.of(FIELDS);
    Violation v = only(s.send("{\"type\":\"e\",\"k\":\"a\",\"ts\":1}"));
    assertEquals("malformed e A a @1", Specs.brief(v));
    assertNull(v.state());
    assertTrue(v.toJson().endsWith(",\"state\":null}"), v.toJson());
  }
}
