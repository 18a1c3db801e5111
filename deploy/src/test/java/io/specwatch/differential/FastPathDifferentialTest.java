package io.specwatch.differential;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.specwatch.core.LinePosition;
import io.specwatch.core.engine.DedupeLimits;
import io.specwatch.core.engine.Monitor;
import io.specwatch.core.engine.reference.ReferenceMonitor;
import io.specwatch.core.json.DocumentDecoder;
import io.specwatch.core.program.Program;
import io.specwatch.ingest.file.JsonlReader;
import io.specwatch.spec.CompileResult;
import io.specwatch.spec.SourceFile;
import io.specwatch.spec.SpecCompiler;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The production engine ({@link Monitor}: compiled hot path, compact instance storage) against
 * the frozen tree-walking {@link ReferenceMonitor}: on thousands of random traces per spec (the
 * examples, the conformance cases, the payments load spec), both must raise identical violations,
 * as full JSON lines, in the same order, with and without {@code --flush}, with a live stream's
 * dedupe memory and with {@code check}'s.
 *
 * <p>Traces are seeded: a failure prints the spec, the seed and a minimal trace that still
 * differs. System properties: {@code specwatch.differential.traces} (per spec, default 2000),
 * {@code specwatch.differential.seconds} (time bound per spec, default 2) and
 * {@code specwatch.differential.seed} (run only that seed, to replay a failure).
 */
class FastPathDifferentialTest {
  private static final Path EXAMPLES = Path.of("..", "examples");
  private static final Path CONFORMANCE = Path.of("src", "test", "resources", "conformance");
  private static final Path PROBES = Path.of("src", "test", "resources", "contract-probes");
  private static final Path LOAD_SPEC =
      Path.of("..", "load-tests", "src", "main", "resources", "payments-load.sw");
  private static final Path LOAD_CORPUS =
      Path.of("src", "test", "resources", "differential", "payments-load.jsonl");

  private static final int TRACES = Integer.getInteger("specwatch.differential.traces", 2000);
  private static final long SECONDS = Long.getLong("specwatch.differential.seconds", 2);
  private static final Long ONLY_SEED = Long.getLong("specwatch.differential.seed");

  /** A spec set and the example documents its traces are made from. */
  record Case(String name, List<Path> specs, Path corpus) {
    @Override
    public String toString() {
      return name;
    }
  }

