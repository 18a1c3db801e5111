package io.specwatch.spec;

import static io.specwatch.spec.Specs.errors;
import static io.specwatch.spec.Specs.only;
import static io.specwatch.spec.Specs.state;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.specwatch.core.Violation;
import io.specwatch.spec.Specs.Session;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Invariants: edge-triggered, resolved, checked only after a handler ran, compile-time checks. */
class InvariantsTest {
  private static final String SPEC = "spec inv\ninput { time ts }\nentity Acct key id { balance: int; frozen: bool }\n"
      + "event put for Acct when type == \"put\" { to: int }\n"
      + "event note for Acct when type == \"note\"\n"
      + "event overflow for Acct when type == \"overflow\"\n"
      + "on put(e) { balance = e.to }\n"
      + "on overflow { balance = 9223372036854775807; balance += 1 }\n"
      + "/// Balances never go negative.\ninvariant non_negative: balance >= 0\n"
      + "invariant under_limit: balance < 100\n";

  private static String set(int line, long to) {
    return "{\"type\":\"put\",\"id\":\"a\",\"ts\":" + line + ",\"to\":" + to + "}";
  }

  @Test
  void reportedOnceWhenItStopsHoldingAndAgainAfterItWasResolved() {
    Session s = Session.of(SPEC);
    Violation v = only(s.send(set(1, -1)));
    assertEquals("invariant non_negative Acct a @1", Specs.brief(v));
    assertEquals("Balances never go negative.", v.message());
    assertEquals("{\"balance\":-1,\"frozen\":false}", state(v), "the state after the event");
    assertEquals(1L, v.time());
    assertEquals(List.of(), s.sendBrief(set(2, -5)), "still broken: not reported again");
    assertEquals(List.of(), s.sendBrief(set(3, 5)), "resolved: not a violation");
    assertEquals(1, s.monitor.runtimes().get(0).stats().invariantResolutions);
    assertEquals(List.of("invariant non_negative Acct a @4"), s.sendBrief(set(4, -2)));
  }

  @Test
  void invariantsAreCheckedInSourceOrderAndEachIsItsOwnEdge() {
    Session s = Session.of(SPEC.replace("invariant under_limit: balance < 100",
        "invariant under_limit: balance < 100\ninvariant small: balance < 10 or balance < 0"));
    assertEquals(List.of("invariant under_limit Acct a @1", "invariant small Acct a @1"),
        s.sendBrief(set(1, 200)));
    assertEquals(List.of("invariant non_negative Acct a @2"), s.sendBrief(set(2, -200)));
    // At -200 `under_limit` and `small` held again (resolved); at 200 both break again.
    assertEquals(List.of("invariant under_limit Acct a @3", "invariant small Acct a @3"),
        s.sendBrief(set(3, 200)));
    assertEquals(List.of(), s.sendBrief(set(4, 300)));
  }

  @Test
  void generatedMessageWithoutADocComment() {
    Session s = Session.of(SPEC);
    assertEquals("invariant `under_limit` does not hold", only(s.send(set(1, 100))).message());
  }

  @Test
  void eachInstanceHasItsOwnEdge() {
    Session s = Session.of(SPEC);
    assertEquals(List.of("invariant non_negative Acct a @1"), s.sendBrief(set(1, -1)));
    assertEquals(List.of("invariant non_negative Acct b @2"),
        s.sendBrief("{\"type\":\"put\",\"id\":\"b\",\"ts\":2,\"to\":-1}"));
  }

  @Test
  void notCheckedAfterAnEventWithoutHandlerATransitionOrAnError() {
    Session s = Session.of(SPEC.replace("on put(e) { balance = e.to }",
        "on put(e) requires e.to != 7 { balance = e.to }"));
    assertEquals(List.of(), s.sendBrief("{\"type\":\"note\",\"id\":\"a\",\"ts\":1}"));
    assertEquals(List.of("error overflow Acct a @2"), s.sendBrief("{\"type\":\"overflow\",\"id\":\"a\",\"ts\":2}"));
    assertEquals(List.of("transition put Acct a @3"), s.sendBrief(set(3, 7)));
  }

  @Test
  void invariantsMayUseNow() {
    Session s = Session.of("spec inv\ninput { time ts }\nentity G key id { until: time }\n"
        + "event grant for G when type == \"grant\" { until: time }\non grant(e) { until = e.until }\n"
        + "event touch for G when type == \"touch\"\non touch { }\n"
        + "invariant not_expired: now - until < 1s or until - now >= 0s\n");
    assertEquals(List.of(), s.sendBrief("{\"type\":\"grant\",\"id\":\"g\",\"ts\":1000,\"until\":5000}"));
    assertEquals(List.of(), s.sendBrief("{\"type\":\"touch\",\"id\":\"g\",\"ts\":5999}"));
    assertEquals(List.of("invariant not_expired G g @3"),
        s.sendBrief("{\"type\":\"touch\",\"id\":\"g\",\"ts\":6000}"));
  }

