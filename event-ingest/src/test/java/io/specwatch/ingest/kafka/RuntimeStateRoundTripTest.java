package io.specwatch.ingest.kafka;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.specwatch.core.Violation;
import io.specwatch.core.checkpoint.CheckpointFormatException;
import io.specwatch.core.checkpoint.MonitorCheckpoint;
import io.specwatch.core.engine.Monitor;
import io.specwatch.core.program.Program;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.Test;

/**
 * The checkpoint contract, which the engine's internals must keep passing whatever they become:
 * run a trace part way, snapshot, restore into a fresh runtime, run the rest, and the violations
 * (with {@code --flush} at the end, so armed deadlines count too) are exactly those of an
 * uninterrupted run. On the examples and on random payments-load logs, at random cut points, with
 * several checkpoints in one run.
 */
class RuntimeStateRoundTripTest {

  static Stream<Arguments> traces() {
    List<Arguments> out = new ArrayList<>();
    for (String ex : List.of("payments", "task-queue", "access-grants")) {
      Path spec = TestSpecs.example(ex, ex.equals("payments") ? "payments.sw" : ex + ".sw");
      out.add(Arguments.of(ex, spec, TestSpecs.lines(TestSpecs.example(ex, "events.jsonl"))));
    }
    for (long seed = 1; seed <= 3; seed++) {
      out.add(Arguments.of("payments-load seed " + seed, TestSpecs.paymentsLoadSpec(),
          TestSpecs.randomPaymentsLoadLog(seed, 300)));
    }
    return out.stream();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("traces")
  void restoringAtAnyCutGivesTheUninterruptedViolations(String name, Path spec, List<String> log) {
    List<Program> programs = TestSpecs.compile(spec);
    List<String> expected = uninterrupted(programs, log);
    assertTrue(expected.size() >= 3, name + ": the trace must raise violations to be a test");

    Random rnd = new Random(name.hashCode());
    List<Integer> cuts = new ArrayList<>(List.of(0, 1, log.size() / 2, log.size()));
    for (int i = 0; i < 25; i++) {
      cuts.add(rnd.nextInt(log.size() + 1));
    }
    for (int cut : cuts) {
      assertEquals(expected, withCheckpointsAt(programs, log, List.of(cut), false),
          name + ": restored at line " + cut);
      assertEquals(expected, withCheckpointsAt(programs, log, List.of(cut), true),
          name + ": restored at line " + cut + " from a partition checkpoint");
    }
    // Several checkpoints in one run: state restored from a restored runtime stays exact.
    for (int i = 0; i < 5; i++) {
      List<Integer> several = new ArrayList<>();
      for (int k = 0; k < 4; k++) {
        several.add(rnd.nextInt(log.size() + 1));
      }
      several.sort(null);
      assertEquals(expected, withCheckpointsAt(programs, log, several, i % 2 == 0),
          name + ": cuts " + several);
    }
  }

  @Test
  void aCheckpointOfOtherSpecsIsRefusedClearly() {
    List<Program> payments = TestSpecs.compile(TestSpecs.example("payments", "payments.sw"));
    List<Program> tasks = TestSpecs.compile(TestSpecs.example("task-queue", "task-queue.sw"));
    byte[] ckpt = MonitorCheckpoint.encode(new Monitor(payments), 7);
    assertEquals(7, MonitorCheckpoint.position(ckpt));
    CheckpointFormatException e = assertThrows(CheckpointFormatException.class,
        () -> MonitorCheckpoint.restore(ckpt, new Monitor(tasks)));
    assertTrue(e.getMessage().contains("written for spec"), e.getMessage());
    byte[] torn = java.util.Arrays.copyOf(ckpt, ckpt.length - 1);
    assertThrows(CheckpointFormatException.class,
        () -> MonitorCheckpoint.restore(torn, new Monitor(payments)));
  }

  private static List<String> uninterrupted(List<Program> programs, List<String> log) {
    Monitor m = new Monitor(programs);
    List<Violation> out = new ArrayList<>();
    TestSpecs.feed(m, log, 0, log.size(), out);
    m.flush(out::add);
    return TestSpecs.json(out);
  }

  /**
   * @param partitionFormat the Kafka changelog's {@link PartitionCheckpoint} (compact states)
   *     instead of {@link MonitorCheckpoint} (fixed-width states)
   */
  private static List<String> withCheckpointsAt(List<Program> programs, List<String> log,
      List<Integer> cuts, boolean partitionFormat) {
    Monitor m = new Monitor(programs);
    List<Violation> out = new ArrayList<>();
    int at = 0;
    for (int cut : cuts) {
      TestSpecs.feed(m, log, at, cut, out);
      at = cut;
      if (partitionFormat) {
        byte[] ckpt = PartitionCheckpoint.encode(m, cut);
        m = null; // the old runtime is gone, as after a crash
        PartitionCheckpoint.Restored r =
            PartitionCheckpoint.restore(ckpt, () -> new Monitor(programs));
        assertEquals(cut, r.position());
        assertTrue(r.dropped().isEmpty() && r.outcomes().values().stream()
            .allMatch(o -> o == PartitionCheckpoint.Outcome.RESTORED), r.outcomes().toString());
        m = r.monitor();
      } else {
        byte[] ckpt = MonitorCheckpoint.encode(m, cut);
        m = new Monitor(programs); // the old runtime is gone, as after a crash
        assertEquals(cut, MonitorCheckpoint.restore(ckpt, m));
      }
    }
    TestSpecs.feed(m, log, at, log.size(), out);
    m.flush(out::add);
    return TestSpecs.json(out);
  }
}
