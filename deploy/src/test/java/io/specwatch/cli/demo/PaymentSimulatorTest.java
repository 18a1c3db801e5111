package io.specwatch.cli.demo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.specwatch.cli.demo.DemoTestSupport.Generated;
import io.specwatch.cli.demo.DemoTestSupport.Replay;
import io.specwatch.core.Violation;
import io.specwatch.core.ViolationKind;
import io.specwatch.core.json.Rfc3339;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

class PaymentSimulatorTest {
  private static final long LATENESS = 30_000;
  private static final long SETTLE = 10 * 60_000;

  @Test
  void theSameSeedGivesTheSameLinesAndAnotherSeedOthers() {
    List<Generated> a = DemoTestSupport.generate(new PaymentSimulator(42), 50_000);
    List<Generated> b = DemoTestSupport.generate(new PaymentSimulator(42), 50_000);
    List<Generated> c = DemoTestSupport.generate(new PaymentSimulator(43), 50_000);
    assertEquals(a, b);
    assertNotEquals(a.stream().map(Generated::text).toList(), c.stream().map(Generated::text).toList());
  }

  @Test
  void everyFaultKindOccursInTwentyThousandLinesAtTheDefaultRate() {
    PaymentSimulator sim = new PaymentSimulator(7);
    List<Generated> lines = DemoTestSupport.generate(sim, 20_000);
    Map<Fault, Integer> seen = new EnumMap<>(Fault.class);
    for (Generated g : lines) {
      if (g.fault() != null) {
        seen.merge(g.fault(), 1, Integer::sum);
      }
    }
    long total = 0;
    for (Fault f : Fault.values()) {
      assertTrue(seen.getOrDefault(f, 0) > 0, "no " + f + " in " + seen);
      assertEquals((long) seen.getOrDefault(f, 0), sim.injected(f), f.label());
      total += seen.get(f);
    }
    // About one in 500: 40 expected.
    assertTrue(total >= 25 && total <= 60, "faults: " + seen);
  }

  @Test
  void wellBehavedPaymentsRaiseNoViolation() {
    for (int entities : new int[] {PaymentSimulator.DEFAULT_ENTITIES, 20}) {
      Replay r = DemoTestSupport.replay(new PaymentSimulator(3, entities, 0), 100_000);
      assertTrue(r.violations().isEmpty(), () -> "with " + entities + " entities: "
          + r.violations().stream().limit(5).map(Violation::toJson).toList());
      assertEquals(0, r.stats().duplicates);
      // The traffic exercised the whole lifecycle.
      Set<String> types = new HashSet<>();
      for (Generated g : r.lines()) {
        types.add((String) DemoTestSupport.object(g.text()).get("type"));
      }
      assertEquals(Set.of("payment.authorized", "payment.captured", "payment.refunded",
          "payment.failed"), types, "with " + entities + " entities");
    }
  }

  @Test
  void everyViolationComesFromAFaultAndEveryFaultHasItsVerdict() {
    PaymentSimulator sim = new PaymentSimulator(11, PaymentSimulator.DEFAULT_ENTITIES, 0.01);
    Replay r = DemoTestSupport.replay(sim, 100_000);
    Map<Long, Generated> byLine = new HashMap<>();
    Map<String, Long> neverSettled = new HashMap<>(); // payment -> authorization time
    for (Generated g : r.lines()) {
      byLine.put(g.number(), g);
      if (g.fault() == Fault.NEVER_SETTLED) {
        neverSettled.put(g.paymentId(), g.time());
      }
    }
    Map<Fault, Integer> verdicts = new EnumMap<>(Fault.class);
    Set<String> deadlinesFired = new HashSet<>();
    for (Violation v : r.violations()) {
      long line = ((io.specwatch.core.LinePosition) v.position()).line();
      Generated g = byLine.get(line);
      if (v.kind() == ViolationKind.DEADLINE) {
        assertTrue(neverSettled.containsKey(v.key()), "a deadline for a payment that settled: " + v.toJson());
        assertTrue(deadlinesFired.add(v.key()), "fired twice: " + v.toJson());
        verdicts.merge(Fault.NEVER_SETTLED, 1, Integer::sum);
        continue;
      }
      if (g.fault() == null || g.fault().expectedKind() != v.kind()
          || !java.util.Objects.equals(g.fault().expectedRule(), v.rule())) {
        fail("line " + line + " (" + g.fault() + ": " + g.text() + ") raised " + v.toJson());
      }
      if (v.kind() != ViolationKind.MALFORMED) {
        assertEquals(g.paymentId(), v.key(), v.toJson());
      }
      verdicts.merge(g.fault(), 1, Integer::sum);
    }
    for (Fault f : List.of(Fault.OVER_CAPTURE, Fault.CAPTURE_WITHOUT_AUTHORIZATION,
        Fault.REFUND_AFTER_FAILURE, Fault.MALFORMED)) {
      assertTrue(sim.injected(f) > 0, f.label());
      assertEquals((int) sim.injected(f), verdicts.getOrDefault(f, 0), f.label());
    }
    // Every unsettled payment old enough for the watermark to pass its expiry has fired.
    for (Map.Entry<String, Long> e : neverSettled.entrySet()) {
      if (e.getValue() + SETTLE + LATENESS + 60_000 < r.clock()) {
        assertTrue(deadlinesFired.contains(e.getKey()), "settle never fired for " + e.getKey());
      }
    }
    assertTrue(deadlinesFired.size() > 0);
    assertEquals(sim.injected(Fault.DUPLICATE), r.stats().duplicates);
  }

