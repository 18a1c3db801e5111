package io.specwatch.load;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.specwatch.load.model.AccessGrantsModel;
import io.specwatch.load.model.MViolation;
import io.specwatch.load.model.PaymentsModel;
import io.specwatch.load.model.SpecModel;
import io.specwatch.load.model.TaskQueueModel;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.LongFunction;
import org.junit.jupiter.api.Test;

/**
 * Differential tests: the engine against hand-written reference models ({@link PaymentsModel},
 * {@link TaskQueueModel}, {@link AccessGrantsModel}) on thousands of small random traces per spec, compared as ordered lists
 * of {@code (spec, kind, rule, entity, key, line)} plus time and state.
 *
 * <p>Traces are seeded: {@code seed = mix(BASE_SEED, spec, i)}. One trace in twenty goes through the
 * whole {@code specwatch check} command ({@code Main.run}); the others through the Monitor API with
 * the real JSONL reader. A trace's seed decides {@code --flush}. On a mismatch the trace is shrunk
 * (lines removed while the mismatch remains), written under {@code load-tests/target/differential-failures/},
 * and the failure message gives the seed, both violation lists, the trace and the command that
 * reproduces it.
 *
 * <p>System properties: {@code specwatch.diff.traces} (per spec, default 5000),
 * {@code specwatch.diff.baseSeed} (another family of traces),
 * {@code specwatch.diff.budgetMs} (per spec, default 14000: the loop stops early when over),
 * {@code specwatch.diff.seed} (run that one trace only, through {@code check}). One trace in four
 * of the others runs with a live stream's dedupe memory, which forgets ids (see {@link Case}).
 */
class DifferentialTest {
  static final long BASE_SEED = Long.getLong("specwatch.diff.baseSeed", 0x5EED_2026_0302L);
  static final int TRACES = Integer.getInteger("specwatch.diff.traces", 5000);
  static final long BUDGET_MS = Long.getLong("specwatch.diff.budgetMs", 14_000L);
  static final Long ONLY_SEED = Long.getLong("specwatch.diff.seed");

  @Test
  void paymentsLoadSpecAgainstModel() {
    differential("payments-load.sw", "load-tests/src/main/resources/payments-load.sw",
        new PaymentsModel(), PaymentsFuzz::trace, 1);
  }

  @Test
  void taskQueueSpecAgainstModel() {
    differential("task-queue.sw", "load-tests/src/test/resources/task-queue.sw",
        new TaskQueueModel(), TaskQueueFuzz::trace, 2);
  }

  @Test
  void accessGrantsSpecAgainstModel() {
    differential("access-grants.sw", "load-tests/src/test/resources/access-grants.sw",
        new AccessGrantsModel(), AccessGrantsFuzz::trace, 3);
  }

  /** Realistic logs from {@link PaymentsLogGenerator}: engine = model = the generator's own count. */
  @Test
  void generatedPaymentsLogsAgainstModelAndTruth() throws IOException {
    EngineRunner engine = new EngineRunner(EngineRunner.resource("payments-load.sw"));
    PaymentsModel model = new PaymentsModel();
    model.dedupeForgetsBehindWatermark = false; // check's memory: exact
    for (int s = 1; s <= 6; s++) {
      boolean longLived = s > 4; // seeds 5 and 6: payments that live the whole log
      PaymentsLogGenerator.Options o = new PaymentsLogGenerator.Options().lines(2500L * s)
          .entities(10 + 40 * s).seed(s).faultRate(0.03).lateRate(0.1).longLived(longLived);
      ByteArrayOutputStream bytes = new ByteArrayOutputStream();
      PaymentsLogGenerator.Truth truth = PaymentsLogGenerator.write(o, bytes);
      byte[] input = bytes.toByteArray();
      Case c = new Case("payments_load", "load-tests/src/main/resources/payments-load.sw",
          "generator --lines " + o.lines + " --entities " + o.entities + " --seed " + s
              + " --fault-rate 0.03 --late-rate 0.1" + (longLived ? " --long-lived" : ""),
          s, input, false, false, false);
      List<MViolation> actual = engine.monitor(input, false);
      List<MViolation> expected = model.run(input, false);
      if (!same(expected, actual)) {
        fail(report(c, model, engine, expected, actual));
      }
      Map<String, Long> kinds = countKinds(actual);
      String where = "seed " + s + ": " + truth;
      assertEquals(truth.truncated + truth.wrongType, kinds.getOrDefault("malformed", 0L), where);
      assertEquals(truth.overCaptures, kinds.getOrDefault("invariant", 0L), where);
      assertEquals(truth.capturesWithoutAuthorization + truth.refundsAfterFailure,
          kinds.getOrDefault("transition", 0L), where);
      assertEquals(truth.neverSettledFired, kinds.getOrDefault("deadline", 0L), where);
      assertEquals(0L, kinds.getOrDefault("error", 0L), where);
      assertEquals(truth.expected(), actual.size(), where);
    }
  }

  // ---------------------------------------------------------------- the loop

