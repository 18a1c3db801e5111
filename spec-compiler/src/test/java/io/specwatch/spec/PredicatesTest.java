package io.specwatch.spec;

import static io.specwatch.spec.Specs.errors;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.specwatch.spec.Specs.Session;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

/**
 * `when` predicates: comparisons with a missing value or a value of another JSON type are false
 * for every operator, integers are numbers without fraction or exponent, `exists`, `not`, lists.
 */
class PredicatesTest {

  /** Whether {@code predicate} matches {@code doc}: the event's handler raises a transition if so. */
  private static boolean matches(String predicate, String doc) {
    Session s = Session.of("spec pred\nentity A key k { n: int }\n"
        + "event e for A key [\"\"] when " + predicate + "\non e requires false { }\n");
    String withKey = doc.equals("{}") ? "{\"\":\"k\"}" : "{\"\":\"k\"," + doc.substring(1);
    List<String> raised = s.sendBrief(withKey);
    assertTrue(raised.size() <= 1, raised.toString());
    return !raised.isEmpty();
  }

  // The table of docs/language.md, section 4.3, and more operators.
  @ParameterizedTest(name = "{0} on {1} is {2}")
  @CsvSource(delimiter = '|', value = {
      "reason != \"test\"            | {\"reason\":\"test\"}  | false",
      "reason != \"test\"            | {\"reason\":\"fraud\"} | true",
      "reason != \"test\"            | {}                    | false",
      "reason != \"test\"            | {\"reason\":7}         | false",
      "reason != \"test\"            | {\"reason\":null}      | false",
      "not (reason == \"test\")      | {\"reason\":\"test\"}  | false",
      "not (reason == \"test\")      | {\"reason\":\"fraud\"} | true",
      "not (reason == \"test\")      | {}                    | true",
      "not (reason == \"test\")      | {\"reason\":7}         | true",
      "reason not in { \"test\" }    | {\"reason\":\"test\"}  | false",
      "reason not in { \"test\" }    | {\"reason\":\"fraud\"} | true",
      "reason not in { \"test\" }    | {}                    | false",
      "reason not in { \"test\" }    | {\"reason\":7}         | false",
      "not (reason in { \"test\" })  | {\"reason\":\"test\"}  | false",
      "not (reason in { \"test\" })  | {\"reason\":\"fraud\"} | true",
      "not (reason in { \"test\" })  | {}                    | true",
      "not (reason in { \"test\" })  | {\"reason\":7}         | true",
      "exists(reason)               | {\"reason\":\"test\"}  | true",
      "exists(reason)               | {}                    | false",
      "exists(reason)               | {\"reason\":7}         | true",
      "exists(reason)               | {\"reason\":null}      | false",
      "exists(reason)               | {\"reason\":{}}        | true",
      "exists(reason)               | {\"reason\":false}     | true",
      "not exists(reason)           | {\"reason\":null}      | true",
      // ordering operators take integers; a missing value or another type is false for all
      "n < 5                        | {\"n\":4}              | true",
      "n < 5                        | {\"n\":5}              | false",
      "n <= 5                       | {\"n\":5}              | true",
      "n > 5                        | {\"n\":6}              | true",
      "n > 5                        | {\"n\":5}              | false",
      "n >= 5                       | {\"n\":5}              | true",
      "n >= -5                      | {\"n\":-5}             | true",
      "n < 5                        | {}                    | false",
      "n >= 5                       | {}                    | false",
      "n < 5                        | {\"n\":\"4\"}          | false",
      "n > 5                        | {\"n\":5.5}            | false",
      "n < 5                        | {\"n\":4.0}            | false",
      "n != 5                       | {\"n\":\"5\"}          | false",
      "n != 5                       | {\"n\":6}              | true",
      "n == 100                     | {\"n\":100}            | true",
      "n == 100                     | {\"n\":100.0}          | false",
      "n == 100                     | {\"n\":1e2}            | false",
      "n != 100                     | {\"n\":1e2}            | false",
      "n == 1                       | {\"n\":18446744073709551617} | false",
      "n != 1                       | {\"n\":18446744073709551617} | false",
      "n == -9223372036854775808    | {\"n\":-9223372036854775808} | true",
      "n == 9223372036854775807     | {\"n\":9223372036854775807}  | true",
      // a literal may come first; the comparison is the same
      "5 < n                        | {\"n\":6}              | true",
      "5 < n                        | {\"n\":5}              | false",
      "5 >= n                       | {\"n\":5}              | true",
      "\"x\" == s                   | {\"s\":\"x\"}          | true",
      // booleans and strings take == and !=
      "flag == true                 | {\"flag\":true}        | true",
      "flag == true                 | {\"flag\":\"true\"}    | false",
      "flag != true                 | {\"flag\":false}       | true",
      "flag != true                 | {}                    | false",
      "flag == false                | {\"flag\":0}           | false",
      "s == \"A\"                   | {\"s\":\"a\"}          | false",
      "s == \"é\"                   | {\"s\":\"\\u00e9\"}    | true",
      // lists may mix literal types; each compares under the same-type rule
      "code in { 7, \"7\" }          | {\"code\":7}           | true",
      "code in { 7, \"7\" }          | {\"code\":\"7\"}       | true",
      "code in { 7, \"7\" }          | {\"code\":7.0}         | false",
      "code not in { 7, \"7\" }      | {\"code\":8}           | true",
      "code not in { 7, \"7\" }      | {\"code\":true}        | false",
      "code in { true }             | {\"code\":true}        | true",
      "code in { }                  | {\"code\":1}           | false",
      "code not in { }              | {\"code\":1}           | false",
      // and, or, not, parentheses
      "a == 1 and b == 2            | {\"a\":1,\"b\":2}      | true",
      "a == 1 and b == 2            | {\"a\":1}             | false",
      "a == 1 or b == 2             | {\"b\":2}             | true",
      "not a == 1 or b == 2         | {\"a\":1}             | false",
      "not (a == 1 or b == 2)       | {\"a\":3}             | true",
      "a == 1 or b == 2 and c == 3  | {\"a\":1}             | true",
      "(a == 1 or b == 2) and c == 3 | {\"a\":1}            | false",
      "not not a == 1               | {\"a\":1}             | true",
      // paths into objects and arrays
      "o.p[1] == \"y\"              | {\"o\":{\"p\":[\"x\",\"y\"]}} | true",
      "o.p[1] == \"y\"              | {\"o\":{\"p\":{\"1\":\"y\"}}} | false",
      "o[\"p\"] == 1                | {\"o\":[1]}           | false",
      // duplicate keys: the last one wins
      "t == \"b\"                   | {\"t\":\"a\",\"t\":\"b\"} | true",
      "t == \"a\"                   | {\"t\":\"a\",\"t\":\"b\"} | false",
      "exists(t)                    | {\"t\":\"a\",\"t\":null}  | false",
  })
  void predicateTable(String predicate, String doc, boolean expected) {
    assertEquals(expected, matches(predicate, doc));
  }

