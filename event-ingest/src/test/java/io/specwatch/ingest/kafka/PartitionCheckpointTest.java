package io.specwatch.ingest.kafka;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.specwatch.core.LinePosition;
import io.specwatch.core.Violation;
import io.specwatch.core.checkpoint.CheckpointFormatException;
import io.specwatch.core.checkpoint.MonitorCheckpoint;
import io.specwatch.core.engine.Monitor;
import io.specwatch.core.program.Program;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The Kafka changelog's checkpoint format: restoring is spec by spec, so a checkpoint written
 * under other specs (before a reload, or by a member running another version) restores what
 * still fits and starts the rest afresh; and a reload's carry-over keeps exactly the specs asked.
 */
class PartitionCheckpointTest {
  private static final String TASKS = """
      spec tasks
      input { time at }
      entity Task key task_id {
        open: bool = true
      }
      event closed for Task when type == "closed"
      /// A task closes once.
      on closed requires open { open = false }
      """;

  private static List<Program> specs(String... sources) {
    List<Program> out = new ArrayList<>();
    for (String s : sources) {
      out.addAll(KafkaReloadAndReadinessTest.compile(s));
    }
    return out;
  }

  /** Places and pays o-1, and closes t-1. */
  private static Monitor played(List<Program> programs) {
    Monitor m = new Monitor(programs);
    feed(m, "{\"type\":\"placed\",\"at\":1,\"event_id\":\"1\",\"order_id\":\"o-1\",\"total\":3}");
    feed(m, "{\"type\":\"paid\",\"at\":2,\"event_id\":\"2\",\"order_id\":\"o-1\"}");
    feed(m, "{\"type\":\"closed\",\"at\":3,\"task_id\":\"t-1\"}");
    return m;
  }

  private static List<Violation> feed(Monitor m, String doc) {
    List<Violation> out = new ArrayList<>();
    byte[] b = doc.getBytes(StandardCharsets.UTF_8);
    m.accept(b, 0, b.length, new LinePosition(9), out::add);
    return out;
  }

  /** Violations when o-1 ships and t-1 closes again: what the restored state says. */
  private static List<String> probe(Monitor m) {
    List<String> rules = new ArrayList<>();
    feed(m, "{\"type\":\"shipped\",\"at\":4,\"event_id\":\"4\",\"order_id\":\"o-1\"}")
        .forEach(v -> rules.add(v.spec() + " " + v.rule()));
    feed(m, "{\"type\":\"closed\",\"at\":5,\"task_id\":\"t-1\"}")
        .forEach(v -> rules.add(v.spec() + " " + v.rule()));
    return rules;
  }

  @Test
  void sameSpecsRestoreEverything() {
    List<Program> programs = specs(KafkaReloadAndReadinessTest.ORDERS, TASKS);
    byte[] ckpt = PartitionCheckpoint.encode(played(programs), 3);
    PartitionCheckpoint.Restored r = PartitionCheckpoint.restore(ckpt, () -> new Monitor(programs));
    assertEquals(3, r.position());
    assertEquals(Map.of("orders", PartitionCheckpoint.Outcome.RESTORED,
        "tasks", PartitionCheckpoint.Outcome.RESTORED), r.outcomes());
    assertEquals(List.of("tasks closed"), probe(r.monitor()), "o-1 ships; t-1 is closed already");
  }

  @Test
  void aSpecWithAnotherLayoutStartsAfreshTheOthersAreRestoredAndRemovedOnesDropped() {
    byte[] ckpt = PartitionCheckpoint.encode(
        played(specs(KafkaReloadAndReadinessTest.ORDERS, TASKS)), 3);
    List<Program> edited = specs(KafkaReloadAndReadinessTest.ORDERS_NEW_LAYOUT, TASKS);
    PartitionCheckpoint.Restored r = PartitionCheckpoint.restore(ckpt, () -> new Monitor(edited));
    assertEquals(PartitionCheckpoint.Outcome.LAYOUT_CHANGED, r.outcomes().get("orders"));
    assertEquals(PartitionCheckpoint.Outcome.RESTORED, r.outcomes().get("tasks"));
    assertEquals(List.of("orders"), r.restarted());
    assertEquals(List.of("orders shipped", "tasks closed"), probe(r.monitor()));

    List<Program> tasksOnly = specs(TASKS);
    PartitionCheckpoint.Restored dropped = PartitionCheckpoint.restore(ckpt, () -> new Monitor(tasksOnly));
    assertEquals(List.of("orders"), dropped.dropped());
    assertEquals(List.of("tasks closed"), probe(dropped.monitor()));
  }

