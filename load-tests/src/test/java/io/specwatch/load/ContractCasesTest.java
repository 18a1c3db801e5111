package io.specwatch.load;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.specwatch.load.model.AccessGrantsModel;
import io.specwatch.load.model.MViolation;
import io.specwatch.load.model.PaymentsModel;
import io.specwatch.load.model.TaskQueueModel;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Engine bugs that {@link DifferentialTest} found and that were fixed, each as the smallest trace
 * that showed it, with the contract's answer spelled out (and the model's checked against it).
 */
class ContractCasesTest {
  private static byte[] lines(String... ls) {
    return (String.join("\n", ls) + "\n").getBytes(StandardCharsets.UTF_8);
  }

  private static List<String> tuples(List<MViolation> vs) {
    return vs.stream().map(MViolation::tuple).toList();
  }

  /**
   * Contract, "Applying one document" step 1: a line that is not valid UTF-8 is malformed. Found by
   * the differential traces: Jackson alone accepts overlong forms, UTF-16 surrogates and code
   * points over U+10FFFF (even in the key, where they change the instance's name); the engine now
   * validates UTF-8 first (monitor-core {@code Utf8}).
   */
  @Test
  void illFormedUtf8IsMalformed() {
    EngineRunner engine = new EngineRunner(EngineRunner.resource("task-queue.sw"));
    int[][] forms = {{0xC0, 0xAF}, {0xE0, 0x80, 0x80}, {0xF0, 0x80, 0x80, 0x80}, {0xED, 0xA0, 0x80},
        {0xF4, 0x90, 0x80, 0x80}};
    for (int[] form : forms) {
      ByteArrayOutputStream line = new ByteArrayOutputStream();
      line.writeBytes("{\"seq\":1,\"op\":\"enqueue\",\"at\":1778076000000,\"task\":{\"id\":\"t1"
          .getBytes(StandardCharsets.UTF_8));
      for (int b : form) {
        line.write(b);
      }
      line.writeBytes("\"}}\n".getBytes(StandardCharsets.UTF_8));
      byte[] input = line.toByteArray();
      List<MViolation> expected = new TaskQueueModel().run(input, false);
      assertEquals(List.of("(task_queue, malformed, null, null, null, 1)"), tuples(expected));
      assertEquals(tuples(expected), tuples(engine.monitor(input, false)),
          "ill-formed UTF-8 " + java.util.Arrays.toString(form));
    }
  }

  /**
   * Contract, "JSON details": a time is an integer of epoch milliseconds that fits 64 bits,
   * {@code -9223372036854775808} included, as the document's time or a {@code time} field. (The
   * engine took it for its "invalid time" marker; fixed in 46a1a4e.)
   */
  @Test
  void smallestLongIsAValidTime() {
    EngineRunner engine = new EngineRunner(EngineRunner.resource("access-grants.sw"));
    byte[] input = lines(
        "{\"audit_id\":\"a1\",\"action\":\"grant.revoked\",\"ts\":-9223372036854775808,\"grant\":{\"id\":\"g1\"}}",
        "{\"audit_id\":\"a2\",\"action\":\"grant.created\",\"ts\":\"2026-06-01T08:00:00Z\",\"grant\":{\"id\":\"g2\",\"principal\":\"bob\",\"purpose\":\"support\",\"expires_at\":-9223372036854775808}}");
    List<MViolation> expected = new AccessGrantsModel().run(input, false);
    // Line 1: revoking a Pending grant; line 2: the expiry is not after now.
    assertEquals(List.of("(access_grants, transition, revoked, Grant, g1, 1)",
        "(access_grants, transition, granted, Grant, g2, 2)"), tuples(expected));
    assertEquals(tuples(expected), tuples(engine.monitor(input, false)));
  }

  /**
   * Contract, {@code deadline}: an {@code after} event arms a deadline only when it is not armed,
   * and step 6 names "a deadline's expiry" as a fault site. When the deadline is already armed no
   * expiry is computed, so no overflow can happen. (The engine computed the expiry of every deadline
   * the event could arm and raised a spurious {@code error}; fixed in 46a1a4e.)
   */
  @Test
  void alreadyArmedDeadlineComputesNoExpiry() {
    EngineRunner engine = new EngineRunner(EngineRunner.resource("task-queue.sw"));
    long max = Long.MAX_VALUE;
    byte[] input = lines(
        "{\"seq\":1,\"op\":\"enqueue\",\"at\":" + (max - 130_000) + ",\"task\":{\"id\":\"t1\"}}",
        "{\"seq\":2,\"op\":\"lease\",\"at\":" + (max - 129_000) + ",\"task\":{\"id\":\"t1\"},\"lease\":{\"worker\":\"w1\"}}",
        // Completed: arms ack_timeout at (max - 125 s) + 2 min = max - 5 s.
        "{\"seq\":3,\"op\":\"complete\",\"at\":" + (max - 125_000) + ",\"task\":{\"id\":\"t1\"},\"lease\":{\"worker\":\"w1\"},\"result\":{\"run_id\":\"r1\"}}",
        // A late result from the same worker (second handler): ack_timeout is still armed (the
        // watermark is max - 110 s), so it is not re-armed and no expiry is computed.
        "{\"seq\":4,\"op\":\"complete\",\"at\":" + (max - 100_000) + ",\"task\":{\"id\":\"t1\"},\"lease\":{\"worker\":\"w1\"},\"result\":{\"run_id\":\"r1\"}}");
    assertEquals(List.of(), tuples(new TaskQueueModel().run(input, false)));
    assertEquals(List.of(), tuples(engine.monitor(input, false)));
  }

