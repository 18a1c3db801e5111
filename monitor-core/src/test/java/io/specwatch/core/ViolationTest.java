package io.specwatch.core;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.specwatch.core.json.Rfc3339;
import io.specwatch.core.program.EntityType;
import io.specwatch.core.program.StateVar;
import io.specwatch.core.program.ValueType;
import java.util.List;
import org.junit.jupiter.api.Test;

class ViolationTest {

  @Test
  void theContractsLineWithKeysInOrder() {
    EntityType payment = new EntityType("Payment", 0, 0, "payment_id",
        List.of(new StateVar("status", ValueType.newEnum(List.of("New", "Captured"), "status"), 0),
            new StateVar("authorized", ValueType.INT, 1),
            new StateVar("captured", ValueType.INT, 2)),
        new long[3], new Object[0], null, List.of(), List.of(), null);
    Violation v = new Violation("payments", ViolationKind.INVARIANT, "capture_within_authorization",
        "Payment", "p-7", new LinePosition(5), Rfc3339.parse("2026-01-01T00:00:05Z"),
        "A payment never captures more than was authorized.",
        new StateSnapshot(payment, new long[] {1, 100, 150}, new Object[0]));
    assertEquals("{\"spec\":\"payments\",\"kind\":\"invariant\",\"rule\":\"capture_within_authorization\","
        + "\"entity\":\"Payment\",\"key\":\"p-7\",\"line\":5,\"time\":\"2026-01-01T00:00:05.000Z\","
        + "\"message\":\"A payment never captures more than was authorized.\","
        + "\"state\":{\"status\":\"Captured\",\"authorized\":100,\"captured\":150}}", v.toJson());
  }

  @Test
  void unknownFieldsAreNull() {
    Violation v = new Violation("s", ViolationKind.MALFORMED, null, null, null, new LinePosition(2),
        null, "not valid JSON", null);
    assertEquals("{\"spec\":\"s\",\"kind\":\"malformed\",\"rule\":null,\"entity\":null,\"key\":null,"
        + "\"line\":2,\"time\":null,\"message\":\"not valid JSON\",\"state\":null}", v.toJson());
  }

  @Test
  void aDeadlineFiredByFlushHasANullLine() {
    Violation v = new Violation("s", ViolationKind.DEADLINE, "settle", "Payment", "42", null, 0L,
        "m", null);
    assertEquals("{\"spec\":\"s\",\"kind\":\"deadline\",\"rule\":\"settle\",\"entity\":\"Payment\","
        + "\"key\":\"42\",\"line\":null,\"time\":\"1970-01-01T00:00:00.000Z\",\"message\":\"m\","
        + "\"state\":null}", v.toJson());
  }

  @Test
  void textFieldsAreEscaped() {
    Violation v = new Violation("s", ViolationKind.TRANSITION, "e", "E", "k\"\n\u2028", new LinePosition(1),
        null, "requires `x == \"a\"` does not hold", null);
    assertEquals("{\"spec\":\"s\",\"kind\":\"transition\",\"rule\":\"e\",\"entity\":\"E\","
        + "\"key\":\"k\\\"\\n\\u2028\",\"line\":1,\"time\":null,"
        + "\"message\":\"requires `x == \\\"a\\\"` does not hold\",\"state\":null}", v.toJson());
  }

  @Test
  void kindLabels() {
    assertEquals(List.of("transition", "invariant", "deadline", "malformed", "error"),
        java.util.Arrays.stream(ViolationKind.values()).map(ViolationKind::label).toList());
  }
}
