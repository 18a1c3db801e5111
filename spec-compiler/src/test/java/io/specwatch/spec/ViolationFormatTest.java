package io.specwatch.spec;

import static io.specwatch.spec.Specs.only;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.specwatch.spec.Specs.Session;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** The exact JSON line of a violation, as the contract and the reference show it. */
class ViolationFormatTest {

  @Test
  void theFirstExampleOfTheReference() throws IOException {
    String spec = Files.readString(Path.of("src/test/resources/fuzz-seeds/conformance-01-payments-example-spec.sw"));
    Session s = Session.of(spec);
    s.blank().blank().blank();
    s.send("{\"event_id\":\"ev-004\",\"type\":\"payment.authorized\",\"ts\":\"2026-03-02T09:02:00Z\","
        + "\"payment_id\":\"p-1002\",\"amount_cents\":1000}");
    assertEquals("{\"spec\":\"payments\",\"kind\":\"invariant\",\"rule\":\"capture_within_authorization\","
            + "\"entity\":\"Payment\",\"key\":\"p-1002\",\"line\":5,\"time\":\"2026-03-02T09:02:20.000Z\","
            + "\"message\":\"A payment never captures more than was authorized.\","
            + "\"state\":{\"status\":\"Captured\",\"authorized\":1000,\"captured\":1500,\"refunded\":0}}",
        only(s.send("{\"event_id\":\"ev-005\",\"type\":\"payment.captured\",\"ts\":\"2026-03-02T09:02:20Z\","
            + "\"payment_id\":\"p-1002\",\"amount_cents\":1500}")).toJson());
  }

  @Test
  void aTransitionLineWithTheFailingClause() throws IOException {
    String spec = Files.readString(Path.of("src/test/resources/fuzz-seeds/conformance-01-payments-example-spec.sw"));
    Session s = Session.of(spec);
    assertEquals("{\"spec\":\"payments\",\"kind\":\"transition\",\"rule\":\"refunded\",\"entity\":\"Payment\","
            + "\"key\":\"42\",\"line\":1,\"time\":\"1970-01-01T00:00:01.000Z\","
            + "\"message\":\"Refunds follow a capture. (requires `status == Captured` does not hold)\","
            + "\"state\":{\"status\":\"New\",\"authorized\":0,\"captured\":0,\"refunded\":0}}",
        only(s.send("{\"type\":\"payment.refunded\",\"ts\":1000,\"payment_id\":42,\"amount_cents\":5,"
            + "\"event_id\":\"x\"}")).toJson());
  }
}