  @Test
  void falseInTheInitialStateIsACompileError() {
    String e = errors("spec inv\nentity G key id { reviewer: string; principal: string }\n"
        + "invariant four_eyes: reviewer != principal\n");
    assertTrue(e.contains("t.sw:3:11: error: invariant `four_eyes` does not hold in the initial state of `G`"), e);
    // Written with `implies`, as the reference advises, it compiles.
    Session.of("spec inv\nentity G key id { reviewed: bool; reviewer: string; principal: string }\n"
        + "invariant four_eyes: reviewed implies reviewer != principal\n");
  }

  @Test
  void explicitInitialValuesAndNowAtEpochZeroAreUsed() {
    Session.of("spec inv\nentity G key id { n: int = 5 }\ninvariant positive: n > 0\n");
    assertTrue(errors("spec inv\nentity G key id { n: int = -5 }\ninvariant positive: n > 0\n")
        .contains("does not hold in the initial state"));
    Session.of("spec inv\nentity G key id { t: time }\ninvariant at_epoch: now == t\n");
    assertTrue(errors("spec inv\nentity G key id { t: time = 1 }\ninvariant at_epoch: now == t\n")
        .contains("`at_epoch` does not hold in the initial state"));
    assertTrue(errors("spec inv\nentity G key id { t: time = \"2026-03-02T09:00:00Z\" }\n"
        + "invariant future: t - now < 1d\n").contains("`future` does not hold in the initial state"));
  }

  @Test
  void aFaultInTheInitialStateIsACompileError() {
    String e = errors("spec inv\nentity G key id { used: int; quota: int }\ninvariant half: used * 2 / quota < 1\n");
    assertTrue(e.contains("t.sw:3:11: error: invariant `half` cannot be evaluated in the initial state of `G`: division by zero"), e);
    e = errors("spec inv\nentity G key id { n: int = 9223372036854775807 }\ninvariant i: n + 1 > 0\n");
    assertTrue(e.contains("cannot be evaluated in the initial state of `G`: 64-bit overflow"), e);
    e = errors("spec inv\nentity G key id { n: int }\ninvariant i: now - 9223372036854775807ms - 2ms < now\n");
    assertTrue(e.contains("cannot be evaluated in the initial state of `G`: 64-bit overflow"), e);
    e = errors("spec inv\nentity G key id { n: int }\ninvariant i: n % 0 == 0\n");
    assertTrue(e.contains("division by zero"), e);
    // Short-circuits apply in the initial state too.
    Session.of("spec inv\nentity G key id { quota: int }\ninvariant i: quota == 0 or 10 / quota > 1\n");
  }

  @Test
  void forEntityIsNeededWithSeveralEntities() {
    String e = errors("spec inv\nentity A key id { n: int }\nentity B key id { m: int }\ninvariant i: n >= 0\n");
    assertTrue(e.contains("t.sw:4:11: error: an invariant needs `for ENTITY` when the spec has 2 entities: "
        + "expected `for A` or `for B` before the `:`"), e);
    assertTrue(errors("spec inv\nentity A key id { n: int }\nentity B key id { m: int }\ninvariant i for B: n >= 0\n")
        .contains("unknown name `n`: expected a state variable of `B` (m) or `now`"));
    assertTrue(errors("spec inv\nentity A key id { n: int }\ninvariant i for C: n >= 0\n")
        .contains("t.sw:3:17: error: unknown entity `C`: expected one of the declared entities (A)"));
    Session s = Session.of("spec inv\nentity A key id { n: int }\nentity B key id { m: int }\n"
        + "event b for B when type == \"b\"\non b { m -= 1 }\ninvariant i\n  for B: m >= 0\n");
    assertEquals(List.of("invariant i B x @1"), s.sendBrief("{\"type\":\"b\",\"id\":\"x\"}"));
  }

  @Test
  void invariantsReadStateNotEvents() {
    assertTrue(errors("spec inv\nentity A key id { n: int }\ninvariant i: e.n >= 0\n")
        .contains("unknown name `e`: to read the event's fields, name it in the handler, as in `on EVENT(e)`"));
  }

  @Test
  void aFaultInAnInvariantIsAnErrorAndDiscardsTheEvent() {
    Session s = Session.of("spec inv\nentity A key id { n: int = 1 }\n"
        + "event put for A when type == \"put\" { n: int }\non put(e) { n = e.n }\n"
        + "invariant ratio: 10 / n > 0 or n < 0\n");
    Violation v = only(s.send("{\"type\":\"put\",\"id\":\"a\",\"n\":0}"));
    assertEquals("error put A a @1", Specs.brief(v));
    assertEquals("division by zero", v.message());
    assertEquals("{\"n\":1}", state(v));
    assertEquals(List.of("invariant ratio A a @2"), s.sendBrief("{\"type\":\"put\",\"id\":\"a\",\"n\":20}"));
  }
}
