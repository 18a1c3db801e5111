package io.specwatch.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.specwatch.core.LinePosition;
import io.specwatch.core.Position;
import io.specwatch.core.Violation;
import io.specwatch.core.ViolationKind;
import io.specwatch.core.engine.Monitor;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A deadline's violation keeps the contract's position (the document that moved the watermark)
 * and, when the arming document's position carries trace context, links to it as
 * {@code armed_at}: the trace of the request that never completed.
 */
class DeadlineArmedAtTest {
  @Test
  void aDeadlineArmedByATracedDocumentCarriesItsPosition() {
    Violation fired = fire(new AccountsSpec.TracedPosition("4bf92f3577b34da6a3ce929d0e0e4736"),
        new AccountsSpec.TracedPosition("00f067aa0ba902b700f067aa0ba902b7"));
    assertEquals(new AccountsSpec.TracedPosition("00f067aa0ba902b700f067aa0ba902b7"),
        fired.position(), "the position is still the document that moved the watermark");
    assertEquals(new AccountsSpec.TracedPosition("4bf92f3577b34da6a3ce929d0e0e4736"),
        fired.armedAt());
    assertTrue(fired.toJson().endsWith(
        ",\"armed_at\":{\"trace_id\":\"4bf92f3577b34da6a3ce929d0e0e4736\"}}"), fired.toJson());
  }

  @Test
  void positionsWithoutTraceContextAreNotKept() {
    Violation fired = fire(new LinePosition(1), new LinePosition(2));
    assertEquals(new LinePosition(2), fired.position());
    assertNull(fired.armedAt());
    assertTrue(!fired.toJson().contains("armed_at"), "check's JSON line is unchanged");
  }

  @Test
  void aReArmedDeadlineLinksToTheDocumentThatArmedItLast() {
    Monitor m = new Monitor(List.of(AccountsSpec.program()));
    AccountsSpec.Recorder out = new AccountsSpec.Recorder();
    feed(m, out, AccountsSpec.deposit("e1", "a", 1000, 5), new AccountsSpec.TracedPosition("t1"));
    feed(m, out, AccountsSpec.close("e2", "a", 2000), new AccountsSpec.TracedPosition("t2"));
    feed(m, out, AccountsSpec.deposit("e3", "b", 3000, 5), new AccountsSpec.TracedPosition("t3"));
    feed(m, out, AccountsSpec.deposit("e4", "c", 120_000, 5), new AccountsSpec.TracedPosition("t4"));
    List<Violation> deadlines = out.violations().stream()
        .filter(v -> v.kind() == ViolationKind.DEADLINE).toList();
    assertEquals(1, deadlines.size(), out.events().toString());
    assertEquals("b", deadlines.get(0).key(), "a's deadline was disarmed by its close");
    assertEquals(new AccountsSpec.TracedPosition("t3"), deadlines.get(0).armedAt());
  }

  private static Violation fire(Position arming, Position mover) {
    Monitor m = new Monitor(List.of(AccountsSpec.program()));
    AccountsSpec.Recorder out = new AccountsSpec.Recorder();
    feed(m, out, AccountsSpec.deposit("e1", "a", 1000, 5), arming);
    feed(m, out, AccountsSpec.deposit("e2", "b", 62_000, 5), mover);
    assertEquals(List.of("deadline settle a"), out.events());
    return out.violations().get(0);
  }

  private static void feed(Monitor m, AccountsSpec.Recorder out, byte[] doc, Position pos) {
    m.accept(doc, 0, doc.length, pos, out);
  }
}
