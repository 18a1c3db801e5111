package io.specwatch.spec;

import static io.specwatch.spec.Specs.brief;
import static io.specwatch.spec.Specs.errors;
import static io.specwatch.spec.Specs.only;
import static io.specwatch.spec.Specs.state;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.specwatch.core.Violation;
import io.specwatch.spec.Specs.Session;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Deadlines: arming, disarming, the watermark, lateness, firing order, late events, flush. */
class DeadlinesTest {
  private static final long MIN = 60_000L;
  private static final long T0 = 1_772_442_000_000L; // 2026-03-02T09:00:00Z

  private static String spec(String input, String deadlines) {
    return "spec dl\ninput { time ts" + input + " }\n"
        + "entity Pay key id { status: enum { New, Authorized, Captured }; n: int }\n"
        + "event authorized for Pay when type == \"auth\"\n"
        + "event captured for Pay when type == \"capture\"\n"
        + "event heartbeat for Pay when type == \"hb\"\n"
        + "event noise for Pay when type == \"noise\"\n"
        + "event boom for Pay when type == \"boom\"\n"
        + "on authorized requires status == New { status = Authorized }\n"
        + "on captured requires status == Authorized { status = Captured }\n"
        + "on boom { n = 9223372036854775807; n += 1 }\n"
        + deadlines;
  }

  private static final String SETTLE = "/// Authorized payments settle within 10 minutes.\n"
      + "deadline settle: after authorized expect captured within 10m\n";

  private static String doc(String type, String id, long ts) {
    return "{\"type\":\"" + type + "\",\"id\":\"" + id + "\",\"ts\":" + ts + "}";
  }

  @Test
  void theExampleOfTheReferenceWithLateness() {
    // docs/language.md section 5: lateness 30s.
    Session s = Session.of(spec("; lateness 30s", SETTLE));
    assertEquals(List.of(), s.sendBrief(doc("auth", "p1", T0)));
    assertEquals(List.of(), s.sendBrief(doc("auth", "p2", T0 + 10 * MIN + 20_000)));
    assertEquals(List.of(), s.sendBrief("{\"type\":\"other\",\"ts\":" + (T0 + 12 * MIN) + "}"));
    List<Violation> raised = s.send(doc("capture", "p1", T0 + 10 * MIN + 40_000));
    Violation v = only(raised);
    assertEquals("deadline settle Pay p1 @4", Specs.brief(v));
    assertEquals(T0 + 10 * MIN, v.time(), "a deadline's time is its expiry");
    assertEquals("Authorized payments settle within 10 minutes.", v.message());
    assertEquals("{\"status\":\"Authorized\",\"n\":0}", state(v), "the state when it fired");
    assertEquals(List.of(), s.sendBrief(doc("capture", "p2", T0 + 11 * MIN)), "p1's capture applied after firing");
  }

  @Test
  void withoutLatenessTheSecondLineAlreadyFires() {
    Session s = Session.of(spec("", SETTLE));
    s.send(doc("auth", "p1", T0));
    assertEquals(List.of("deadline settle Pay p1 @2"), s.sendBrief(doc("auth", "p2", T0 + 10 * MIN + 20_000)));
  }

  @Test
  void anExpiryEqualToTheWatermarkDoesNotFire() {
    Session s = Session.of(spec("", SETTLE));
    s.send(doc("auth", "p1", T0));
    assertEquals(List.of(), s.sendBrief(doc("auth", "p2", T0 + 10 * MIN)));
    assertEquals(List.of("deadline settle Pay p1 @3"), s.sendBrief(doc("noise", "p3", T0 + 10 * MIN + 1)));
  }

  @Test
  void anExpectEventDisarms() {
    Session s = Session.of(spec("", SETTLE));
    s.sendAll(doc("auth", "p1", T0), doc("capture", "p1", T0 + 10 * MIN));
    assertEquals(List.of(), s.sendBrief(doc("noise", "p9", T0 + 60 * MIN)));
  }

  @Test
  void anExpectEventOnTheLineThatFiresIsTooLate() {
    Session s = Session.of(spec("", SETTLE));
    s.send(doc("auth", "p1", T0));
    assertEquals(List.of("deadline settle Pay p1 @2"), s.sendBrief(doc("capture", "p1", T0 + 10 * MIN + 1)));
  }

