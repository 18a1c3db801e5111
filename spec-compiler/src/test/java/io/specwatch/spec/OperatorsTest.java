package io.specwatch.spec;

import static io.specwatch.spec.Specs.errors;
import static io.specwatch.spec.Specs.only;
import static io.specwatch.spec.Specs.state;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.specwatch.core.Violation;
import io.specwatch.core.ViolationKind;
import io.specwatch.spec.Specs.Session;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Every operator: results, typing, precedence, short-circuits and checked arithmetic. */
class OperatorsTest {

  /**
   * Evaluates {@code expr} in a handler, with the event fields a, b (int), d, d2 (duration),
   * t, t2 (time), s (string) and f (bool) read from {@code doc}, and the state variables
   * st: enum { Low, High } = High and tags: set<string> = { "x" }. Returns the value as the state
   * shows it, or "error: MESSAGE" when evaluating it faulted.
   */
  static String eval(String type, String expr, String doc) {
    Session s = Session.of("spec ops\ninput { time ts }\n"
        + "entity A key k { r: " + type + "\n st: enum { Low, High } = High\n tags: set<string> = { \"x\" } }\n"
        + "event e for A when type == \"e\" {\n a: int default 0\n b: int default 0\n"
        + " d: duration default 0s\n d2: duration default 0s\n t: time default 0\n t2: time default 0\n"
        + " s: string default \"\"\n f: bool default false\n}\n"
        + "on e(ev) { r = " + expr + " }\n"
        + "event probe for A when type == \"probe\"\non probe requires false { }\n");
    String members = doc.isEmpty() ? "" : "," + doc;
    List<Violation> raised = s.send("{\"type\":\"e\",\"k\":\"a\",\"ts\":1000" + members + "}");
    if (!raised.isEmpty()) {
      Violation v = only(raised);
      assertEquals(ViolationKind.ERROR, v.kind(), v.toJson());
      assertEquals("{\"r\":" + (type.equals("bool") ? "false" : type.equals("time")
          ? "\"1970-01-01T00:00:00.000Z\"" : "0") + ",\"st\":\"High\",\"tags\":[\"x\"]}", state(v),
          "an error leaves the state unchanged");
      return "error: " + v.message();
    }
    String st = state(only(s.send("{\"type\":\"probe\",\"k\":\"a\",\"ts\":1000}")));
    return st.substring("{\"r\":".length(), st.indexOf(",\"st\":")).replace("\"", "");
  }

  @ParameterizedTest(name = "{0} with {1} is {2}")
  @CsvSource(delimiter = '|', value = {
      "ev.a + ev.b        | \"a\":2,\"b\":3                                  | 5",
      "ev.a - ev.b        | \"a\":2,\"b\":3                                  | -1",
      "ev.a * ev.b        | \"a\":-2,\"b\":3                                 | -6",
      "ev.a / ev.b        | \"a\":7,\"b\":2                                  | 3",
      "ev.a / ev.b        | \"a\":-7,\"b\":2                                 | -3",
      "ev.a / ev.b        | \"a\":7,\"b\":-2                                 | -3",
      "ev.a / ev.b        | \"a\":-7,\"b\":-2                                | 3",
      "ev.a % ev.b        | \"a\":7,\"b\":2                                  | 1",
      "ev.a % ev.b        | \"a\":-7,\"b\":2                                 | -1",
      "ev.a % ev.b        | \"a\":7,\"b\":-2                                 | 1",
      "ev.a % ev.b        | \"a\":-7,\"b\":-2                                | -1",
      "-ev.a              | \"a\":5                                          | -5",
      "- -ev.a            | \"a\":5                                          | 5",
      "ev.a + ev.b        | \"a\":9223372036854775807,\"b\":1                | error: 64-bit overflow",
      "ev.a - ev.b        | \"a\":-9223372036854775808,\"b\":1               | error: 64-bit overflow",
      "ev.a * ev.b        | \"a\":4611686018427387904,\"b\":2                | error: 64-bit overflow",
      "ev.a * ev.b        | \"a\":-4611686018427387904,\"b\":2               | -9223372036854775808",
      "ev.a * ev.b        | \"a\":-9223372036854775808,\"b\":-1              | error: 64-bit overflow",
      "ev.a / ev.b        | \"a\":-9223372036854775808,\"b\":-1              | error: 64-bit overflow",
      "ev.a % ev.b        | \"a\":-9223372036854775808,\"b\":-1              | 0",
      "-ev.a              | \"a\":-9223372036854775808                       | error: 64-bit overflow",
      "ev.a / ev.b        | \"a\":1,\"b\":0                                  | error: division by zero",
      "ev.a % ev.b        | \"a\":1,\"b\":0                                  | error: division by zero",
      "ev.a / ev.b        | \"a\":0,\"b\":0                                  | error: division by zero",
      "9223372036854775807 + 1 - ev.a | \"a\":1                              | error: 64-bit overflow",
      "-9223372036854775808 / -1 | \"a\":1                                  | error: 64-bit overflow",
      "9223372036854775807 - 1 + ev.a | \"a\":1                              | 9223372036854775807",
  })
  void integerArithmetic(String expr, String doc, String expected) {
    assertEquals(expected, eval("int", expr, doc));
  }

