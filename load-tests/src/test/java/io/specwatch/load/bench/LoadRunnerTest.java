package io.specwatch.load.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.specwatch.load.PaymentsLogGenerator;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The load runner end to end on a tiny workload: every pass runs and the table is printed. */
class LoadRunnerTest {
  @Test
  void runsEveryBuiltInEngineAndPrintsTheTable() throws Exception {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8);
    int status = LoadRunner.run(new String[] {"--events", "20k", "--entities", "1k", "--seed", "3",
        "--warmup", "5k", "--open-loop-events", "5k", "--rate", "200000"}, out, Map.of(),
        "specwatch,monitor,pipeline,array,hashmap");
    String text = bytes.toString(StandardCharsets.UTF_8);
    assertEquals(0, status, text);
    for (String engine : new String[] {"specwatch, evaluation of decoded events",
        "specwatch, JSON bytes, one thread (Monitor)", "specwatch pipeline, JSON bytes",
        "hand-written Java, primitive arrays", "hand-written Java, HashMap"}) {
      assertTrue(text.lines().anyMatch(l -> l.startsWith("| " + engine) && l.contains("| yes (")),
          "no agreeing table row for " + engine + ":\n" + text);
    }
    assertTrue(text.contains("open loop: 5,000 events at 200,000/s"), text);
  }

  /**
   * The workload read literally (a fixed set of payments that live the whole log): the
   * log holds about as many payments as asked for, it has faults, and every engine finds exactly
   * them. Generated afresh in a directory of its own, so that no cached log from an earlier
   * build stands in for it.
   */
  @Test
  void longLivedPaymentsWorkloadRunsEveryEngineToTheTruth(@TempDir Path dir) throws Exception {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8);
    String tmp = System.getProperty("java.io.tmpdir");
    int status;
    try {
      System.setProperty("java.io.tmpdir", dir.toString());
      status = LoadRunner.run(new String[] {"--events", "40k", "--entities", "1k",
          "--long-lived", "--seed", "2", "--warmup", "5k", "--open-loop-events", "5k", "--rate",
          "200000"}, out, Map.of(), "specwatch,monitor,pipeline,array,hashmap");
    } finally {
      System.setProperty("java.io.tmpdir", tmp);
    }
    String text = bytes.toString(StandardCharsets.UTF_8);
    assertEquals(0, status, text);
    assertTrue(text.contains("generating " + dir), "generated afresh:\n" + text);
    java.util.regex.Matcher m = java.util.regex.Pattern.compile(
        "workload: \\S+-long\\.jsonl, 40,000 events over ([\\d,]+) payments, ground truth (\\d+)")
        .matcher(text);
    assertTrue(m.find(), text);
    int payments = Integer.parseInt(m.group(1).replace(",", ""));
    assertTrue(payments >= 1000 && payments < 1050, "payments: " + payments);
    int truth = Integer.parseInt(m.group(2));
    assertTrue(truth > 0, "the log has faults to find: " + text);
    assertEquals(5, text.lines()
        .filter(l -> l.startsWith("| ") && l.contains("| yes (" + truth + ") |")).count(), text);
  }

  /** Both pipeline layouts, on a ring small enough to wrap, give the truth's verdicts. */
  @Test
  void thePipelineAgreesWithTheTruthInBothDecodeModes() throws Exception {
    for (String mode : new String[] {"on-publish", "own-thread"}) {
      ByteArrayOutputStream bytes = new ByteArrayOutputStream();
      PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8);
      int status = LoadRunner.run(new String[] {"--events", "20k", "--entities", "1k", "--seed",
          "5", "--warmup", "0", "--open-loop-events", "5k", "--rate", "200000", "--decode", mode,
          "--ring", "16"}, out, Map.of(), "pipeline");
      String text = bytes.toString(StandardCharsets.UTF_8);
      assertEquals(0, status, text);
      String row = "| specwatch pipeline, JSON bytes (1 evaluator, sleeping, decode "
          + mode.replace('-', ' ') + ", ring 16) |";
      assertTrue(text.lines().anyMatch(l -> l.startsWith(row) && l.contains("| yes (")),
          "no agreeing row " + row + ":\n" + text);
    }
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    assertEquals(2, LoadRunner.run(new String[] {"--decode", "sideways"},
        new PrintStream(bytes, true, StandardCharsets.UTF_8), Map.of(), "pipeline"));
  }

  /** The prefetch A/B: with and without prefetching, every round's verdicts equal the truth. */
  @Test
  void evaluationAbRunsEachPrefetchSettingWithTheTruthsVerdicts() throws Exception {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8);
    int status = EvaluationAb.run(new String[] {"--events", "20k", "--entities", "1k",
        "--rounds", "2", "--groups", "0,32"}, out);
    String text = bytes.toString(StandardCharsets.UTF_8);
    assertEquals(0, status, text);
    assertEquals(2, text.lines().filter(l -> l.startsWith("round ")
        && l.contains("prefetch group 0:") && l.contains("prefetch group 32:")).count(), text);
    assertTrue(!text.contains("VERDICTS DIFFER"), text);
  }

  @Test
  void rejectsUnknownEnginesAndOptions() throws Exception {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8);
    assertEquals(2, LoadRunner.run(new String[] {"--engines", "flink", "--events", "1k"}, out,
        Map.of(), "specwatch"));
    assertEquals(2, LoadRunner.run(new String[] {"--speed", "9"}, out, Map.of(), "specwatch"));
    String text = bytes.toString(StandardCharsets.UTF_8);
    assertTrue(text.contains("unknown engine flink"), text);
    assertTrue(text.contains("unknown option --speed"), text);
  }

  @Test
  void liveInstancesRunnerKeepsEveryCapturedPaymentLive() {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8);
    int status = LiveInstancesRunner.run(new String[] {"--instances", "20k"}, out);
    String text = bytes.toString(StandardCharsets.UTF_8);
    assertEquals(0, status, text);
    assertTrue(text.contains("20,000 live instances (0 violations)"), text);
  }

  @Test
  void groundTruthHasOneVerdictPerPredictedViolation() {
    PaymentsLogGenerator g = new PaymentsLogGenerator(new PaymentsLogGenerator.Options()
        .lines(30_000).entities(1_000).seed(11).faultRate(0.03).lineFaults(false));
    while (g.hasNext()) {
      g.next();
    }
    PaymentsLogGenerator.Truth t = g.truth();
    assertEquals(0, t.truncated + t.wrongType + t.duplicates, "no per-line faults");
    assertEquals(t.expected(), t.verdicts.size(), t.toString());
    assertTrue(t.neverSettledFired > 0 && t.overCaptures > 0 && t.refundsAfterFailure > 0
        && t.capturesWithoutAuthorization > 0, t.toString());
  }
}
