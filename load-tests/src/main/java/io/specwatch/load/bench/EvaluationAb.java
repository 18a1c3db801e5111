package io.specwatch.load.bench;

import io.specwatch.load.PaymentsLogGenerator;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * A/B of one evaluation setting in one JVM: runs the decoded-events evaluation
 * ({@link SpecwatchEvaluation}) with each prefetch group size in turn, round after round, on a
 * fresh evaluator each time, so that a noisy shared machine biases no setting (compare within
 * a round).
 *
 * <pre>
 * java -cp load-tests/target/specwatch-load.jar io.specwatch.load.bench.EvaluationAb \
 *     --events 2m --entities 100k --rounds 3 --groups 0,32,16
 * </pre>
 */
public final class EvaluationAb {
  private EvaluationAb() {}

  public static void main(String[] args) throws Exception {
    System.exit(run(args, System.out));
  }

  /**
   * Like {@link LoadRunner#runThroughput} but counts this thread's CPU time in process(), not the
   * wall clock: on a machine shared with other builds, time spent descheduled is not the engine's.
   */
  static double cpuSeconds(Engine e, int n, int batch) throws Exception {
    java.lang.management.ThreadMXBean mx = java.lang.management.ManagementFactory.getThreadMXBean();
    long timed = 0;
    for (int from = 0; from < n; from += batch) {
      int to = Math.min(n, from + batch);
      e.prepare(from, to);
      long t0 = mx.getCurrentThreadCpuTime();
      for (int i = from; i < to; i++) {
        e.process(i);
      }
      timed += mx.getCurrentThreadCpuTime() - t0;
    }
    e.finish();
    return timed / 1e9;
  }

  static int run(String[] args, PrintStream out) throws Exception {
    long events = 2_000_000;
    int entities = 100_000;
    int rounds = 3;
    boolean longLived = false;
    List<Integer> groups = List.of(0, 32);
    for (int i = 0; i < args.length; i++) {
      switch (args[i]) {
        case "--events" -> events = PaymentsLogGenerator.parseCount(args[++i]);
        case "--entities" -> entities = (int) PaymentsLogGenerator.parseCount(args[++i]);
        case "--rounds" -> rounds = Integer.parseInt(args[++i]);
        case "--long-lived" -> longLived = true;
        case "--groups" -> {
          List<Integer> d = new ArrayList<>();
          for (String s : args[++i].split(",")) {
            d.add(Integer.parseInt(s.trim()));
          }
          groups = d;
        }
        default -> {
          out.println(
              "usage: EvaluationAb [--events N] [--entities K] [--long-lived] [--rounds R]"
                  + " [--groups 0,32]");
          return 2;
        }
      }
    }
    PaymentsWorkload w = PaymentsWorkload.load(events, entities, 1, longLived, out);
    int n = w.events;
    boolean allMatch = true;
    for (int round = 0; round < rounds; round++) {
      StringBuilder line = new StringBuilder("round " + (round + 1) + ":");
      for (int d : groups) {
        SpecwatchEvaluation e = new SpecwatchEvaluation(w, d);
        double seconds = cpuSeconds(e, n, 4096);
        boolean match = e.verdicts().equals(w.truth);
        allMatch &= match;
        line.append(String.format(Locale.ROOT, "  prefetch group %d: %,.0f events/s (CPU)%s", d,
            n / seconds,
            match ? "" : " (VERDICTS DIFFER)"));
        LoadRunner.fullGc();
      }
      out.println(line);
    }
    return allMatch ? 0 : 1;
  }
}