  @Test
  void aDocumentNoEventMatchesIsIgnored() {
    Session s = Session.of("spec pred\nentity A key k { n: int }\n"
        + "event e for A when type == \"e\"\non e requires false { }\n");
    assertEquals(List.of(), s.sendBrief("{\"type\":\"other\",\"k\":\"a\"}"));
    assertEquals(List.of(), s.sendBrief("{}"));
    assertEquals(2, s.monitor.runtimes().get(0).stats().ignored, "ignored documents are counted");
  }

  @Test
  void everyMatchingEventDeclarationProducesAnEvent() {
    Session s = Session.of("spec pred\nentity A key k { n: int }\nentity B key k { n: int }\n"
        + "event a for A when type == \"x\"\nevent b for B when type == \"x\" or type == \"y\"\n"
        + "event c for A when exists(type)\n"
        + "on a requires false { }\non b requires false { }\non c requires false { }\n");
    assertEquals(List.of("transition a A k @1", "transition b B k @1", "transition c A k @1"),
        s.sendBrief("{\"type\":\"x\",\"k\":\"k\"}"));
    assertEquals(List.of("transition b B k @2", "transition c A k @2"),
        s.sendBrief("{\"type\":\"y\",\"k\":\"k\"}"));
  }

  @Test
  void predicateLiteralTypesAreChecked() {
    assertTrue(errors("spec p\nentity A key k { n: int }\nevent e for A when s < \"x\"\n")
        .contains("t.sw:3:24: error: `<` compares with an integer, found `\"x\"`"));
    assertTrue(errors("spec p\nentity A key k { n: int }\nevent e for A when b >= true\n")
        .contains("t.sw:3:25: error: `>=` compares with an integer, found `true`"));
    assertTrue(errors("spec p\nentity A key k { n: int }\nevent e for A when \"x\" > s\n")
        .contains("t.sw:3:20: error: `>` compares with an integer, found `\"x\"`"));
    assertTrue(errors("spec p\nentity A key k { n: int }\nevent e for A when ms < 5s\n")
        .contains("t.sw:3:25: error: expected an integer, a string, true or false, found a duration"));
    assertTrue(errors("spec p\nentity A key k { n: int }\nevent e for A when ms in { 1, 5s }\n")
        .contains("found a duration"));
    assertTrue(errors("spec p\nentity A key k { n: int }\nevent e for A when a == b\n")
        .contains("t.sw:3:25: error: expected a literal (an integer, a string, true or false) to compare `a` with, found `b`: a predicate compares document values with literals"));
    assertTrue(errors("spec p\nentity A key k { n: int }\nevent e for A when a\n")
        .contains("expected a comparison (==, !=, <, <=, >, >=, in, not in) after the path `a`"));
    assertTrue(errors("spec p\nentity A key k { n: int }\nevent e for A when a == 1 < 2\n")
        .contains("expected a new line or `;` after the event declaration, found `<`"));
  }
}