  /**
   * Contract, {@code input}: a copy is a duplicate when its own time is less than t0 + window. With
   * t0 within the window of the 64-bit limit, t0 + window is beyond every time, so a copy at
   * exactly {@code Long.MAX_VALUE} is a duplicate. The engine used to saturate t0 + window to
   * {@code Long.MAX_VALUE} and compare {@code MAX < MAX}: false, so the copy was applied
   * (monitor-core DedupeMemory.checkAndRecord; fixed).
   */
  @Test
  void copyAtTheLargestTimeIsADuplicate() {
    EngineRunner engine = new EngineRunner(EngineRunner.resource("task-queue.sw"));
    byte[] input = lines(
        "{\"seq\":21,\"op\":\"heartbeat\",\"at\":9223372036854774869,\"task\":{\"id\":5},\"lease\":{\"worker\":null}}",
        "{\"seq\":21,\"op\":\"lease\",\"at\":9223372036854775807,\"task\":{\"id\":5},\"lease\":{\"worker\":\"w2\"}}");
    // Line 1: the worker is missing. Line 2: a copy of id 21 (t0 + 10m is past the limit): dropped.
    assertEquals(List.of("(task_queue, malformed, heartbeat, Task, 5, 1)"),
        tuples(new TaskQueueModel().run(input, false)));
    // The engine used to report (task_queue, transition, leased, Task, 5, 2) as well.
    assertEquals(List.of("(task_queue, malformed, heartbeat, Task, 5, 1)"),
        tuples(engine.monitor(input, false)));
  }

  /**
   * Contract, {@code input}: a document is a duplicate when its id was accepted at t0 and its own
   * time is before t0 + window, however late it arrives. The engine used to forget an id once the
   * watermark reached t0 + window + horizon (docs/language.md, choice 4: the horizon is the window,
   * and at least an hour) in {@code check} too, so that this resend was applied again. Now
   * {@code check} remembers every id (up to {@code --dedupe-exact-ids}); only a live stream's
   * memory forgets, and so reports the resend.
   */
  @Test
  void resendBehindTheWatermarkIsStillADuplicate() {
    EngineRunner engine = new EngineRunner(EngineRunner.resource("payments-load.sw"));
    byte[] input = lines(
        "{\"event_id\":\"e1\",\"ts\":\"2026-03-02T09:00:00Z\",\"type\":\"payment.authorized\",\"payment_id\":\"p1\",\"amount_cents\":1000,\"currency\":\"EUR\"}",
        "{\"event_id\":\"e2\",\"ts\":\"2026-03-02T09:05:00Z\",\"type\":\"payment.captured\",\"payment_id\":\"p1\",\"amount_cents\":1000}",
        // The watermark moves to 11:03, past t0 + 1h window + 1h horizon.
        "{\"event_id\":\"e3\",\"ts\":\"2026-03-02T11:05:00Z\",\"type\":\"payment.failed\",\"payment_id\":\"p2\"}",
        // The producer retries line 1: same id, same time (before t0 + 1h): a duplicate.
        "{\"event_id\":\"e1\",\"ts\":\"2026-03-02T09:00:00Z\",\"type\":\"payment.authorized\",\"payment_id\":\"p1\",\"amount_cents\":1000,\"currency\":\"EUR\"}");
    PaymentsModel model = new PaymentsModel();
    assertEquals(List.of(), tuples(model.run(input, false)));
    assertEquals(List.of(), tuples(engine.monitor(input, false)));
    assertEquals(List.of(), tuples(engine.cli(input, false)));
    // A live stream's memory has forgotten e1 by line 4, as choice 4 says.
    String resent = "(payments_load, transition, authorized, Payment, p1, 4)";
    model.dedupeForgetsBehindWatermark = true;
    assertEquals(List.of(resent), tuples(model.run(input, false)));
    assertEquals(List.of(resent), tuples(engine.liveMonitor(input, false)));
  }
}
