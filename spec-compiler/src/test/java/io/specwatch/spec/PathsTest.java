package io.specwatch.spec;

import static io.specwatch.spec.Specs.errors;
import static io.specwatch.spec.Specs.only;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.specwatch.core.Violation;
import io.specwatch.core.ViolationKind;
import io.specwatch.spec.Specs.Session;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Document paths: nested keys, quoted segments, indexes, which words may start a path, missing values. */
class PathsTest {

  /** A spec whose entity is keyed by {@code keyPath}; its event matches every document with `type`. */
  private static Session keyedBy(String keyPath) {
    return Session.of("spec p\nentity A key " + keyPath + " { n: int }\n"
        + "event e for A when exists(type)\non e requires false { }\n");
  }

  private static String keyOf(Session s, String doc) {
    Violation v = only(s.send(doc));
    return v.kind() == ViolationKind.TRANSITION ? v.key() : v.kind().label() + ": " + v.message();
  }

  @Test
  void nestedKeys() {
    assertEquals("c-1", keyOf(keyedBy("order.customer.id"),
        "{\"type\":1,\"order\":{\"customer\":{\"id\":\"c-1\"}}}"));
  }

  @Test
  void quotedSegmentsForKeysThatAreNotIdentifiers() {
    Session s = keyedBy("attributes[\"payment.id\"]");
    assertEquals("p-1", keyOf(s, "{\"type\":1,\"attributes\":{\"payment.id\":\"p-1\"}}"));
    assertEquals("key `attributes[\"payment.id\"]` is missing",
        only(s.send("{\"type\":1,\"attributes\":{\"payment\":{\"id\":\"p-1\"}}}")).message());
    assertEquals("x", keyOf(keyedBy("[\"a b\"][\"\"][\"\\\"q\\\"\"]"),
        "{\"type\":1,\"a b\":{\"\":{\"\\\"q\\\"\":\"x\"}}}"));
  }

  @Test
  void arrayIndexes() {
    Session s = keyedBy("items[1].sku");
    assertEquals("s-2", keyOf(s, "{\"type\":1,\"items\":[{\"sku\":\"s-1\"},{\"sku\":\"s-2\"}]}"));
    assertEquals("malformed: key `items[1].sku` is missing", keyOf(s, "{\"type\":1,\"items\":[{\"sku\":\"s-1\"}]}"));
    assertEquals("m", keyOf(keyedBy("grid[0][2]"), "{\"type\":1,\"grid\":[[\"k\",\"l\",\"m\"]]}"));
  }

  @Test
  void anIndexOnAnObjectAndAKeyOnAnArrayAreMissing() {
    assertEquals("malformed: key `a[0]` is missing", keyOf(keyedBy("a[0]"), "{\"type\":1,\"a\":{\"0\":\"x\"}}"));
    assertEquals("malformed: key `a[\"0\"]` is missing",
        keyOf(keyedBy("a[\"0\"]"), "{\"type\":1,\"a\":[\"x\"]}"));
    assertEquals("malformed: key `a.b` is missing", keyOf(keyedBy("a.b"), "{\"type\":1,\"a\":[{\"b\":\"x\"}]}"));
  }

  @Test
  void jsonNullIsMissing() {
    assertEquals("malformed: key `k` is missing", keyOf(keyedBy("k"), "{\"type\":1,\"k\":null}"));
    assertEquals("malformed: key `a.k` is missing", keyOf(keyedBy("a.k"), "{\"type\":1,\"a\":null}"));
  }

  @Test
  void keysOfOtherTypesAreNotKeys() {
    Session s = keyedBy("k");
    assertEquals("malformed: key `k` is not a string or an integer", keyOf(s, "{\"type\":1,\"k\":true}"));
    assertEquals("malformed: key `k` is not a string or an integer", keyOf(s, "{\"type\":1,\"k\":1.5}"));
    assertEquals("malformed: key `k` is not a string or an integer", keyOf(s, "{\"type\":1,\"k\":{\"a\":1}}"));
    assertEquals("malformed: key `k` is not a string or an integer", keyOf(s, "{\"type\":1,\"k\":[1]}"));
    assertEquals("malformed: key `k` is not a string or an integer", keyOf(s, "{\"type\":1,\"k\":100.0}"));
    assertEquals("malformed: key `k` is not a string or an integer", keyOf(s, "{\"type\":1,\"k\":1e2}"));
    assertEquals("malformed: key `k` is not a string or an integer",
        keyOf(s, "{\"type\":1,\"k\":18446744073709551616}"));
  }

  @Test
  void keywordsMayStartAPath() {
    // Keywords that are not expression words: `event.type`, `id`, `time`, `key`, `for`, ...
    for (String word : List.of("event", "id", "time", "key", "for", "spec", "when", "int", "set",
        "within", "default", "deadline", "on", "requires")) {
      assertEquals("v", keyOf(keyedBy(word + ".x"), "{\"type\":1,\"" + word + "\":{\"x\":\"v\"}}"), word);
    }
    Session s = Session.of("spec p\nentity A key key { n: int }\n"
        + "event e for A when event.type == \"e\" and time > 5 and id == 1 and key == \"a\"\n"
        + "on e requires false { }\n");
    assertEquals(List.of("transition e A a @1"),
        s.sendBrief("{\"event\":{\"type\":\"e\"},\"time\":6,\"id\":1,\"key\":\"a\"}"));
  }