  @Test
  void eventTimeAdvancesWithTheEventsAndLateDocumentsStayWithinTheLateness() {
    List<Generated> lines = DemoTestSupport.generate(new PaymentSimulator(5, 10_000, 0.02), 50_000);
    long max = Long.MIN_VALUE;
    int late = 0;
    for (Generated g : lines) {
      if (g.fault() == Fault.LATE) {
        late++;
        assertTrue(g.time() < max && max - g.time() < LATENESS,
            "line " + g.number() + " is " + (max - g.time()) + " ms behind");
      } else if (g.fault() != Fault.DUPLICATE) {
        assertTrue(g.time() >= max, "line " + g.number() + " goes back in time");
      }
      max = Math.max(max, g.time());
    }
    assertTrue(late > 0);
    assertEquals(PaymentSimulator.START, lines.get(0).time());
    // About a second of event time per line: a settle deadline is a few hundred lines long.
    long span = max - PaymentSimulator.START;
    assertTrue(span > 10 * 3_600_000L && span < 30 * 24 * 3_600_000L, "span " + span);
  }

  @Test
  void paymentsInFlightNeverExceedTheBound() {
    PaymentSimulator sim = new PaymentSimulator(9, 50, 0.01);
    int most = 0;
    for (int i = 0; i < 100_000; i++) {
      sim.next();
      assertTrue(sim.livePayments() <= 50, "live " + sim.livePayments());
      most = Math.max(most, sim.livePayments());
    }
    assertEquals(50, most);
  }

  @Test
  void documentsLookLikeRealPaymentEvents() {
    Pattern paymentId = Pattern.compile("p-\\d{6,}");
    Set<String> eventIds = new HashSet<>();
    for (Generated g : DemoTestSupport.generate(new PaymentSimulator(13), 20_000)) {
      if (g.fault() == Fault.MALFORMED) {
        continue;
      }
      Map<String, Object> doc = DemoTestSupport.object(g.text());
      String type = (String) doc.get("type");
      assertTrue(type.matches("payment\\.(authorized|captured|refunded|failed)"), type);
      assertEquals(g.time(), Rfc3339.parse((String) doc.get("ts")), g.text());
      assertTrue(paymentId.matcher((String) doc.get("payment_id")).matches(), g.text());
      assertEquals(g.paymentId(), doc.get("payment_id"));
      assertTrue(doc.get("merchant") instanceof Map, g.text());
      assertTrue(doc.get("currency") instanceof String, g.text());
      if (!type.equals("payment.failed")) {
        assertTrue(doc.get("amount_cents") instanceof Long && (Long) doc.get("amount_cents") > 0, g.text());
      }
      String id = (String) doc.get("event_id");
      // Only a duplicate resends an event id.
      assertEquals(g.fault() != Fault.DUPLICATE, eventIds.add(id), g.text());
    }
  }

  @Test
  void aMalformedLineIsATornCopyOfTheDocumentThatFollows() {
    List<Generated> lines = DemoTestSupport.generate(new PaymentSimulator(17, 10_000, 0.05), 20_000);
    int torn = 0;
    for (int i = 0; i + 1 < lines.size(); i++) {
      if (lines.get(i).fault() == Fault.MALFORMED) {
        torn++;
        String cut = lines.get(i).text();
        String whole = lines.get(i + 1).text();
        assertTrue(whole.startsWith(cut) && cut.length() < whole.length() && !cut.isEmpty(), cut);
        assertFalse(cut.contains("\n"));
      }
    }
    assertTrue(torn > 0);
  }

  @Test
  void aDuplicateResendsAnEarlierDocumentByteForByte() {
    List<Generated> lines = DemoTestSupport.generate(new PaymentSimulator(19, 10_000, 0.05), 20_000);
    Set<String> earlier = new HashSet<>();
    int duplicates = 0;
    for (Generated g : lines) {
      if (g.fault() == Fault.DUPLICATE) {
        duplicates++;
        assertTrue(earlier.contains(g.text()), g.text());
      }
      earlier.add(g.text());
    }
    assertTrue(duplicates > 0);
  }

  @Test
  void rejectsABoundOrRateThatMakesNoSense() {
    assertEquals("entities must be at least 1, was 0", assertThrowsIae(() -> new PaymentSimulator(1, 0, 0.1)));
    assertEquals("fault rate must be between 0 and 1, was 1.5",
        assertThrowsIae(() -> new PaymentSimulator(1, 10, 1.5)));
  }

  private static String assertThrowsIae(Runnable r) {
    return org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class, r::run).getMessage();
  }
}