  /**
   * One trace and how it runs: {@code viaCli} through {@code check}, else through the Monitor
   * API; {@code live} with a live stream's dedupe memory (ids forgotten a horizon past their
   * window, docs/language.md choice 4, which the model then follows too), else with {@code
   * check}'s, which remembers every id as the contract says.
   */
  record Case(String spec, String specPath, String origin, long seed, byte[] input, boolean flush,
      boolean viaCli, boolean live) {}

  private void differential(String resource, String specPath, SpecModel<?> model,
      LongFunction<byte[]> traces, long stream) {
    EngineRunner engine = new EngineRunner(EngineRunner.resource(resource));
    long started = System.nanoTime();
    int ran = 0;
    long lines = 0;
    long modelNanos = 0;
    long engineNanos = 0;
    long cliNanos = 0;
    Map<String, Long> kinds = new TreeMap<>();
    for (int i = 0; i < TRACES; i++) {
      long seed = ONLY_SEED != null ? ONLY_SEED : mix(BASE_SEED, stream, i);
      byte[] input = traces.apply(seed);
      boolean flush = Long.remainderUnsigned(seed, 3) == 0;
      boolean viaCli = ONLY_SEED != null || i % 20 == 0;
      boolean live = !viaCli && i % 4 == 1;
      Case c = new Case(model.spec(), specPath, "seed " + seed, seed, input, flush, viaCli, live);
      long t0 = System.nanoTime();
      List<MViolation> expected = expect(model, c, input);
      long t1 = System.nanoTime();
      List<MViolation> actual;
      try {
        actual = run(engine, c, input);
      } catch (RuntimeException | AssertionError e) {
        throw new AssertionError("engine failed on " + c.origin() + ":\n" + text(input), e);
      }
      long t2 = System.nanoTime();
      modelNanos += t1 - t0;
      if (viaCli) {
        cliNanos += t2 - t1;
      } else {
        engineNanos += t2 - t1;
      }
      if (!same(expected, actual)) {
        fail(report(c, model, engine, expected, actual));
      }
      ran++;
      lines += input.length == 0 ? 0 : countLines(input);
      countKinds(actual).forEach((k, v) -> kinds.merge(k, v, Long::sum));
      if (ONLY_SEED != null || (System.nanoTime() - started) / 1_000_000 > BUDGET_MS) {
        break;
      }
    }
    double seconds = (System.nanoTime() - started) / 1e9;
    System.out.printf("differential %s: %d traces, %d lines, violations %s, %.1f s"
        + " (model %.1f s, engine via Monitor %.1f s, via check %.1f s)%n", model.spec(), ran, lines,
        kinds, seconds, modelNanos / 1e9, engineNanos / 1e9, cliNanos / 1e9);
    if (ONLY_SEED == null) {
      assertTrue(ran >= Math.min(TRACES, 300), "only " + ran + " traces in the time budget");
      // The traces must keep exercising every kind of violation, or the comparison is hollow.
      for (String kind : List.of("transition", "invariant", "deadline", "malformed", "error")) {
        assertTrue(kinds.getOrDefault(kind, 0L) > 0, "no " + kind + " violation in " + ran + " traces");
      }
    }
  }

  static long mix(long base, long stream, long i) {
    long z = base + stream * 0x9E3779B97F4A7C15L + i * 0xBF58476D1CE4E5B9L;
    z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
    z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
    return (z ^ (z >>> 31)) & Long.MAX_VALUE;
  }

  private static List<MViolation> run(EngineRunner engine, Case c, byte[] input) {
    if (c.viaCli()) {
      return engine.cli(input, c.flush());
    }
    return c.live() ? engine.liveMonitor(input, c.flush()) : engine.monitor(input, c.flush());
  }

  /** The model's verdicts for the case, with the dedupe memory the case's engine has. */
  private static List<MViolation> expect(SpecModel<?> model, Case c, byte[] input) {
    model.dedupeForgetsBehindWatermark = c.live();
    return model.run(input, c.flush());
  }

  static Map<String, Long> countKinds(List<MViolation> vs) {
    Map<String, Long> m = new TreeMap<>();
    for (MViolation v : vs) {
      m.merge(v.kind(), 1L, Long::sum);
    }
    return m;
  }

  /** Equal lists. */
  static boolean same(List<MViolation> expected, List<MViolation> actual) {
    if (expected.size() != actual.size()) {
      return false;
    }
    for (int i = 0; i < expected.size(); i++) {
      if (!same(expected.get(i), actual.get(i))) {
        return false;
      }
    }
    return true;
  }

  static boolean same(MViolation e, MViolation a) {
    return java.util.Objects.equals(e.time(), a.time()) && java.util.Objects.equals(e.spec(), a.spec())
        && java.util.Objects.equals(e.kind(), a.kind()) && java.util.Objects.equals(e.rule(), a.rule())
        && java.util.Objects.equals(e.entity(), a.entity()) && java.util.Objects.equals(e.key(), a.key())
        && java.util.Objects.equals(e.line(), a.line()) && java.util.Objects.equals(e.state(), a.state());
  }