  @Test
  void expressionWordsNeedTheQuotedForm() {
    for (String word : List.of("and", "or", "not", "implies", "in", "if", "else", "true", "false",
        "now", "exists", "len")) {
      String e = errors("spec p\nentity A key " + word + " { n: int }\n");
      assertTrue(e.contains("`" + word + "` cannot start a path; write it quoted: [\"" + word + "\"]"),
          word + ": " + e);
      assertEquals("v", keyOf(keyedBy("[\"" + word + "\"]"), "{\"type\":1,\"" + word + "\":\"v\"}"), word);
    }
    String e = errors("spec p\nentity A key k { n: int }\nevent e for A when now == 1\n");
    assertTrue(e.contains("t.sw:3:20: error: `now` cannot start a path; write it quoted: [\"now\"]"), e);
    e = errors("spec p\nentity A key k { n: int }\nevent e for A when not == 1\n");
    assertTrue(e.contains("t.sw:3:20: error: `not` cannot start a path; write it quoted: [\"not\"]"), e);
  }

  @Test
  void afterADotEveryWordIsAllowed() {
    assertEquals("v", keyOf(keyedBy("a.not.in.true.now.len.exists"),
        "{\"type\":1,\"a\":{\"not\":{\"in\":{\"true\":{\"now\":{\"len\":{\"exists\":\"v\"}}}}}}}"));
    assertEquals("v", keyOf(keyedBy("[\"in\"].x"), "{\"type\":1,\"in\":{\"x\":\"v\"}}"));
  }

  @Test
  void theLastOfDuplicateKeysWins() {
    Session s = keyedBy("a.k");
    assertEquals("second", keyOf(s, "{\"type\":1,\"a\":{\"k\":\"first\"},\"a\":{\"k\":\"second\"}}"));
    assertEquals("malformed: key `a.k` is missing", keyOf(s, "{\"type\":1,\"a\":{\"k\":\"first\"},\"a\":{\"j\":\"x\"}}"));
    assertEquals("malformed: key `a.k` is missing", keyOf(s, "{\"type\":1,\"a\":{\"k\":\"first\"},\"a\":null}"));
    assertEquals("late", keyOf(s, "{\"type\":1,\"a\":{\"k\":\"first\",\"k\":\"late\"}}"));
  }

  @Test
  void keysAreStringsOrIntegersTakenAsDecimalText() {
    Session s = Session.of("spec p\nentity A key k { n: int }\n"
        + "event e for A when type == \"e\"\non e { n += 1 }\ninvariant small: n < 2\n");
    assertEquals(List.of(), s.sendBrief("{\"type\":\"e\",\"k\":42}"));
    Violation v = only(s.send("{\"type\":\"e\",\"k\":\"42\"}"));
    assertEquals("invariant small A 42 @2", Specs.brief(v));
    assertTrue(v.toJson().contains("\"key\":\"42\""), v.toJson());
    assertEquals(List.of(), s.sendBrief("{\"type\":\"e\",\"k\":-7}"));
    assertEquals(List.of("invariant small A -7 @4"), s.sendBrief("{\"type\":\"e\",\"k\":\"-7\"}"));
  }

  @Test
  void anEventMayReadItsKeyFromAnotherPath() {
    Session s = Session.of("spec p\nentity Account key account_id { n: int }\n"
        + "event debited for Account key from when type == \"transfer\"\n"
        + "event credited for Account key to when type == \"transfer\"\n"
        + "on debited requires false { }\non credited requires false { }\n");
    List<Violation> vs = s.send("{\"type\":\"transfer\",\"from\":\"a\",\"to\":\"b\",\"account_id\":\"c\"}");
    assertEquals(List.of("transition debited Account a @1", "transition credited Account b @1"),
        Specs.briefs(vs));
  }

  @Test
  void malformedPathsAreCompileErrors() {
    assertTrue(errors("spec p\nentity A key a. { n: int }\n").contains("expected a key after `.` in the path"));
    assertTrue(errors("spec p\nentity A key a[x] { n: int }\n")
        .contains("expected an index or a quoted key inside `[ ]`, found `x`"));
    assertTrue(errors("spec p\nentity A key a[2147483648] { n: int }\n")
        .contains("array index `2147483648` is too large"));
    assertTrue(errors("spec p\nentity A key a[9223372036854775808] { n: int }\n")
        .contains("array index `9223372036854775808` is too large"));
    assertTrue(errors("spec p\nentity A key [0] { n: int }\n")
        .contains("expected a string (a path may start with a quoted key such as [\"not\"])"));
  }

  @Test
  void theLargestIndexIsAccepted() {
    Session s = keyedBy("a[2147483647]");
    Violation v = only(s.send("{\"type\":1,\"a\":[]}"));
    assertEquals("key `a[2147483647]` is missing", v.message());
    assertNull(v.key());
  }
}
