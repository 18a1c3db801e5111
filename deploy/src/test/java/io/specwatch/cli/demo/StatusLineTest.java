package io.specwatch.cli.demo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.specwatch.core.ViolationKind;
import io.specwatch.core.engine.RuntimeStats;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class StatusLineTest {
  private long now;
  private DemoSnapshot current = snapshot(0, List.of());

  private static DemoSnapshot snapshot(long documents, List<ViolationCounter.Count> violations) {
    RuntimeStats s = new RuntimeStats();
    s.spec = "payments";
    s.liveInstances = 1234;
    return new DemoSnapshot(documents, 17, PaymentSimulator.START + 3_600_000, List.of(s), violations);
  }

  private static ViolationCounter.Count count(ViolationKind kind, String rule, long n) {
    return new ViolationCounter.Count(new ViolationCounter.Rule("payments", kind, rule), n);
  }

  @Test
  void showsRateTotalsBacklogAndTheFiveRulesWithTheMostViolations() {
    List<ViolationCounter.Count> counts = new ArrayList<>(List.of(
        count(ViolationKind.DEADLINE, "settle", 60), count(ViolationKind.TRANSITION, "captured", 50),
        count(ViolationKind.TRANSITION, "refunded", 40), count(ViolationKind.MALFORMED, null, 30),
        count(ViolationKind.INVARIANT, "capture_within_authorization", 20),
        count(ViolationKind.INVARIANT, "refund_within_capture", 10)));
    assertEquals("5,000 ev/s | 125,000 events | event time 2026-03-02T10:00Z | 1,234 live | backlog 17 | "
            + "violations 210: settle 60, captured 50, refunded 40, malformed 30, capture_within_authorization 20",
        StatusLine.format(snapshot(125_000, counts), 5000));
  }

  @Test
  void rulesWithoutViolationsAreNotListed() {
    assertEquals("0 ev/s | 10 events | event time 2026-03-02T10:00Z | 1,234 live | backlog 17 | "
            + "violations 1: settle 1",
        StatusLine.format(snapshot(10, List.of(count(ViolationKind.DEADLINE, "settle", 1),
            count(ViolationKind.TRANSITION, "captured", 0))), 0));
  }

  @Test
  void onATerminalTheLineIsRedrawnInPlaceAndAlertsPrintAboveIt() {
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    StatusLine line = new StatusLine(new PrintStream(err, true, StandardCharsets.UTF_8), true,
        () -> current, () -> now);
    now += 1_000_000_000L;
    current = snapshot(5000, List.of());
    line.refresh();
    String first = "5,000 ev/s | 5,000 events | event time 2026-03-02T10:00Z | 1,234 live | backlog 17 | violations 0";
    assertEquals("\r" + first, err.toString(StandardCharsets.UTF_8));

    err.reset();
    List<String> printed = new ArrayList<>();
    line.printAbove(() -> printed.add("alert"));
    assertEquals(List.of("alert"), printed);
    assertEquals("\r" + " ".repeat(first.length()) + "\r" + first, err.toString(StandardCharsets.UTF_8));

    err.reset();
    now += 1_000_000_000L;
    current = snapshot(7000, List.of());
    line.refresh(); // a shorter line: blanks cover the rest of the longer one
    String second = "2,000 ev/s | 7,000 events | event time 2026-03-02T10:00Z | 1,234 live | backlog 17 | violations 0";
    assertEquals("\r" + second, err.toString(StandardCharsets.UTF_8));

    err.reset();
    now += 1_000_000_000L;
    line.close(); // 7,000 events in 3 s
    assertEquals("\r2,333 ev/s average | 7,000 events | event time 2026-03-02T10:00Z | 1,234 live | "
        + "backlog 17 | violations 0" + System.lineSeparator(), err.toString(StandardCharsets.UTF_8));
  }

  @Test
  void elsewhereEachRefreshIsALineOfItsOwn() {
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    StatusLine line = new StatusLine(new PrintStream(err, true, StandardCharsets.UTF_8), false,
        () -> current, () -> now);
    now += 5_000_000_000L;
    current = snapshot(25_000, List.of(count(ViolationKind.DEADLINE, "settle", 3)));
    line.refresh();
    List<String> printed = new ArrayList<>();
    line.printAbove(() -> printed.add("alert"));
    assertEquals(List.of("alert"), printed);
    assertEquals("5,000 ev/s | 25,000 events | event time 2026-03-02T10:00Z | 1,234 live | backlog 17 | "
        + "violations 3: settle 3\n", err.toString(StandardCharsets.UTF_8));
  }
}
