package io.specwatch.spec;

import static io.specwatch.spec.Specs.only;
import static io.specwatch.spec.Specs.state;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.specwatch.core.Violation;
import io.specwatch.core.engine.RuntimeStats;
import io.specwatch.spec.Specs.Session;
import java.util.List;
import org.junit.jupiter.api.Test;

/** `ends when`: events after the end, forgetting after 7 days of watermark, disarming. */
class EndsWhenTest {
  private static final long DAY = 86_400_000L;
  private static final long T0 = 1_772_442_000_000L; // 2026-03-02T09:00:00Z

  private static String spec(String lateness) {
    return "spec ending\ninput { time ts" + lateness + " }\n"
        + "entity Acct key id { balance: int; closed: bool\n  ends when closed }\n"
        + "event deposit for Acct when type == \"deposit\" { n: int }\n"
        + "event close for Acct when type == \"close\"\n"
        + "event note for Acct when type == \"note\"\n"
        + "on deposit(e) { balance += e.n }\non close { closed = true }\n"
        + "invariant small: balance < 100\n";
  }

  private static String doc(String type, String id, long ts) {
    return "{\"type\":\"" + type + "\",\"id\":\"" + id + "\",\"ts\":" + ts + ",\"n\":10}";
  }

  @Test
  void anEventAfterTheEndIsATransitionAndChangesNothing() {
    Session s = Session.of(spec(""));
    assertEquals(List.of(), s.sendAll(doc("deposit", "a", T0), doc("close", "a", T0 + 1)));
    Violation v = only(s.send(doc("deposit", "a", T0 + 2)));
    assertEquals("transition deposit Acct a @3", Specs.brief(v));
    assertEquals("event after end", v.message());
    assertEquals("{\"balance\":10,\"closed\":true}", state(v));
    assertEquals(T0 + 2, v.time());
    // Every event, with or without a handler, including the one that ended it.
    assertEquals(List.of("transition note Acct a @4"), s.sendBrief(doc("note", "a", T0 + 3)));
    assertEquals(List.of("transition close Acct a @5"), s.sendBrief(doc("close", "a", T0 + 4)));
    assertEquals(List.of(), s.sendBrief(doc("deposit", "b", T0 + 5)), "other keys are unaffected");
  }

  @Test
  void anEndedInstanceIsForgottenWhenTheWatermarkReachesItsEndPlusSevenDays() {
    Session s = Session.of(spec(""));
    s.sendAll(doc("deposit", "a", T0), doc("deposit", "a", T0), doc("close", "a", T0 + DAY));
    long end = T0 + DAY;
    assertEquals(List.of("transition deposit Acct a @4"), s.sendBrief(doc("deposit", "a", end + 1)));
    assertEquals(List.of(), s.sendBrief(doc("deposit", "b", end + 7 * DAY - 1)));
    assertEquals(List.of("transition deposit Acct a @6"), s.sendBrief(doc("deposit", "a", end)),
        "the watermark is 1 ms short: still remembered");
    assertEquals(List.of(), s.sendBrief(doc("deposit", "b", end + 7 * DAY)));
    // Forgotten: a late event for the key starts a fresh instance, with the initial state.
    assertEquals(List.of(), s.sendBrief(doc("deposit", "a", end + 2)));
    Violation v = only(s.send("{\"type\":\"deposit\",\"id\":\"a\",\"ts\":" + (end + 3) + ",\"n\":100}"));
    assertEquals("invariant small Acct a @9", Specs.brief(v));
    assertEquals("{\"balance\":110,\"closed\":false}", state(v));
    assertEquals(List.of("a", "b"), s.monitor.runtimes().get(0).liveKeys("Acct").stream().sorted().toList());
  }

  @Test
  void theEventThatMovesTheWatermarkPastTheEndFindsAFreshInstance() {
    Session s = Session.of(spec(""));
    s.sendAll(doc("close", "a", T0));
    assertEquals(List.of(), s.sendBrief(doc("deposit", "a", T0 + 7 * DAY)));
    Violation v = only(s.send("{\"type\":\"deposit\",\"id\":\"a\",\"ts\":" + (T0 + 7 * DAY) + ",\"n\":95}"));
    assertEquals("{\"balance\":105,\"closed\":false}", state(v), "a fresh instance: 0 + 10 + 95");
  }

  @Test
  void latenessDelaysForgetting() {
    Session s = Session.of(spec("; lateness 1h"));
    s.sendAll(doc("close", "a", T0));
    assertEquals(List.of("transition deposit Acct a @2"), s.sendBrief(doc("deposit", "a", T0 + 7 * DAY)));
    assertEquals(List.of("transition deposit Acct a @3"),
        s.sendBrief(doc("deposit", "a", T0 + 7 * DAY + 3_600_000 - 1)));
    assertEquals(List.of(), s.sendBrief(doc("deposit", "a", T0 + 7 * DAY + 3_600_000)));
  }