  @Test
  void anArmedDeadlineIsNotMovedByAnotherAfterEvent() {
    Session s = Session.of(spec("", "deadline beat: after authorized or noise expect captured within 10m\n"));
    s.sendAll(doc("auth", "p1", T0), doc("noise", "p1", T0 + 5 * MIN));
    assertEquals(List.of("deadline beat Pay p1 @3"), s.sendBrief(doc("noise", "p2", T0 + 10 * MIN + 1)));
  }

  @Test
  void anEventInBothListsDisarmsThenArms() {
    Session s = Session.of(spec("", "deadline alive: after authorized or heartbeat expect heartbeat or captured within 10m\n"));
    s.sendAll(doc("auth", "p1", T0), doc("hb", "p1", T0 + 9 * MIN));
    assertEquals(List.of(), s.sendBrief(doc("noise", "x", T0 + 19 * MIN)), "the heartbeat restarted the 10 minutes");
    Violation v = only(s.send(doc("noise", "x", T0 + 19 * MIN + 1)));
    assertEquals("deadline alive Pay p1 @4", Specs.brief(v));
    assertEquals(T0 + 19 * MIN, v.time());
  }

  @Test
  void eventsWithoutHandlerArmAndDisarm() {
    Session s = Session.of(spec("", "deadline d1: after heartbeat expect noise within 1m\n"));
    s.sendAll(doc("hb", "a", T0), doc("hb", "b", T0), doc("noise", "b", T0 + 1000));
    assertEquals(List.of("deadline d1 Pay a @4"), s.sendBrief(doc("noise", "c", T0 + 2 * MIN)));
  }

  @Test
  void transitionsAndErrorsNeitherArmNorDisarm() {
    Session s = Session.of(spec("", "deadline d1: after captured or boom expect authorized or boom within 1m\n"
        + "deadline d2: after heartbeat expect authorized or boom within 1m\n"));
    // `captured` on a New payment is a transition: it arms nothing.
    assertEquals(List.of("transition captured Pay a @1"), s.sendBrief(doc("capture", "a", T0)));
    // `boom` faults: it neither arms d1 nor disarms b's d2.
    s.send(doc("hb", "b", T0));
    assertEquals(List.of("error boom Pay b @3"), s.sendBrief(doc("boom", "b", T0)));
    // `authorized` on an Authorized payment is a transition: it does not disarm c's d2.
    s.sendAll(doc("auth", "c", T0), doc("hb", "c", T0));
    assertEquals(List.of("transition authorized Pay c @6"), s.sendBrief(doc("auth", "c", T0 + 1000)));
    assertEquals(List.of("deadline d2 Pay b @7", "deadline d2 Pay c @7"), s.sendBrief(doc("noise", "z", T0 + 2 * MIN)));
  }

  @Test
  void firingOrderIsExpiryThenKeyByCodePointThenDeadlineName() {
    Session s = Session.of(spec("", "deadline zeta: after heartbeat expect captured within 1m\n"
        + "deadline alpha: after heartbeat expect captured within 1m\n"
        + "deadline early: after noise expect captured within 30s\n"));
    s.sendAll(doc("hb", "\uD83D\uDE00", T0), doc("hb", "b", T0), doc("hb", "\uFFFF", T0), doc("hb", "a", T0),
        doc("noise", "zz", T0 + 10_000));
    List<Violation> fired = s.send(doc("noise", "q", T0 + 5 * MIN));
    assertEquals(List.of("deadline early Pay zz @6",
        "deadline alpha Pay a @6", "deadline zeta Pay a @6",
        "deadline alpha Pay b @6", "deadline zeta Pay b @6",
        "deadline alpha Pay \uFFFF @6", "deadline zeta Pay \uFFFF @6",
        "deadline alpha Pay \uD83D\uDE00 @6", "deadline zeta Pay \uD83D\uDE00 @6"), Specs.briefs(fired));
  }

  @Test
  void aLateAfterEventFiresBeforeTheNextDocumentThatProducesAnEvent() {
    Session s = Session.of(spec("", SETTLE));
    s.send(doc("noise", "x", T0 + 60 * MIN));
    // Late: its expiry (T0 + 10m) is already behind the watermark (T0 + 60m), but it fires later.
    assertEquals(List.of(), s.sendBrief(doc("auth", "late", T0)));
    assertEquals(List.of(), s.sendBrief("{\"type\":\"unmatched\",\"ts\":" + (T0 + 90 * MIN) + "}"));
    assertEquals(List.of("malformed authorized Pay null @4"),
        s.sendBrief("{\"type\":\"auth\",\"ts\":" + (T0 + 90 * MIN) + "}"), "no event: nothing fires");
    Violation v = only(s.send(doc("noise", "y", T0 + 1)));
    assertEquals("deadline settle Pay late @5", Specs.brief(v));
    assertEquals(T0 + 10 * MIN, v.time());
  }

