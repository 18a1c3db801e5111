package io.specwatch.alert;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.specwatch.core.Violation;
import io.specwatch.core.ViolationKind;
import io.specwatch.core.program.Program;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class AlertTrackerTest {
  private final List<Program> programs = TestSpecs.orders();
  private final MutableClock clock = new MutableClock(Instant.parse("2026-06-01T12:00:00Z"));
  private final RecordingSink out = new RecordingSink();
  private final AlertSettings settings = AlertSettings.defaults()
      .withResolution(Duration.ofMinutes(5), Duration.ofMinutes(30))
      .withGrouping(3, 2).withUpdateInterval(Duration.ofSeconds(10));
  private final AlertTracker tracker = new AlertTracker(
      new AlertFactory(RuleCatalog.of(programs), settings), settings, out, clock);

  private List<Violation> shipmentsOf(String... keys) {
    List<String> lines = new ArrayList<>();
    for (int i = 0; i < keys.length; i++) {
      lines.add(TestSpecs.unpaidShipment(keys[i], i));
    }
    return TestSpecs.check(programs, lines);
  }

  private Violation invariantViolation() {
    return TestSpecs.check(programs, TestSpecs.ORDERS_LOG).stream()
        .filter(v -> v.kind() == ViolationKind.INVARIANT).findFirst().orElseThrow();
  }

  @Test
  void aViolationFiresAnAlertAndARepeatUpdatesItWithoutANewStart() {
    List<Violation> vs = shipmentsOf("k1", "k1");
    tracker.accept(vs.get(0));
    clock.advance(Duration.ofSeconds(30));
    tracker.accept(vs.get(1));
    List<Alert> got = out.takeAll();
    assertEquals(2, got.size());
    assertEquals(got.get(0).labels(), got.get(1).labels(), "same identity: an update");
    assertEquals(got.get(0).startsAt(), got.get(1).startsAt());
    assertEquals("2", got.get(1).annotation("occurrences"));
    assertEquals(1, tracker.firingAlerts());
  }

  @Test
  void repeatsOfAHotKeyAreCoalescedIntoOneUpdatePerInterval() {
    List<Violation> vs = shipmentsOf("hot", "hot", "hot", "hot");
    vs.forEach(tracker::accept);
    assertEquals(1, out.takeAll().size(), "the first fires at once; repeats wait for the interval");
    clock.advance(Duration.ofSeconds(5));
    tracker.tick();
    assertTrue(out.takeAll().isEmpty());
    clock.advance(Duration.ofSeconds(5));
    tracker.tick();
    List<Alert> got = out.takeAll();
    assertEquals(1, got.size());
    assertEquals("4", got.get(0).annotation("occurrences"));
    assertTrue(got.get(0).firing());
  }

  @Test
  void aTransitionAlertResolvesAfterTheQuietPeriodAndNotBefore() {
    tracker.accept(shipmentsOf("k1").get(0));
    out.takeAll();
    clock.advance(Duration.ofMinutes(5).minusSeconds(1));
    tracker.tick();
    assertTrue(out.takeAll().isEmpty(), "still within the quiet period");
    clock.advance(Duration.ofSeconds(1));
    tracker.tick();
    List<Alert> got = out.takeAll();
    assertEquals(1, got.size());
    assertFalse(got.get(0).firing());
    assertEquals(clock.instant(), got.get(0).endsAt());
    assertEquals(0, tracker.firingAlerts());
  }

  @Test
  void anInvariantResolvesWhenTheRuntimeSaysItHoldsOrElseAfterItsOwnQuietPeriod() {
    Violation v = invariantViolation();
    tracker.accept(v);
    clock.advance(Duration.ofMinutes(10));
    tracker.tick();
    assertEquals(1, out.takeAll().size(), "only the firing alert: invariants wait 30 minutes, not 5");
    tracker.invariantHolds("orders", "no_overpayment", "Order", "o-2", null, clock.millis());
    List<Alert> resolved = out.takeAll();
    assertEquals(1, resolved.size());
    assertFalse(resolved.get(0).firing());

    tracker.accept(v);
    clock.advance(Duration.ofMinutes(30));
    tracker.tick();
    List<Alert> got = out.takeAll();
    assertEquals(2, got.size());
    assertFalse(got.get(1).firing(), "resolved by the quiet-period fallback");
  }

  @Test
  void theEnginesHoldsSignalResolvesAtOnceWithTheRepairingDocumentAsEvidence() {
    Violation v = invariantViolation();
    tracker.accept(v);
    out.takeAll();
    clock.advance(Duration.ofSeconds(1));
    tracker.invariantHolds("orders", "no_overpayment", "Order", "o-2", sb -> sb.append("\"line\":9"),
        v.time() + 60_000);
    List<Alert> got = out.takeAll();
    assertEquals(1, got.size());
    Alert resolved = got.get(0);
    assertFalse(resolved.firing());
    assertEquals(clock.instant(), resolved.endsAt(), "wall-clock time, like startsAt");
    assertEquals("o-2", resolved.label("key"));
    assertEquals("{\"line\":9}", resolved.annotation("held_again_at"));
    assertEquals("2026-05-04T11:03:00.000Z", resolved.annotation("held_again_time"));
    assertEquals(0, tracker.firingAlerts());

    tracker.invariantHolds("orders", "no_overpayment", "Order", "o-2", null, 0);
    tracker.invariantHolds("orders", "no_overpayment", "Order", "never-fired", null, 0);
    assertTrue(out.takeAll().isEmpty(), "a signal for no firing alert publishes nothing");
    tracker.accept(v);
    assertTrue(out.takeAll().get(0).firing(), "broken again: a new alert");
  }

  @Test
  void aResolutionCarriesTheLatestEvidenceNotYetPublished() {
    Violation v = invariantViolation();
    tracker.accept(v);
    tracker.accept(v); // within the update interval: held back
    assertEquals(1, out.takeAll().size());
    tracker.invariantHolds("orders", "no_overpayment", "Order", "o-2", null, 0);
    Alert resolved = out.takeAll().get(0);
    assertFalse(resolved.firing());
    assertEquals("2", resolved.annotation("occurrences"));
  }

  @Test
  void aHoldsSignalForAKeyInTheGroupLeavesTheGroupToItsQuietPeriod() {
    AlertSettings one = settings.withGrouping(1, 2);
    AlertTracker small = new AlertTracker(new AlertFactory(RuleCatalog.of(programs), one), one, out, clock);
    Violation v = invariantViolation();
    small.accept(v);
    small.accept(new Violation(v.spec(), v.kind(), v.rule(), v.entity(), "o-other", v.position(),
        v.time(), v.message(), v.state()));
    assertEquals(2, out.takeAll().size(), "o-2's own alert and the group");
    small.invariantHolds("orders", "no_overpayment", "Order", "o-other", null, 0);
    assertTrue(out.takeAll().isEmpty(), "the group keeps no per-key state");
    assertEquals(2, small.firingAlerts());
    clock.advance(Duration.ofMinutes(30));
    small.tick();
    assertEquals(2, out.takeAll().stream().filter(a -> !a.firing()).count());
  }

  @Test
  void beyondTheThresholdKeysAreFoldedIntoOneGroupAlertWithACountAndExamples() {
    List<Violation> vs = shipmentsOf("k1", "k2", "k3", "k4", "k5", "k6", "k7");
    for (Violation v : vs) {
      tracker.accept(v);
    }
    List<Alert> got = out.takeAll();
    // Three keys of their own, then one group alert published as it starts; growth is throttled.
    assertEquals(4, got.size());
    assertEquals("k3", got.get(2).label("key"));
    Alert group = got.get(3);
    assertEquals("true", group.label("grouped"));
    assertEquals("1", group.annotation("grouped_violations"));
    assertEquals(4, tracker.firingAlerts());

    clock.advance(Duration.ofSeconds(10));
    tracker.tick();
    Alert grown = out.takeAll().get(0);
    assertEquals(group.labels(), grown.labels());
    assertEquals("4", grown.annotation("grouped_violations"));
    assertEquals("k4, k5", grown.annotation("example_keys"), "at most two examples");

    clock.advance(Duration.ofMinutes(5));
    tracker.tick();
    List<Alert> resolved = out.takeAll();
    assertEquals(4, resolved.size());
    assertTrue(resolved.stream().noneMatch(Alert::firing));
    assertEquals(0, tracker.firingAlerts());
  }

  @Test
  void aMillionViolationsOfOneRuleMakeABoundedNumberOfAlerts() {
    Violation template = shipmentsOf("k").get(0);
    for (int i = 0; i < 1_000_000; i++) {
      tracker.accept(new Violation(template.spec(), template.kind(), template.rule(), template.entity(),
          "key-" + i, template.position(), template.time(), template.message(), template.state()));
    }
    assertEquals(4, out.takeAll().size(), "three keys and one group");
    assertEquals(4, tracker.firingAlerts());
  }
}