  @ParameterizedTest(name = "{0}: {1} with {2} is {3}")
  @CsvSource(delimiter = '|', value = {
      "time     | ev.t + ev.d         | \"t\":\"2026-03-02T09:00:00Z\",\"d\":1500   | 2026-03-02T09:00:01.500Z",
      "time     | ev.t - ev.d         | \"t\":\"2026-03-02T09:00:00Z\",\"d\":60000  | 2026-03-02T08:59:00.000Z",
      "time     | ev.t + 1d           | \"t\":\"2026-02-28T12:00:00Z\"              | 2026-03-01T12:00:00.000Z",
      "time     | ev.t - 1ms          | \"t\":0                                     | 1969-12-31T23:59:59.999Z",
      "time     | ev.t + ev.d         | \"t\":9223372036854775807,\"d\":1           | error: 64-bit overflow",
      "time     | ev.t - ev.d         | \"t\":-9223372036854775807,\"d\":2          | error: 64-bit overflow",
      "time     | ev.t + -ev.d        | \"t\":1,\"d\":-9223372036854775808         | error: 64-bit overflow",
      "duration | ev.t - ev.t2        | \"t\":\"2026-03-02T09:00:01Z\",\"t2\":\"2026-03-02T09:00:00Z\" | 1000",
      "duration | ev.t2 - ev.t        | \"t\":\"2026-03-02T09:00:01Z\",\"t2\":\"2026-03-02T09:00:00Z\" | -1000",
      "duration | ev.t - ev.t2        | \"t\":9223372036854775807,\"t2\":-1         | error: 64-bit overflow",
      "duration | ev.d + ev.d2        | \"d\":1000,\"d2\":-3000                     | -2000",
      "duration | ev.d - ev.d2        | \"d\":1000,\"d2\":-3000                     | 4000",
      "duration | -ev.d               | \"d\":1000                                  | -1000",
      "duration | -ev.d               | \"d\":-9223372036854775808                  | error: 64-bit overflow",
      "duration | ev.d + ev.d2        | \"d\":9223372036854775807,\"d2\":1          | error: 64-bit overflow",
      "duration | 1h - 30m + 250ms    |                                             | 1800250",
      "duration | now - ev.t          | \"t\":400                                   | 600",
      "time     | now + 2s            |                                             | 1970-01-01T00:00:03.000Z",
      "time     | ev.time             |                                             | 1970-01-01T00:00:01.000Z",
  })
  void timeAndDurationArithmetic(String type, String expr, String doc, String expected) {
    assertEquals(expected, eval(type, expr, doc == null ? "" : doc));
  }