  @Test
  void aCheckpointOfTheEarlierFormatIsReadWhollyOrNotAtAll() {
    List<Program> programs = specs(KafkaReloadAndReadinessTest.ORDERS, TASKS);
    byte[] legacy = MonitorCheckpoint.encode(played(programs), 3);
    PartitionCheckpoint.Restored same = PartitionCheckpoint.restore(legacy, () -> new Monitor(programs));
    assertEquals(List.of("tasks closed"), probe(same.monitor()));
    List<Program> edited = specs(KafkaReloadAndReadinessTest.ORDERS_NEW_LAYOUT, TASKS);
    PartitionCheckpoint.Restored other = PartitionCheckpoint.restore(legacy, () -> new Monitor(edited));
    assertEquals(3, other.position(), "the position stays: nothing is emitted twice");
    assertEquals(List.of("orders shipped"), probe(other.monitor()), "all specs start afresh");
  }

  @Test
  void aCheckpointInTheFixedWidthFormOfVersion1StillRestores() throws Exception {
    List<Program> programs = specs(KafkaReloadAndReadinessTest.ORDERS, TASKS);
    Monitor played = played(programs);
    byte[] v1 = encodeVersion1(played, 3);
    byte[] v2 = PartitionCheckpoint.encode(played, 3);
    assertTrue(v2.length < v1.length, v2.length + " bytes against " + v1.length);
    PartitionCheckpoint.Restored r = PartitionCheckpoint.restore(v1, () -> new Monitor(programs));
    assertEquals(3, r.position());
    assertEquals(Map.of("orders", PartitionCheckpoint.Outcome.RESTORED,
        "tasks", PartitionCheckpoint.Outcome.RESTORED), r.outcomes());
    assertEquals(List.of("tasks closed"), probe(r.monitor()), "o-1 ships; t-1 is closed already");
  }

  /** What builds before session 7 wrote: the same framing, spec states fixed-width. */
  private static byte[] encodeVersion1(Monitor monitor, long position) throws Exception {
    java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream();
    try (java.io.DataOutputStream out = new java.io.DataOutputStream(bytes)) {
      out.writeInt(0x53574B50);
      out.writeInt(1);
      out.writeLong(position);
      out.writeInt(monitor.runtimes().size());
      for (io.specwatch.core.engine.SpecRuntime rt : monitor.runtimes()) {
        io.specwatch.core.checkpoint.BinaryStateWriter w =
            new io.specwatch.core.checkpoint.BinaryStateWriter();
        rt.exportState(w);
        byte[] state = w.toByteArray();
        byte[] layout = io.specwatch.core.checkpoint.StateLayout.fingerprint(rt.program())
            .getBytes(StandardCharsets.UTF_8);
        out.writeUTF(rt.program().name());
        out.writeInt(layout.length);
        out.write(layout);
        out.writeInt(state.length);
        out.write(state);
      }
    }
    return bytes.toByteArray();
  }

  @Test
  void aFutureVersionIsRefusedClearly() {
    byte[] ckpt = PartitionCheckpoint.encode(played(specs(TASKS)), 3);
    java.nio.ByteBuffer.wrap(ckpt).putInt(4, 3);
    CheckpointFormatException e = assertThrows(CheckpointFormatException.class,
        () -> PartitionCheckpoint.restore(ckpt, () -> new Monitor(specs(TASKS))));
    assertTrue(e.getMessage().contains("version 3"), e.getMessage());
  }

  @Test
  void tornBytesAreAClearError() {
    List<Program> programs = specs(TASKS);
    byte[] ckpt = PartitionCheckpoint.encode(played(specs(KafkaReloadAndReadinessTest.ORDERS, TASKS)), 3);
    byte[] torn = Arrays.copyOf(ckpt, ckpt.length - 3);
    assertThrows(CheckpointFormatException.class,
        () -> PartitionCheckpoint.restore(torn, () -> new Monitor(programs)));
    assertThrows(CheckpointFormatException.class,
        () -> PartitionCheckpoint.restore(new byte[] {1, 2, 3, 4, 5}, () -> new Monitor(programs)));
  }

  @Test
  void aReloadCarriesOverOnlyTheKeptSpecsAndRefusesAKeepWhoseLayoutChanged() {
    Monitor old = played(specs(KafkaReloadAndReadinessTest.ORDERS, TASKS));
    Monitor next = new Monitor(specs(KafkaReloadAndReadinessTest.ORDERS_STRICTER, TASKS));
    assertEquals(Set.of(), SpecCarryOver.carry(old, next, Set.of("orders")));
    assertEquals(List.of(), probe(next),
        "orders carried over (o-1 Paid, total 3, ships under the stricter rule); tasks, not kept,"
            + " starts afresh (t-1 open again)");
    Monitor relayout = new Monitor(specs(KafkaReloadAndReadinessTest.ORDERS_NEW_LAYOUT, TASKS));
    assertEquals(Set.of("orders"), SpecCarryOver.carry(old, relayout, Set.of("orders", "tasks")));
    assertEquals(List.of("orders shipped", "tasks closed"), probe(relayout),
        "orders refused to carry over (fresh), tasks carried (t-1 closed already)");
  }
}