  static Stream<Arguments> cases() throws IOException {
    List<Arguments> all = new ArrayList<>();
    for (Path root : List.of(EXAMPLES, CONFORMANCE)) {
      try (Stream<Path> dirs = Files.list(root)) {
        for (Path dir : dirs.filter(Files::isDirectory).sorted().toList()) {
          // A case with a compile error (exit_status) or without a spec has nothing to run.
          if (Files.exists(dir.resolve("events.jsonl")) && !Files.exists(dir.resolve("exit_status"))
              && !specsIn(dir).isEmpty()) {
            all.add(Arguments.of(new Case(dir.getFileName().toString(), specsIn(dir),
                dir.resolve("events.jsonl"))));
          }
        }
      }
    }
    all.add(Arguments.of(new Case("payments-load", List.of(LOAD_SPEC), LOAD_CORPUS)));
    return all.stream();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void fastPathRaisesExactlyWhatTheReferenceRaises(Case c) throws IOException {
    List<Program> programs = compile(c.specs());
    TraceGenerator gen = new TraceGenerator(Files.readAllLines(c.corpus(), StandardCharsets.UTF_8));
    long base = c.name().hashCode() * 1_000_003L;
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(SECONDS);
    int ran = 0;
    int withViolations = 0;
    for (int i = 0; i < TRACES && (ran < 200 || System.nanoTime() < deadline); i++) {
      long seed = ONLY_SEED != null ? ONLY_SEED : base + i;
      Random rnd = new Random(seed);
      List<String> trace = gen.trace(rnd, 4 + rnd.nextInt(40));
      boolean flush = rnd.nextBoolean();
      DedupeLimits dedupe = dedupeLimits(rnd);
      List<String> expected = run(true, programs, trace, flush, dedupe);
      List<String> actual;
      try {
        actual = run(false, programs, trace, flush, dedupe);
      } catch (RuntimeException e) {
        throw new AssertionError(report(c, seed, programs, trace, flush, dedupe), e);
      }
      if (!expected.equals(actual)) {
        fail(report(c, seed, programs, trace, flush, dedupe));
      }
      ran++;
      if (!expected.isEmpty()) {
        withViolations++;
      }
      if (ONLY_SEED != null) {
        break;
      }
    }
    if (ONLY_SEED != null) {
      return; // a replay of one trace: it passed, and the counts below are about many traces
    }
    assertTrue(ran >= Math.min(200, TRACES), "only " + ran + " traces ran");
    // A generator that never provokes a violation would prove nothing.
    assertTrue(withViolations * 4 >= ran, withViolations + " of " + ran + " traces raised anything");
  }

  static Stream<Arguments> probes() throws IOException {
    List<Arguments> all = new ArrayList<>();
    try (Stream<Path> dirs = Files.list(PROBES)) {
      for (Path dir : dirs.filter(Files::isDirectory).sorted().toList()) {
        if (!Files.exists(dir.resolve("exit_status")) || !Files.readString(dir.resolve(
            "exit_status")).trim().equals("2")) { // a compile error has nothing to run
          all.add(Arguments.of(dir.getFileName().toString(), dir));
        }
      }
    }
    return all.stream();
  }

  /**
   * Every contract probe's input, read as {@code check} reads it, raises the same violations in
   * the same order on both engines, with the probe's {@code --flush} and {@code
   * --dedupe-exact-ids}: the probes reach corners (times at the edge of 64 bits, say) that the
   * random traces do not, and only the fast engine runs under {@code check}.
   */
  @ParameterizedTest(name = "{0}")
  @MethodSource("probes")
  void everyContractProbeRaisesTheSameOnBothEngines(String name, Path dir) throws IOException {
    List<Program> programs = compile(specsIn(dir));
    List<String> args = Files.exists(dir.resolve("args"))
        ? List.of(Files.readString(dir.resolve("args")).trim().split("\\s+")) : List.of();
    boolean flush = args.contains("--flush");
    int exact = args.indexOf("--dedupe-exact-ids");
    DedupeLimits dedupe = DedupeLimits.forCheck(exact >= 0
        ? Long.parseLong(args.get(exact + 1)) : DedupeLimits.DEFAULT_CHECK_EXACT_IDS);
    List<String> expected = runFile(true, programs, dir.resolve("events.jsonl"), flush, dedupe);
    List<String> actual = runFile(false, programs, dir.resolve("events.jsonl"), flush, dedupe);
    assertEquals(expected, actual, name);
    long lines = Files.readAllLines(dir.resolve("expected.jsonl")).stream()
        .filter(l -> !l.isBlank()).count();
    assertEquals(lines, actual.size(), name + ": as many violations as the probe expects");
  }

  /** {@link #run} over a file read by {@code check}'s reader (blank lines, CR, line numbers). */
  private static List<String> runFile(boolean reference, List<Program> programs, Path events,
      boolean flush, DedupeLimits dedupe) throws IOException {
    List<String> out = new ArrayList<>();
    Engine engine = new Engine(reference, programs, dedupe, out);
    try (java.io.InputStream in = Files.newInputStream(events)) {
      new JsonlReader(in, 1 << 20).readAll(new JsonlReader.Handler() {
        @Override
        public void document(byte[] buf, int off, int len, long line) {
          engine.accept(buf, off, len, line);
        }

        @Override
        public void oversized(long line, long size) {
          // check reports it without either engine (one malformed per spec); count it the same
          for (Program p : programs) {
            out.add("oversized line " + line + " for " + p.name());
          }
        }
      });
    }
    if (flush) {
      engine.flush();
    }
    return out;
  }

  /** One of the two engines, collecting what it raises as JSON lines. */
  private static final class Engine {
    private final ReferenceMonitor ref;
    private final Monitor fast;
    private final List<String> out;

    Engine(boolean reference, List<Program> programs, DedupeLimits dedupe, List<String> out) {
      int depth = DocumentDecoder.DEFAULT_MAX_DEPTH;
      this.ref = reference ? new ReferenceMonitor(programs, depth, dedupe) : null;
      this.fast = reference ? null : new Monitor(programs, depth, 0, 1, 0, dedupe);
      this.out = out;
    }

    void accept(byte[] buf, int off, int len, long line) {
      LinePosition pos = new LinePosition(line);
      if (ref != null) {
        ref.accept(buf, off, len, pos, v -> out.add(v.toJson()));
      } else {
        fast.accept(buf, off, len, pos, v -> out.add(v.toJson()));
      }
    }

    void flush() {
      if (ref != null) {
        ref.flush(v -> out.add(v.toJson()));
      } else {
        fast.flush(v -> out.add(v.toJson()));
      }
    }
  }

  /**
   * The dedupe memory a trace runs with: a live stream's (forgets from the start), check's
   * (exact), or either with room for a few ids only, so that the switch from exact to forgetting
   * and the cap on ids held happen inside the trace. (With a cap this small the fast memory's
   * sweep for room covers its whole table, so it holds exactly the ids the reference holds.)
   * Drawn after the trace, so seeds keep their traces.
   */
  private static DedupeLimits dedupeLimits(Random rnd) {
    switch (rnd.nextInt(5)) {
      case 0:
        return DedupeLimits.LIVE;
      case 1:
        return DedupeLimits.forCheck(DedupeLimits.DEFAULT_CHECK_EXACT_IDS);
      case 2:
        return DedupeLimits.forCheck(1 + rnd.nextInt(6));
      case 3:
        return DedupeLimits.LIVE.withMaxIds(1 + rnd.nextInt(6));
      default:
        return DedupeLimits.forCheck(1 + rnd.nextInt(6)).withMaxIds(1 + rnd.nextInt(6));
    }
  }

  /** The violations, as JSON lines, of the reference or the fast path over {@code trace}. */
  static List<String> run(boolean reference, List<Program> programs, List<String> trace,
      boolean flush, DedupeLimits dedupe) {
    List<String> out = new ArrayList<>();
    Engine engine = new Engine(reference, programs, dedupe, out);
    for (int i = 0; i < trace.size(); i++) {
      byte[] b = trace.get(i).getBytes(StandardCharsets.UTF_8);
      engine.accept(b, 0, b.length, i + 1);
    }
    if (flush) {
      engine.flush();
    }
    return out;
  }

  /** Shrinks the trace (drops lines while the engines still disagree) and describes it. */
  private static String report(Case c, long seed, List<Program> programs, List<String> trace,
      boolean flush, DedupeLimits dedupe) {
    List<String> minimal = new ArrayList<>(trace);
    boolean shrunk = true;
    while (shrunk) {
      shrunk = false;
      for (int i = 0; i < minimal.size(); i++) {
        List<String> smaller = new ArrayList<>(minimal);
        smaller.remove(i);
        if (differ(programs, smaller, flush, dedupe)) {
          minimal = smaller;
          shrunk = true;
          break;
        }
      }
    }
    StringBuilder sb = new StringBuilder();
    sb.append(c.name()).append(": fast path and reference differ; seed ").append(seed)
        .append(" (replay with -Dspecwatch.differential.seed=").append(seed).append("), flush ")
        .append(flush).append(", ").append(dedupe).append("\nminimal trace:\n");
    minimal.forEach(l -> sb.append("  ").append(l).append('\n'));
    sb.append("reference:\n");
    run(true, programs, minimal, flush, dedupe).forEach(l -> sb.append("  ").append(l).append('\n'));
    sb.append("fast path:\n");
    run(false, programs, minimal, flush, dedupe).forEach(l -> sb.append("  ").append(l).append('\n'));
    return sb.toString();
  }

  private static boolean differ(List<Program> programs, List<String> trace, boolean flush,
      DedupeLimits dedupe) {
    try {
      return !run(true, programs, trace, flush, dedupe)
          .equals(run(false, programs, trace, flush, dedupe));
    } catch (RuntimeException e) {
      return true; // a crash of either engine is a difference too
    }
  }

  private static List<Path> specsIn(Path dir) throws IOException {
    try (Stream<Path> files = Files.list(dir)) {
      return files.filter(f -> f.toString().endsWith(".sw")).sorted().toList();
    }
  }

  private static List<Program> compile(List<Path> specs) throws IOException {
    List<SourceFile> sources = new ArrayList<>();
    for (Path f : specs) {
      sources.add(new SourceFile(f.toString(), Files.readString(f)));
    }
    CompileResult r = SpecCompiler.compile(sources);
    assertTrue(r.ok(), () -> r.diagnostics().toString());
    return r.programs();
  }
}