  @Test
  void withoutEventTimeAnEndedInstanceIsNeverForgotten() {
    Session s = Session.of(spec("").replace("input { time ts }", ""));
    s.sendAll(doc("close", "a", 0));
    for (long t : new long[] {T0, T0 + 30 * DAY}) {
      assertEquals(1, s.sendBrief(doc("deposit", "a", t)).size());
    }
  }

  @Test
  void endsWhenIsEvaluatedAfterAnEventWithoutHandler() {
    Session s = Session.of("spec ending\ninput { time ts }\nentity G key id { until: time; granted: bool\n"
        + "  ends when granted and now >= until }\n"
        + "event grant for G when type == \"grant\" { until: time }\n"
        + "on grant(e) { until = e.until; granted = true }\n"
        + "event tick for G when type == \"tick\"\n");
    s.sendAll("{\"type\":\"grant\",\"id\":\"g\",\"ts\":1000,\"until\":5000}",
        "{\"type\":\"tick\",\"id\":\"g\",\"ts\":4999}", "{\"type\":\"tick\",\"id\":\"g\",\"ts\":5000}");
    assertEquals(List.of("transition tick G g @4"), s.sendBrief("{\"type\":\"tick\",\"id\":\"g\",\"ts\":5001}"));
  }

  @Test
  void endingDisarmsDeadlinesAndTheEndingEventArmsNone() {
    Session s = Session.of(spec("") + "deadline settle: after deposit or close expect note within 1m\n");
    s.sendAll(doc("deposit", "a", T0), doc("close", "a", T0 + 1000), doc("close", "b", T0 + 1000));
    assertEquals(List.of(), s.sendBrief(doc("deposit", "c", T0 + 3_600_000)));
    assertEquals(List.of("deadline settle Acct c @5"), s.sendBrief(doc("deposit", "d", T0 + 7_200_000)));
  }

  @Test
  void aFaultInEndsWhenIsAnErrorAndTheEventChangesNothing() {
    Session s = Session.of("spec ending\nentity A key id { n: int; d: int\n  ends when n / d > 1 }\n"
        + "event put for A when type == \"put\" { n: int; d: int }\non put(e) { n = e.n; d = e.d }\n");
    assertEquals(List.of(), s.sendBrief("{\"type\":\"put\",\"id\":\"a\",\"n\":1,\"d\":1}"));
    Violation v = only(s.send("{\"type\":\"put\",\"id\":\"a\",\"n\":5,\"d\":0}"));
    assertEquals("error put A a @2", Specs.brief(v));
    assertEquals("{\"n\":1,\"d\":1}", state(v));
    assertEquals(List.of(), s.sendBrief("{\"type\":\"put\",\"id\":\"a\",\"n\":5,\"d\":5}"), "not ended");
    assertEquals(List.of(), s.sendBrief("{\"type\":\"put\",\"id\":\"a\",\"n\":10,\"d\":5}"), "ends now");
    assertEquals(List.of("transition put A a @5"), s.sendBrief("{\"type\":\"put\",\"id\":\"a\",\"n\":1,\"d\":1}"));
  }

  /**
   * At the top of the time range: an end whose 7 days reach past the largest time is never
   * forgotten, even by a watermark at the largest time (a forget time capped there was reached,
   * and forgot instances that had ended moments before); one whose forget time fits is.
   */
  @Test
  void anInstanceWhoseForgetTimeIsPastTheLargestTimeIsNeverForgotten() {
    Session s = Session.of(spec(""));
    long max = Long.MAX_VALUE;
    s.sendAll(doc("close", "late", max - 807), doc("close", "fits", max - 7 * DAY - 1));
    assertEquals(List.of("transition deposit Acct late @3"),
        s.sendBrief(doc("deposit", "late", max - 1)));
    assertEquals(List.of("transition deposit Acct late @4"),
        s.sendBrief(doc("deposit", "late", max)), "the watermark at the largest time");
    assertEquals(List.of(), s.sendBrief(doc("deposit", "fits", max)),
        "forgotten: its forget time, the largest time minus 1 ms, is reached");
    assertEquals(1, s.monitor.runtimes().get(0).stats().forgotten);
  }

  @Test
  void endedInstancesLeaveMemoryWhenTheWatermarkPassesTheirForgetTimeWithoutAnotherEvent() {
    Session s = Session.of(spec(""));
    for (int i = 0; i < 100; i++) {
      s.sendAll(doc("deposit", "k" + i, T0), doc("close", "k" + i, T0 + 1));
    }
    s.sendAll(doc("deposit", "open", T0 + 2));
    RuntimeStats held = s.monitor.runtimes().get(0).stats();
    assertEquals(101, held.liveInstances, "ended instances are held until forgotten");
    assertEquals(0, held.forgotten);
    assertEquals(List.of(), s.sendBrief(doc("deposit", "open", T0 + 1 + 7 * DAY)));
    RuntimeStats after = s.monitor.runtimes().get(0).stats();
    assertEquals(100, after.forgotten, "forgotten by the watermark, not by an event for them");
    assertEquals(1, after.liveInstances);
    assertEquals(List.of("open"), s.monitor.runtimes().get(0).liveKeys("Acct"));
  }
}
