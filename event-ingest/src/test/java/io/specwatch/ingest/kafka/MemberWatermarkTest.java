package io.specwatch.ingest.kafka;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.specwatch.core.LinePosition;
import io.specwatch.core.Violation;
import io.specwatch.core.checkpoint.MonitorCheckpoint;
import io.specwatch.core.engine.Monitor;
import io.specwatch.core.engine.SpecRuntime;
import io.specwatch.core.program.Program;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The engine hook {@link SpecRuntime#advanceWatermark} and {@link MemberWatermark} without a
 * broker: an advance that passes nothing leaves the state byte-identical (so it needs no
 * checkpoint), one that passes a deadline fires it once and flags the partition for a
 * checkpoint, and only idle partitions are moved, by the minimum of the active ones.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class MemberWatermarkTest {
  private static final long T0 = 1_778_076_000_000L;
  private List<Program> programs;

  @BeforeAll
  void compile() throws Exception {
    Path spec = Files.createTempFile("orders", ".sw");
    Files.writeString(spec, """
        spec orders
        input {
          time at
        }
        entity Order key order {
          status: enum { New, Placed, Paid }
        }
        event placed for Order when op == "place"
        event paid for Order when op == "pay"
        on placed requires status == New { status = Placed }
        on paid requires status == Placed { status = Paid }
        deadline pay_timeout: after placed expect paid within 1m
        """);
    programs = TestSpecs.compile(spec);
    Files.delete(spec);
  }

  private static void feed(Monitor m, String doc, long line, List<Violation> out) {
    byte[] b = doc.getBytes(StandardCharsets.UTF_8);
    m.accept(b, 0, b.length, new LinePosition(line), out::add);
  }

  private static String place(String order, long at) {
    return "{\"op\":\"place\",\"order\":\"" + order + "\",\"at\":" + at + "}";
  }

  @Test
  void anAdvanceThatPassesNothingChangesNothingAndOneThatPassesADeadlineFiresItOnce() {
    Monitor m = new Monitor(programs);
    List<Violation> out = new ArrayList<>();
    feed(m, place("o-1", T0), 1, out);
    SpecRuntime rt = m.runtimes().get(0);
    assertEquals(T0, rt.watermark());
    byte[] before = MonitorCheckpoint.encode(m, 1);

    assertFalse(rt.advanceWatermark(T0 + 59_000, new LinePosition(99), out::add));
    assertArrayEquals(before, MonitorCheckpoint.encode(m, 1), "state untouched");
    assertFalse(rt.advanceWatermark(T0 - 5_000, new LinePosition(99), out::add), "never back");

    assertTrue(rt.advanceWatermark(T0 + 61_000, new LinePosition(99), out::add));
    assertEquals(1, out.size());
    assertTrue(out.get(0).toJson().contains("\"rule\":\"pay_timeout\"") && out.get(0).toJson()
        .contains("\"line\":99"), out.get(0).toJson());
    assertFalse(rt.advanceWatermark(T0 + 62_000, new LinePosition(100), out::add));
    feed(m, place("o-2", T0 + 70_000), 2, out);
    assertEquals(1, out.size(), "the fired deadline does not fire again at the next document");
  }

  private PartitionRuntime partition(int p, String doc) {
    PartitionRuntime rt = new PartitionRuntime(new TopicPartition("t", p), new Monitor(programs), 0);
    feed(rt.monitor, doc, 1, new ArrayList<>());
    rt.nextOffset = 1;
    return rt;
  }

  @Test
  void onlyIdlePartitionsFollowTheMinimumOfTheActiveOnes() {
    PartitionRuntime quiet = partition(0, place("o-1", T0));
    PartitionRuntime ahead = partition(1, place("o-2", T0 + 120_000));
    PartitionRuntime behind = partition(2, place("o-3", T0 + 30_000));
    List<Violation> out = new ArrayList<>();

    // Active partitions at T0+2m and T0+30s: the minimum does not pass o-1's expiry (T0+1m).
    assertEquals(0, MemberWatermark.advanceIdle(List.of(quiet, ahead, behind), rt -> rt == quiet,
        out::add));
    assertTrue(out.isEmpty());
    assertFalse(quiet.mustCheckpoint);

    // Without the slow one, the minimum is T0+2m: o-1 fires, at the quiet partition's position.
    assertEquals(1, MemberWatermark.advanceIdle(List.of(quiet, ahead), rt -> rt == quiet,
        out::add));
    assertEquals(1, out.size());
    assertTrue(out.get(0).toJson().contains("\"partition\":0,\"idle_after_offset\":0"),
        out.get(0).toJson());
    assertTrue(quiet.mustCheckpoint);
    assertFalse(ahead.mustCheckpoint, "an active partition is never moved");

    // Every partition idle: there is no event time to follow.
    PartitionRuntime other = partition(3, place("o-4", T0));
    assertEquals(0, MemberWatermark.advanceIdle(List.of(other, ahead), rt -> true, out::add));
    assertEquals(1, out.size());
  }
}
