package io.specwatch.spec;

import static io.specwatch.spec.Specs.only;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.specwatch.core.Violation;
import io.specwatch.core.ViolationKind;
import io.specwatch.spec.Specs.Session;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Documents that are not JSON objects, and documents an event matched but could not decode. */
class MalformedTest {
  private static final String SPEC = "spec mal\ninput { time ts }\nentity A key k { n: int }\n"
      + "event e for A when type == \"e\" { first: int; second: string; third: bool default true }\n"
      + "event any for A key other when exists(other)\n"
      + "on e requires false { }\n";

  @Test
  void aLineThatIsNotAJsonObject() {
    Session s = Session.of(SPEC);
    String[][] cases = {
        {"not json", "not valid JSON"}, {"{\"a\":", "not valid JSON"}, {"{\"a\":1}}", "not valid JSON"},
        {"{\"a\":1} {}", "not valid JSON"}, {"{'a':1}", "not valid JSON"}, {"", "not valid JSON"},
        {"[1,2]", "not a JSON object"}, {"42", "not a JSON object"}, {"\"s\"", "not a JSON object"},
        {"null", "not a JSON object"}, {"true", "not a JSON object"},
    };
    for (String[] c : cases) {
      Violation v = only(s.send(c[0]));
      assertEquals(ViolationKind.MALFORMED, v.kind(), c[0]);
      assertEquals(c[1], v.message(), c[0]);
      assertNull(v.rule());
      assertNull(v.entity());
      assertNull(v.key());
      assertNull(v.time());
      assertNull(v.state());
    }
  }

  @Test
  void invalidUtf8IsNotJson() {
    Session s = Session.of(SPEC);
    byte[] bytes = {'{', '"', 'a', '"', ':', '"', (byte) 0xC3, '"', '}'};
    List<Violation> raised = new java.util.ArrayList<>();
    s.monitor.accept(bytes, 0, bytes.length, new io.specwatch.core.LinePosition(1), raised::add);
    assertEquals("not valid JSON", only(raised).message());
  }

  @Test
  void reasonsComeKeyFirstThenTimeThenFieldsInDeclarationOrder() {
    Session s = Session.of(SPEC);
    String[][] cases = {
        {"{\"type\":\"e\",\"ts\":\"bad\",\"second\":1}", "key `k` is missing"},
        {"{\"type\":\"e\",\"k\":true,\"ts\":\"bad\"}", "key `k` is not a string or an integer"},
        {"{\"type\":\"e\",\"k\":\"a\",\"ts\":\"bad\",\"second\":1}", "event time `ts` is missing or not a valid time"},
        {"{\"type\":\"e\",\"k\":\"a\",\"second\":1}", "event time `ts` is missing or not a valid time"},
        {"{\"type\":\"e\",\"k\":\"a\",\"ts\":1,\"second\":1}", "field `first` is missing"},
        {"{\"type\":\"e\",\"k\":\"a\",\"ts\":1,\"first\":\"1\",\"second\":1}", "field `first` is not a valid int"},
        {"{\"type\":\"e\",\"k\":\"a\",\"ts\":1,\"first\":1,\"second\":1}", "field `second` is not a valid string"},
        {"{\"type\":\"e\",\"k\":\"a\",\"ts\":1,\"first\":1,\"second\":\"s\",\"third\":1}", "field `third` is not a valid bool"},
    };
    for (String[] c : cases) {
      Violation v = only(s.send(c[0]));
      assertEquals("malformed e A", v.kind().label() + " " + v.rule() + " " + v.entity(), c[0]);
      assertEquals(c[1], v.message(), c[0]);
      assertNull(v.state());
    }
  }

  @Test
  void theMalformedViolationCarriesWhatIsKnown() {
    Session s = Session.of(SPEC);
    Violation v = only(s.send("{\"type\":\"e\",\"k\":7,\"ts\":\"2026-03-02T09:00:00Z\"}"));
    assertEquals("7", v.key());
    assertEquals(1772442000000L, v.time());
    v = only(s.send("{\"type\":\"e\",\"k\":7,\"ts\":\"2026-03-02T09:00:60Z\"}"));
    assertNull(v.time(), "an invalid time is unknown");
    v = only(s.send("{\"type\":\"e\",\"ts\":5}"));
    assertNull(v.key());
    assertEquals(5L, v.time());
  }

  @Test
  void eventTimesAcceptedAndRejected() {
    Session s = Session.of(SPEC.replace("on e requires false { }", "on any requires false { }"));
    for (String ok : List.of("0", "-1", "9223372036854775807", "\"2026-03-02T09:00:00Z\"",
        "\"2026-03-02t09:00:00z\"", "\"2026-03-02T09:00:00.123456789+05:30\"", "\"2024-02-29T00:00:00Z\"",
        "\"0001-01-01T00:00:00Z\"", "\"9999-12-31T23:59:59.999-23:59\"")) {
      assertEquals("transition", only(s.send("{\"other\":\"x\",\"ts\":" + ok + "}")).kind().label(), ok);
    }
    for (String bad : List.of("1.5", "1e3", "true", "null", "\"\"", "\"1772442000000\"", "\"2026-03-02\"",
        "\"2026-02-29T00:00:00Z\"", "\"2026-03-02T09:00:60Z\"", "\"2026-03-02T09:00:00\"",
        "\"2026-03-02T09:00:00.Z\"", "\"2026-03-02T09:00:00+24:00\"", "\"2026-03-02T9:00:00Z\"",
        "\"2026-03-02T09:00:00Z \"", "{}", "18446744073709551616")) {
      Violation v = only(s.send("{\"other\":\"x\",\"ts\":" + bad + "}"));
      assertEquals("malformed: event time `ts` is missing or not a valid time",
          v.kind().label() + ": " + v.message(), bad);
    }
  }

  @Test
  void oneDocumentCanBeMalformedForOneEventAndFineForAnother() {
    Session s = Session.of(SPEC.replace("on e requires false { }", "on any requires false { }"));
    assertEquals(List.of("malformed e A a @1", "transition any A x @1"),
        s.sendBrief("{\"type\":\"e\",\"k\":\"a\",\"ts\":1,\"other\":\"x\"}"));
  }

  @Test
  void aMissingTimeWithoutInputTimeIsFine() {
    Session s = Session.of("spec mal\nentity A key k { n: int }\nevent e for A when type == \"e\"\n"
        + "on e requires false { }\n");
    assertEquals(List.of("transition e A a @1"), s.sendBrief("{\"type\":\"e\",\"k\":\"a\"}"));
  }

  @Test
  void aDocumentNestedTooDeeplyIsMalformed() {
    Session s = Session.of(SPEC);
    String deep = "{\"a\":" + "[".repeat(600) + "]".repeat(600) + ",\"type\":\"e\",\"k\":\"a\"}";
    Violation v = only(s.send(deep));
    assertEquals(ViolationKind.MALFORMED, v.kind());
    assertNull(v.rule());
    assertEquals("document nested deeper than 500 levels", v.message());
    String fine = "{\"a\":" + "[".repeat(400) + "]".repeat(400) + ",\"other\":\"x\",\"ts\":1}";
    assertEquals(List.of(), Specs.briefs(s.send(fine)));
  }
}