  @ParameterizedTest(name = "{0} with {1} is {2}")
  @CsvSource(delimiter = '|', value = {
      // == and != on every type
      "ev.a == ev.b       | \"a\":1,\"b\":1               | true",
      "ev.a != ev.b       | \"a\":1,\"b\":1               | false",
      "ev.f == false      | \"f\":false                   | true",
      "ev.f != true       | \"f\":true                    | false",
      "ev.s == \"x\"      | \"s\":\"x\"                   | true",
      "ev.s != \"X\"      | \"s\":\"x\"                   | true",
      "ev.s == ev.key     | \"s\":\"a\"                   | true",
      "ev.t == ev.t2      | \"t\":5,\"t2\":\"1970-01-01T00:00:00.005Z\" | true",
      "ev.d == 5ms        | \"d\":5                       | true",
      "ev.d != 5s         | \"d\":5                       | true",
      "st == High         |                               | true",
      "st != Low          |                               | true",
      "tags == tags       |                               | true",
      // < <= > >= on int, time and duration
      "ev.a < ev.b        | \"a\":1,\"b\":2               | true",
      "ev.a <= ev.b       | \"a\":2,\"b\":2               | true",
      "ev.a > ev.b        | \"a\":2,\"b\":2               | false",
      "ev.a >= ev.b       | \"a\":-9223372036854775808,\"b\":9223372036854775807 | false",
      "ev.t < ev.t2       | \"t\":\"2026-03-02T09:00:00Z\",\"t2\":\"2026-03-02T10:00:00+01:00\" | false",
      "ev.t <= ev.t2      | \"t\":\"2026-03-02T09:00:00Z\",\"t2\":\"2026-03-02T10:00:00+01:00\" | true",
      "ev.t > now         | \"t\":1001                    | true",
      "ev.d < -1s         | \"d\":-1001                   | true",
      "ev.d >= 1m         | \"d\":60000                   | true",
      // and, or, not, implies
      "ev.f and true      | \"f\":true                    | true",
      "ev.f and true      | \"f\":false                   | false",
      "ev.f or false      | \"f\":false                   | false",
      "ev.f or true       | \"f\":false                   | true",
      "not ev.f           | \"f\":false                   | true",
      "ev.f implies false | \"f\":false                   | true",
      "ev.f implies false | \"f\":true                    | false",
      "ev.f implies true  | \"f\":true                    | true",
      // short-circuits: the right side is not evaluated (it would divide by zero)
      "ev.f and ev.a / ev.b == 0     | \"f\":false,\"a\":1 | false",
      "not ev.f or ev.a / ev.b == 0  | \"f\":false,\"a\":1 | true",
      "ev.f implies ev.a / ev.b == 0 | \"f\":false,\"a\":1 | true",
      "ev.f and ev.a / ev.b == 0     | \"f\":true,\"a\":1  | error: division by zero",
      "ev.f or ev.a / ev.b == 0      | \"f\":false,\"a\":1 | error: division by zero",
      // precedence: implies loosest and right-associative
      "false implies false implies false | | true",
      "(false implies false) implies false | | false",
      "true or true and false    | | true",
      "(true or true) and false  | | false",
      "not false and false       | | false",
      "not (false and false)     | | true",
      "false and true implies false | | true",
      "true or false implies false  | | false",
      "not ev.a == 1             | \"a\":1 | false",
      "not ev.a == 1 and true    | \"a\":2 | true",
      "1 + 2 * 3 == 7            | | true",
      "(1 + 2) * 3 == 9          | | true",
      "10 - 4 - 3 == 3           | | true",
      "100 / 10 / 5 == 2         | | true",
      "7 % 4 * 2 == 6            | | true",
      "2 * 3 % 4 == 2            | | true",
      "-2 * -3 == 6              | | true",
      "ev.a + 1 in { 3 }         | \"a\":2 | true",
      "ev.a - 1 not in { 3 }     | \"a\":2 | true",
      "(ev.a < ev.b) == true     | \"a\":1,\"b\":2 | true",
      // unary minus binds tighter than *: (-MIN) faults even though -(MIN * 0) would not
      "- ev.a * 0 == 0           | \"a\":-9223372036854775808 | error: 64-bit overflow",
      "-(ev.a * 0) == 0          | \"a\":-9223372036854775808 | true",
      // in and not in, with lists of every literal type and with a set variable
      "ev.a in { 1, 2, -3 }      | \"a\":-3  | true",
      "ev.a not in { 1, 2 }      | \"a\":3   | true",
      "ev.s in { \"a\", \"b\" }   | \"s\":\"b\" | true",
      "ev.s not in { \"a\" }     | \"s\":\"a\" | false",
      "ev.f in { true }          | \"f\":false | false",
      "ev.d in { 1s, 2s }        | \"d\":2000 | true",
      "st in { Low }             |          | false",
      "st not in { Low }         |          | true",
      "ev.s in tags              | \"s\":\"x\" | true",
      "ev.s not in tags          | \"s\":\"x\" | false",
      "ev.a in { }               | \"a\":1   | false",
      // len: set elements, string code points
      "len(tags) == 1            |          | true",
      "len(ev.s) == 3            | \"s\":\"abc\" | true",
      "len(ev.s) == 2            | \"s\":\"\\u00e9\\ud83d\\ude00\" | true",
      "len(ev.s) == 0            |          | true",
  })
  void booleanResults(String expr, String doc, String expected) {
    assertEquals(expected, eval("bool", expr, doc == null ? "" : doc));
  }

  @Test
  void compoundAssignments() {
    Session s = Session.of("spec ops\nentity A key k { i: int = 10; d: duration = 1s; t: time = 1000 }\n"
        + "event e for A when type == \"e\" { n: int; ms: duration }\n"
        + "on e(ev) { i += ev.n; i -= 1; d += ev.ms; d -= 100ms; t += ev.ms; t -= 1ms }\n"
        + "event probe for A when type == \"probe\"\non probe requires false { }\n");
    assertEquals(List.of(), s.sendBrief("{\"type\":\"e\",\"k\":\"a\",\"n\":5,\"ms\":2000}"));
    assertEquals("{\"i\":14,\"d\":2900,\"t\":\"1970-01-01T00:00:02.999Z\"}",
        state(only(s.send("{\"type\":\"probe\",\"k\":\"a\"}"))));
    Violation v = only(s.send("{\"type\":\"e\",\"k\":\"a\",\"n\":9223372036854775807,\"ms\":0}"));
    assertEquals("error e A a @3", Specs.brief(v));
    assertEquals("64-bit overflow", v.message());
    assertEquals("{\"i\":14,\"d\":2900,\"t\":\"1970-01-01T00:00:02.999Z\"}", state(v));
  }