  // ---------------------------------------------------------------- shrinking and reporting

  private static String report(Case c, SpecModel<?> model, EngineRunner engine,
      List<MViolation> expected, List<MViolation> actual) {
    List<byte[]> lines = split(c.input());
    List<byte[]> shrunk = shrink(lines, candidate -> {
      byte[] in = join(candidate);
      try {
        return !same(expect(model, c, in), run(engine, c, in));
      } catch (RuntimeException | AssertionError e) {
        return true;
      }
    });
    byte[] small = join(shrunk);
    List<MViolation> smallExpected = expect(model, c, small);
    List<MViolation> smallActual;
    try {
      smallActual = run(engine, c, small);
    } catch (RuntimeException | AssertionError e) {
      smallActual = List.of();
    }
    Path dir = Path.of("target", "differential-failures").toAbsolutePath();
    String base = c.spec() + "-" + c.seed();
    Path whole = dir.resolve(base + "-whole.jsonl");
    Path small1 = dir.resolve(base + ".jsonl");
    try {
      Files.createDirectories(dir);
      Files.write(whole, c.input());
      Files.write(small1, small);
    } catch (IOException e) {
      // the message below still has the trace
    }
    StringBuilder sb = new StringBuilder();
    sb.append("engine and model disagree on ").append(c.spec()).append(", ").append(c.origin())
        .append(c.flush() ? ", --flush" : "").append(c.viaCli() ? ", via `check`" : c.live() ? ", via Monitor (live dedupe)" : ", via Monitor")
        .append(" (").append(lines.size()).append(" lines; shrunk to ").append(shrunk.size())
        .append(")\n");
    appendDiff(sb, "shrunk trace", smallExpected, smallActual);
    sb.append("shrunk trace (").append(small1).append("):\n");
    int n = 0;
    for (byte[] l : shrunk) {
      sb.append(String.format("%4d| ", ++n)).append(new String(l, StandardCharsets.UTF_8)).append('\n');
    }
    sb.append("reproduce (from the repository root):\n  SPECWATCH_NO_BUILD=1 ./specwatch check ")
        .append(c.specPath()).append(" --events ").append(small1).append(c.flush() ? " --flush" : "")
        .append("\n  whole trace: ").append(whole)
        .append("\n  this seed alone: mvn -q -o -pl load-tests test -Dtest=DifferentialTest -Dspecwatch.diff.seed=")
        .append(c.seed()).append('\n');
    appendDiff(sb, "whole trace", expected, actual);
    return sb.toString();
  }

  private static void appendDiff(StringBuilder sb, String what, List<MViolation> expected,
      List<MViolation> actual) {
    int first = 0;
    while (first < Math.min(expected.size(), actual.size()) && same(expected.get(first), actual.get(first))) {
      first++;
    }
    sb.append(what).append(": first difference at violation #").append(first + 1).append('\n');
    sb.append("  model  (").append(expected.size()).append("):\n");
    for (int i = 0; i < expected.size(); i++) {
      sb.append(i == first ? "  > " : "    ").append(expected.get(i).show()).append('\n');
    }
    sb.append("  engine (").append(actual.size()).append("):\n");
    for (int i = 0; i < actual.size(); i++) {
      sb.append(i == first ? "  > " : "    ").append(actual.get(i).show()).append('\n');
    }
  }

  /** Removes chunks of lines while the mismatch remains (ddmin-style), within a time budget. */
  static List<byte[]> shrink(List<byte[]> lines, java.util.function.Predicate<List<byte[]>> fails) {
    long deadline = System.nanoTime() + 20_000_000_000L;
    List<byte[]> cur = new ArrayList<>(lines);
    int chunk = Math.max(1, cur.size() / 2);
    while (System.nanoTime() < deadline) {
      boolean removed = false;
      for (int start = 0; start < cur.size() && System.nanoTime() < deadline; ) {
        List<byte[]> candidate = new ArrayList<>(cur.subList(0, start));
        candidate.addAll(cur.subList(Math.min(cur.size(), start + chunk), cur.size()));
        if (!candidate.isEmpty() && candidate.size() < cur.size() && fails.test(candidate)) {
          cur = candidate;
          removed = true;
        } else {
          start += chunk;
        }
      }
      if (!removed) {
        if (chunk == 1) {
          break;
        }
        chunk = Math.max(1, chunk / 2);
      }
    }
    return cur;
  }

  static List<byte[]> split(byte[] input) {
    List<byte[]> out = new ArrayList<>();
    int pos = 0;
    while (pos < input.length) {
      int end = pos;
      while (end < input.length && input[end] != '\n') {
        end++;
      }
      out.add(java.util.Arrays.copyOfRange(input, pos, end));
      pos = end + 1;
    }
    return out;
  }

  static byte[] join(List<byte[]> lines) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (byte[] l : lines) {
      out.writeBytes(l);
      out.write('\n');
    }
    return out.toByteArray();
  }

  static long countLines(byte[] input) {
    return split(input).size();
  }

  static String text(byte[] input) {
    return new String(input, StandardCharsets.UTF_8);
  }
}