  @Test
  void malformedAndUnmatchedDocumentsDoNotMoveTheWatermark() {
    Session s = Session.of(spec("", SETTLE));
    s.send(doc("auth", "p1", T0));
    assertEquals(List.of("malformed authorized Pay null @2"),
        s.sendBrief("{\"type\":\"auth\",\"ts\":" + (T0 + 60 * MIN) + "}"));
    assertEquals(List.of(), s.sendBrief("{\"type\":\"zzz\",\"id\":\"q\",\"ts\":" + (T0 + 60 * MIN) + "}"));
    assertEquals(List.of("malformed authorized Pay q @4"),
        s.sendBrief("{\"type\":\"auth\",\"id\":\"q\",\"ts\":\"not a time\"}"));
    assertEquals(List.of("deadline settle Pay p1 @5"), s.sendBrief(doc("noise", "q", T0 + 10 * MIN + 1)));
  }

  @Test
  void flushFiresEverythingStillArmedInFiringOrderWithoutALine() {
    Session s = Session.of(spec("", SETTLE + "deadline hb: after heartbeat expect captured within 1d\n"));
    s.sendAll(doc("auth", "b", T0), doc("auth", "a", T0), doc("hb", "a", T0 - 1), doc("auth", "c", T0),
        doc("capture", "c", T0));
    List<Violation> fired = s.flush();
    assertEquals(List.of("deadline settle Pay a @null", "deadline settle Pay b @null", "deadline hb Pay a @null"),
        Specs.briefs(fired));
    assertNull(fired.get(0).position());
    assertTrue(fired.get(0).toJson().contains("\"line\":null"), fired.get(0).toJson());
    assertEquals(List.of(), s.flush(), "flushed deadlines are disarmed");
  }

  @Test
  void anExpiryThatOverflowsIsAnError() {
    Session s = Session.of(spec("", SETTLE));
    Violation v = only(s.send(doc("auth", "p1", Long.MAX_VALUE - 1000)));
    assertEquals("error authorized Pay p1 @1", Specs.brief(v));
    assertEquals("64-bit overflow", v.message());
    assertEquals("{\"status\":\"New\",\"n\":0}", state(v), "the handler's effect is discarded");
    assertEquals(List.of(), s.flush());
  }

  @Test
  void generatedMessageWithoutADocComment() {
    Session s = Session.of(spec("", "deadline settle: after authorized expect captured within 10m\n"));
    s.send(doc("auth", "p1", T0));
    assertEquals("deadline `settle` passed: no expected event within 600000 ms",
        only(s.send(doc("noise", "p2", T0 + 11 * MIN))).message());
  }

  @Test
  void eachInstanceHasItsOwnDeadline() {
    Session s = Session.of(spec("", SETTLE));
    s.sendAll(doc("auth", "p1", T0), doc("auth", "p2", T0 + MIN), doc("capture", "p1", T0 + 2 * MIN));
    assertEquals(List.of("deadline settle Pay p2 @4"), s.sendBrief(doc("noise", "p3", T0 + 12 * MIN)));
  }

  /**
   * The contract's durations include `-1s`, and `within` takes a duration: a negative one arms the
   * deadline to expire before its `after` event, so with no lateness it fires, with that expiry,
   * at the next document that produces an event (or at the end with --flush): the firing comes
   * before that document's events apply, so not even an expected event in it disarms it first.
   */
  @Test
  void aNegativeWithinArmsADeadlineThatFiresAtTheNextEvent() {
    Session s = Session.of("spec neg\ninput { time ts }\nentity A key id { n: int }\n"
        + "event a for A when t == 1\nevent b for A when t == 2\n"
        + "deadline late: after a expect b within -1s\n");
    assertEquals(List.of(), s.sendBrief("{\"t\":1,\"id\":\"x\",\"ts\":10000}"));
    Violation v = only(s.send("{\"t\":2,\"id\":\"x\",\"ts\":10000}"));
    assertEquals("deadline late A x @2", brief(v));
    assertEquals(9_000L, v.time(), "the expiry: 10s - 1s");
    assertEquals(List.of(), s.sendBrief("{\"t\":1,\"id\":\"y\",\"ts\":20000}"));
    assertEquals("deadline late A y @null", brief(only(s.flush())));
    // With a lateness longer than the negative within, the watermark is still behind the expiry
    // at the next document, so an expected event there disarms the deadline, as for any other.
    Session lenient = Session.of("spec neg\ninput { time ts; lateness 5s }\n"
        + "entity A key id { n: int }\nevent a for A when t == 1\nevent b for A when t == 2\n"
        + "deadline late: after a expect b within -1s\n");
    assertEquals(List.of(), lenient.sendBrief("{\"t\":1,\"id\":\"x\",\"ts\":10000}"));
    assertEquals(List.of(), lenient.sendBrief("{\"t\":2,\"id\":\"x\",\"ts\":10000}"));
    assertEquals(List.of(), lenient.flush(), "disarmed by b");
  }