  @Test
  void typeErrorsAreCompileErrors() {
    String base = "spec ops\nentity A key k { i: int; b: bool; s: string; t: time; d: duration;"
        + " e: enum { X, Y }; si: set<int> }\n";
    // Each expression is placed at column 14 of line 3.
    String[][] cases = {
        {"i + b > 0", "`+` cannot take int and bool"},
        {"t + t > t", "`+` cannot take time and time"},
        {"d + t > t", "`+` cannot take duration and time"},
        {"i + d > 0s", "`+` cannot take int and duration"},
        {"d * 2 > 0s", "`*` takes two ints, but these are duration and int"},
        {"i / d > 0", "`/` takes two ints"},
        {"-b", "unary `-` takes an int or a duration, but this is bool"},
        {"-t < t", "unary `-` takes an int or a duration, but this is time"},
        {"i == d", "`==` compares two values of one type, but these are int and duration"},
        {"s == 1", "`==` compares two values of one type, but these are string and int"},
        {"s < \"a\"", "`<` compares two ints, two times or two durations, but these are string and string"},
        {"b < true", "`<` compares two ints, two times or two durations, but these are bool and bool"},
        {"e < Y", "`<` compares two ints, two times or two durations"},
        {"i and b", "`and` takes bools, but this is int"},
        {"b or s", "`or` takes bools, but this is string"},
        {"not i", "`not` takes a bool, but this is int"},
        {"i implies b", "`implies` takes bools, but this is int"},
        {"i", "an invariant must be a bool, but this is int"},
        {"len(i) > 0", "len() takes a set or a string, but this is int"},
        {"i in { \"1\" }", "this is string, but the value before `in` is int"},
        {"s in si", "this is string, but the set after `in` holds int elements"},
        {"i in s", "`in` takes a list `{ ... }` or a set variable, but this is string"},
        {"t in { 0 }", "there are no time literals"},
        {"i in { i }", "`i` is a state variable"},
        {"i in { 1 + 1 }", "the list after `in` holds literals or enum constants only"},
        {"e == Z", "unknown name `Z`"},
        {"now == 0", "`==` compares two values of one type, but these are time and int"},
        {"1 < 2 < 3", "comparisons do not chain"},
        {"b == b == b", "comparisons do not chain"},
        {"i in { 1 } in { true }", "comparisons do not chain"},
    };
    for (String[] c : cases) {
      String e = errors(base + "invariant x: " + c[0] + "\n");
      assertTrue(e.contains(c[1]), c[0] + " gave:\n" + e);
      assertTrue(e.startsWith("t.sw:3:"), e);
    }
  }

  @Test
  void enumsOfTwoVariablesAreDifferentTypes() {
    String e = errors("spec ops\nentity A key k { a: enum { X, Y }; b: enum { X2, Y2 } }\n"
        + "invariant same: a == b or true\n");
    assertTrue(e.contains("t.sw:3:19: error: `==` compares two values of one type, but these are "
        + "enum { X, Y } (of `a`) and enum { X2, Y2 } (of `b`)"), e);
    e = errors("spec ops\nentity A key k { a: enum { X, Y }; b: enum { X2, Y2 } }\n"
        + "invariant same: a != X2\n");
    assertTrue(e.contains("t.sw:3:19: error: `!=` compares two values of one type"), e);
  }

  @Test
  void aConstantOfTwoEnumsIsAnErrorOnlyWhereItIsUsed() {
    // Declaring it is fine, and so are initial values (each belongs to its variable's enum).
    Session.of("spec ops\nentity A key k { a: enum { X, Y } = Y; b: enum { Y, Z } = Y }\n");
    String e = errors("spec ops\nentity A key k { a: enum { X, Y }; b: enum { Y, Z } }\n"
        + "invariant i: a != Y\n");
    assertTrue(e.contains("t.sw:3:19: error: `Y` is a constant of 2 enums of `A` (`a`, `b`), so it is ambiguous here"), e);
    // Constants are scoped to their entity: the same name in another entity is no conflict.
    Session.of("spec ops\nentity A key k { a: enum { X, Y } }\nentity B key k { b: enum { Y, Z } }\n"
        + "invariant i for A: a != Y\n");
  }
}
