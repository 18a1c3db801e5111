package io.specwatch.alert;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.specwatch.core.Position;
import io.specwatch.core.Violation;
import io.specwatch.core.ViolationKind;
import io.specwatch.core.program.Program;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class AlertFactoryTest {
  private static final Instant T0 = Instant.parse("2026-06-01T12:00:00Z");
  private final List<Program> programs = TestSpecs.orders();
  private final List<Violation> violations = TestSpecs.check(programs, TestSpecs.ORDERS_LOG);
  private final AlertFactory factory = new AlertFactory(RuleCatalog.of(programs),
      AlertSettings.defaults().withSeverities("warning", Map.of("orders/no_overpayment", "critical",
          "ship_sla", "page")).withLinks("http://127.0.0.1:9464/", "https://traces.example/t/{trace_id}", "orders.jsonl"));

  private Violation find(ViolationKind kind) {
    return violations.stream().filter(v -> v.kind() == kind).findFirst().orElseThrow();
  }

  @Test
  void anInvariantAlertIsLabelledByRuleAndCarriesTheDocCommentAndState() {
    Alert a = factory.alertFor(find(ViolationKind.INVARIANT), T0, 1);
    assertEquals(Map.of("alertname", "no_overpayment", "spec", "orders", "kind", "invariant",
        "entity", "Order", "severity", "critical", "key", "o-2"), a.labels());
    assertEquals("Customers never pay more than the order total.", a.annotation("summary"));
    assertEquals("{\"status\":\"Paid\",\"total\":1000,\"paid\":1500}", a.annotation("state"));
    assertEquals("{\"line\":4}", a.annotation("position"));
    assertEquals("2026-05-04T11:02:00.000Z", a.annotation("event_time"));
    assertEquals("specwatch check orders.sw --events orders.jsonl  # the violation is at line 4",
        a.annotation("reproduce"));
    assertTrue(a.firing());
    assertEquals(T0, a.startsAt());
    assertEquals("http://127.0.0.1:9464/", a.generatorUrl());
    assertTrue(a.violationJson().startsWith("{\"spec\":\"orders\",\"kind\":\"invariant\""), a.violationJson());
    assertNull(a.annotation("trace_url"), "a line position has no trace");
  }

  @Test
  void aTransitionAlertNamesTheFailingClauseAndTheOffendingEvent() {
    Violation v = violations.stream().filter(x -> x.kind() == ViolationKind.TRANSITION
        && x.key().equals("o-3")).findFirst().orElseThrow();
    Alert a = factory.alertFor(v, T0, 1);
    assertEquals("shipped", a.label("alertname"));
    assertEquals("warning", a.label("severity"), "no per-rule setting: the default");
    // The event declaration has no doc comment: the summary is its documented handler's.
    assertEquals("Only a paid order ships.", a.annotation("summary"));
    assertEquals("event `shipped` on Order `o-3`", a.annotation("event"));
    String d = a.annotation("description");
    assertTrue(d.contains("requires `status == Paid` does not hold"), d);
    assertTrue(d.contains("Position: {\"line\":8}"), d);
    assertTrue(d.contains("Reproduce: specwatch check orders.sw --events orders.jsonl"), d);
  }

  @Test
  void aDeadlineAlertTakesItsSeverityFromTheRuleNameAlone() {
    Alert a = factory.alertFor(find(ViolationKind.DEADLINE), T0, 1);
    assertEquals("ship_sla", a.label("alertname"));
    assertEquals("page", a.label("severity"));
    assertEquals("A paid order ships within two days.", a.annotation("summary"));
  }

  @Test
  void aPositionWithATraceIdGetsATraceLinkAndAKafkaPositionAKcatCommand() {
    Violation base = find(ViolationKind.INVARIANT);
    Position otlp = sb -> sb.append("\"source\":\"otlp-http\",\"request\":3,\"record\":1,\"trace_id\":\"5b8efff7\"");
    Alert a = factory.alertFor(withPosition(base, otlp), T0, 1);
    assertEquals("https://traces.example/t/5b8efff7", a.annotation("trace_url"));
    assertTrue(a.annotation("description").contains("Trace: https://traces.example/t/5b8efff7"));
    assertTrue(a.annotation("reproduce").contains("after exporting the documents up to"), a.annotation("reproduce"));

    Position kafka = sb -> sb.append("\"topic\":\"audit\",\"partition\":2,\"offset\":41");
    String cmd = factory.alertFor(withPosition(base, kafka), T0, 1).annotation("reproduce");
    assertTrue(cmd.startsWith("kcat -C -t audit -p 2 -o beginning -c 42 -e > orders.jsonl && specwatch check orders.sw"), cmd);
  }

  @Test
  void aDeadlineWithoutATraceOfItsOwnLinksToTheTraceThatArmedIt() {
    Violation deadline = find(ViolationKind.DEADLINE);
    Position armedBy = sb -> sb.append("\"source\":\"otlp-grpc\",\"request\":7,\"record\":3,"
        + "\"trace_id\":\"4bf92f3577b34da6a3ce929d0e0e4736\",\"span_id\":\"00f067aa0ba902b7\"");
    Alert a = factory.alertFor(withArmedAt(deadline, deadline.position(), armedBy), T0, 1);
    assertEquals("4bf92f3577b34da6a3ce929d0e0e4736", a.annotation("trace_id"));
    assertEquals("00f067aa0ba902b7", a.annotation("span_id"));
    assertEquals("https://traces.example/t/4bf92f3577b34da6a3ce929d0e0e4736", a.annotation("trace_url"));
    assertEquals("{\"source\":\"otlp-grpc\",\"request\":7,\"record\":3,"
        + "\"trace_id\":\"4bf92f3577b34da6a3ce929d0e0e4736\",\"span_id\":\"00f067aa0ba902b7\"}",
        a.annotation("armed_at"));
    String d = a.annotation("description");
    assertTrue(d.contains("armed by the document at {\"source\":\"otlp-grpc\",\"request\":7"), d);
    assertTrue(d.contains("Trace: https://traces.example/t/4bf92f3577b34da6a3ce929d0e0e4736"), d);
    assertEquals("{\"line\":8}", a.annotation("position"), "the position is still the contract's");
    assertTrue(a.violationJson().contains(",\"armed_at\":{\"source\":\"otlp-grpc\""), a.violationJson());
  }

  @Test
  void theTraceThatArmedADeadlineWinsOverTheOneThatMovedTimePastIt() {
    Violation deadline = find(ViolationKind.DEADLINE);
    Position own = sb -> sb.append("\"source\":\"otlp-http\",\"request\":9,\"record\":0,\"trace_id\":\"aaaa\"");
    Position armedBy = sb -> sb.append("\"source\":\"otlp-http\",\"request\":2,\"record\":0,"
        + "\"trace_id\":\"bbbb\",\"span_id\":\"cc\"");
    Alert a = factory.alertFor(withArmedAt(deadline, own, armedBy), T0, 1);
    assertEquals("bbbb", a.annotation("trace_id"));
    assertEquals("cc", a.annotation("span_id"), "ids come from one position, never mixed");
    assertEquals("https://traces.example/t/bbbb", a.annotation("trace_url"));
    assertTrue(a.annotation("position").contains("\"trace_id\":\"aaaa\""),
        "the contract's position is still shown");
  }

  @Test
  void withoutATraceUrlTemplateTheTraceIdIsStillGiven() {
    AlertFactory noLinks = new AlertFactory(RuleCatalog.of(programs), AlertSettings.defaults());
    Violation deadline = find(ViolationKind.DEADLINE);
    Position armedBy = sb -> sb.append("\"trace_id\":\"4bf9\",\"span_id\":\"00f0\"");
    Alert a = noLinks.alertFor(withArmedAt(deadline, deadline.position(), armedBy), T0, 1);
    assertNull(a.annotation("trace_url"));
    assertEquals("4bf9", a.annotation("trace_id"));
    assertTrue(a.annotation("description").contains("Trace id: 4bf9"), a.annotation("description"));
  }

  @Test
  void anAlertWhoseInvariantHoldsAgainCarriesTheRepairingDocument() {
    Alert firing = factory.alertFor(find(ViolationKind.INVARIANT), T0, 1);
    Alert held = factory.heldAgain(firing, sb -> sb.append("\"line\":12"), 1_780_000_000_000L);
    assertEquals(firing.labels(), held.labels(), "the same alert");
    assertEquals("{\"line\":12}", held.annotation("held_again_at"));
    assertEquals("2026-05-28T20:26:40.000Z", held.annotation("held_again_time"));
    assertEquals(firing.annotation("summary"), held.annotation("summary"));
    assertEquals(firing.annotations(), factory.heldAgain(firing, null, null).annotations(),
        "nothing known, nothing added");
  }

  @Test
  void aMalformedDocumentHasNoRuleSoItsAlertIsNamedByKind() {
    Violation v = new Violation("orders", ViolationKind.MALFORMED, null, null, null,
        sb -> sb.append("\"line\":9"), null, "not valid JSON", null);
    Alert a = factory.alertFor(v, T0, 1);
    assertEquals("malformed", a.label("alertname"));
    assertFalse(a.labels().containsKey("entity"));
    assertEquals("", a.label("key"));
    assertEquals("not valid JSON", a.annotation("summary"));
  }

  @Test
  void aGroupAlertCountsAndListsExamplesWithoutAKeyLabel() {
    Violation v = find(ViolationKind.INVARIANT);
    Alert g = factory.groupAlertFor(v, T0, 1234, List.of("a", "b"), v);
    assertEquals("true", g.label("grouped"));
    assertFalse(g.labels().containsKey("key"));
    assertEquals("1234", g.annotation("grouped_violations"));
    assertEquals("a, b", g.annotation("example_keys"));
    assertEquals("Customers never pay more than the order total.", g.annotation("summary"));
  }

  @Test
  void aHugeMessageIsTruncatedInTheAnnotationsButKeptWholeInTheViolationLine() {
    String huge = "x".repeat(100_000);
    Violation v = new Violation("orders", ViolationKind.MALFORMED, null, null, null,
        sb -> sb.append("\"line\":9"), null, huge, null);
    Alert a = factory.alertFor(v, T0, 1);
    for (String value : a.annotations().values()) {
      assertTrue(value.length() <= AlertFactory.MAX_ANNOTATION_CHARS, "annotation of " + value.length());
    }
    assertTrue(a.annotation("summary").endsWith("... (truncated; 100000 chars in all)"));
    assertTrue(a.violationJson().contains(huge));
  }

  private static Violation withArmedAt(Violation v, Position p, Position armedAt) {
    return new Violation(v.spec(), v.kind(), v.rule(), v.entity(), v.key(), p, v.time(), v.message(),
        v.state(), armedAt);
  }

  private static Violation withPosition(Violation v, Position p) {
    return new Violation(v.spec(), v.kind(), v.rule(), v.entity(), v.key(), p, v.time(), v.message(), v.state());
  }
}