  @Test
  void deadlineErrors() {
    String base = "spec dl\ninput { time ts }\nentity A key id { n: int }\nentity B key id { n: int }\n"
        + "event a for A when t == 1\nevent a2 for A when t == 2\nevent b for B when t == 3\n";
    assertTrue(errors(base + "deadline d: after a expect b within 1m\n")
        .contains("t.sw:8:28: error: all events of a deadline belong to one entity type: `b` is for `B`, `a` for `A`"));
    assertTrue(errors(base + "deadline d: after a or b expect a2 within 1m\n")
        .contains("t.sw:8:24: error: all events of a deadline belong to one entity type"));
    assertTrue(errors(base + "deadline d: after a expect c within 1m\n")
        .contains("t.sw:8:28: error: unknown event `c`: expected one of the declared events (a, a2, b)"));
    assertTrue(errors(base + "deadline d: after a expect a2 within 10\n")
        .contains("expected a duration such as `250ms`, `10s`, `5m`, `2h` or `7d` after `within`, found `10`"));
    assertTrue(errors(base.replace("input { time ts }", "input { id x }") + "deadline d: after a expect a2 within 1m\n")
        .contains("t.sw:8:1: error: a deadline needs event time: expected `time PATH` in an `input` block"));
    assertTrue(errors(base + "deadline a: after a expect a2 within 1m\n")
        .contains("t.sw:8:10: error: `a` is already declared at line 5"));
  }

  @Test
  void withinOneDocumentMalformedComesFirstThenDeadlinesThenTheEvents() {
    Session s = Session.of(spec("", SETTLE) + "event needs for Pay key other when type == \"capture\" { x: int }\n");
    s.send(doc("auth", "p1", T0));
    assertEquals(List.of("malformed needs Pay null @2", "deadline settle Pay p1 @2", "transition captured Pay p2 @2"),
        s.sendBrief(doc("capture", "p2", T0 + 11 * MIN)));
  }

  /** Regression (found by the differential test): an armed deadline computes no new expiry. */
  @Test
  void anAfterEventOfAnArmedDeadlineComputesNoExpiryAndCannotOverflow() {
    long max = Long.MAX_VALUE;
    Session s = Session.of("spec ov\ninput { time ts }\nentity A key k { n: int }\n"
        + "event go for A when type == \"go\"\nevent done for A when type == \"done\"\n"
        + "on go { n += 1 }\n"
        + "deadline d: after go expect done within 2m\n");
    assertEquals(List.of(), s.sendBrief("{\"type\":\"go\",\"k\":\"a\",\"ts\":" + (max - 125_000) + "}"));
    // d is armed until max - 5 s; this `go` would overflow if it computed an expiry.
    assertEquals(List.of(), s.sendBrief("{\"type\":\"go\",\"k\":\"a\",\"ts\":" + (max - 100_000) + "}"));
  }

  /** Regression (found by the differential test): the smallest long is a valid epoch time. */
  @Test
  void theSmallestLongIsAValidEventTime() {
    Session s = Session.of("spec mn\ninput { time ts }\nentity A key k { at: time }\n"
        + "event go for A when type == \"go\" { at: time }\n"
        + "on go(e) requires e.at > e.time { at = e.at }\n");
    assertEquals(List.of("transition go A a @1"),
        s.sendBrief("{\"type\":\"go\",\"k\":\"a\",\"ts\":0,\"at\":-9223372036854775808}"));
    assertEquals(List.of(),
        s.sendBrief("{\"type\":\"go\",\"k\":\"a\",\"ts\":-9223372036854775808,\"at\":5}"));
  }
}
