package io.specwatch.spec;

import static io.specwatch.spec.Specs.only;
import static io.specwatch.spec.Specs.state;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.specwatch.core.Violation;
import io.specwatch.core.json.JsonText;
import io.specwatch.spec.Specs.Session;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * One instance per key, whatever form the key takes in the document: plain ASCII (packed from the
 * bytes, its string made only when needed), escaped, an integer (`42` and `"42"` are the same
 * instance), non-ASCII or longer than the inline form; and `e.key` reads the same text.
 */
class EntityKeyFormsTest {
  private static final String SPEC = "spec keys\ninput { time ts }\n"
      + "entity Acct key id { n: int; last: string = \"\" }\n"
      + "event add for Acct when type == \"add\"\n"
      + "on add(e) { n += 1; last = e.key }\n"
      + "invariant few: n < 2\n";

  private static String doc(String idJson) {
    return "{\"type\":\"add\",\"id\":" + idJson + ",\"ts\":1000}";
  }

  private static void assertOneInstance(String first, String second, String key) {
    Session s = Session.of(SPEC);
    assertEquals(List.of(), s.sendBrief(doc(first)));
    Violation v = only(s.send(doc(second)));
    assertEquals("invariant few Acct " + key + " @2", Specs.brief(v), first + " then " + second);
    StringBuilder last = new StringBuilder();
    JsonText.appendString(last, key);
    assertEquals("{\"n\":2,\"last\":" + last + "}", state(v));
  }

  @Test
  void theSameKeyInEveryForm() {
    assertOneInstance("\"a\"", "\"\\u0061\"", "a");
    assertOneInstance("\"\\u0061\"", "\"a\"", "a");
    assertOneInstance("42", "\"42\"", "42");
    assertOneInstance("\"42\"", "42", "42");
    assertOneInstance("-9223372036854775808", "\"-9223372036854775808\"", "-9223372036854775808");
    assertOneInstance("0", "\"0\"", "0");
    assertOneInstance("\"é\"", "\"\\u00e9\"", "é");
    assertOneInstance("\"😀\"", "\"\\ud83d\\ude00\"", "😀");
    String longKey = "k".repeat(80);
    assertOneInstance("\"" + longKey + "\"", "\"" + longKey + "\"", longKey);
  }

  @Test
  void differentKeysAreDifferentInstances() {
    Session s = Session.of(SPEC);
    assertEquals(List.of(), s.sendAll(doc("\"a\""), doc("\"A\""), doc("7"), doc("\"07\""),
        doc("-7"), doc("\"a \""), doc("\"" + "k".repeat(62) + "\""),
        doc("\"" + "k".repeat(63) + "\"")));
  }
}
