package io.specwatch.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.specwatch.core.DocumentBatch;
import io.specwatch.core.LinePosition;
import io.specwatch.core.Violation;
import io.specwatch.core.engine.Monitor;
import io.specwatch.core.pipeline.Pipeline;
import io.specwatch.core.pipeline.PipelineConfig;
import io.specwatch.core.pipeline.SinkQueue;
import io.specwatch.core.program.Program;
import io.specwatch.spec.CompileResult;
import io.specwatch.spec.SourceFile;
import io.specwatch.spec.SpecCompiler;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The live pipeline must raise exactly the violations {@code specwatch check} raises over the same
 * input, whatever the number of evaluator threads and wherever documents are decoded (a decode
 * thread of its own, or the publishing thread): in the same order with one evaluator, as the
 * same multiset with several (only the interleaving between shards may differ).
 */
class PipelineEquivalenceTest {
  private static final Path EXAMPLES = Path.of("..", "examples");
  private static final PipelineConfig.DecodeMode[] MODES = {
      PipelineConfig.DecodeMode.OWN_THREAD, PipelineConfig.DecodeMode.ON_PUBLISH};

  static Stream<Arguments> examples() throws IOException {
    List<Arguments> all = new ArrayList<>();
    try (Stream<Path> dirs = Files.list(EXAMPLES)) {
      for (Path dir : dirs.sorted().toList()) {
        if (Files.exists(dir.resolve("events.jsonl"))) {
          for (int n : new int[] {1, 2, 3, 4}) {
            for (PipelineConfig.DecodeMode mode : MODES) {
              all.add(Arguments.of(dir.getFileName().toString(), n, mode));
            }
          }
        }
      }
    }
    return all.stream();
  }

  @ParameterizedTest(name = "{0} with {1} evaluator(s), decode {2}")
  @MethodSource("examples")
  void pipelineRaisesWhatCheckRaisesOnTheExamples(String example, int evaluators,
      PipelineConfig.DecodeMode mode) throws Exception {
    Path dir = EXAMPLES.resolve(example);
    List<Program> programs = compile(dir);
    List<byte[]> lines = lines(dir.resolve("events.jsonl"));
    List<String> expected = sequential(programs, lines, true);
    assertFalse(expected.isEmpty(), "the example should raise violations");
    assertSameViolations(expected, pipeline(programs, lines, evaluators, mode, true, null),
        evaluators);
    assertSameViolations(expected,
        pipeline(programs, lines, evaluators, mode, true, new Random(evaluators)), evaluators);
  }

  /**
   * Thousands of traces made from the examples' own documents, reordered (late documents, early
   * deadlines), repeated (duplicates) and damaged (truncated lines), through 1 to 4 evaluators.
   */
  @ParameterizedTest(name = "{0}")
  @MethodSource("exampleNames")
  void pipelineRaisesWhatCheckRaisesOnPerturbedTraces(String example) throws Exception {
    Path dir = EXAMPLES.resolve(example);
    List<Program> programs = compile(dir);
    List<byte[]> original = lines(dir.resolve("events.jsonl"));
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(8);
    int traces = 0;
    for (long seed = 1; seed <= 300 && System.nanoTime() < deadline; seed++) {
      List<byte[]> trace = perturb(original, new Random(seed));
      boolean flush = seed % 2 == 0;
      List<String> expected = sequential(programs, trace, flush);
      int evaluators = 1 + (int) (seed % 4);
      PipelineConfig.DecodeMode mode = MODES[(int) (seed / 4 % 2)];
      // Half the traces of each mode are published in batches of random sizes (publishAll,
      // which reads ahead when decoding on publish), the rest one document at a time; the
      // choice must not follow the mode (seed / 4 % 2).
      Random batches = seed / 8 % 2 == 0 ? new Random(seed) : null;
      List<String> actual = pipeline(programs, trace, evaluators, mode, flush, batches);
      String how = "seed " + seed + ", " + evaluators + " evaluator(s), decode " + mode
          + (batches != null ? ", in batches" : "");
      if (evaluators == 1) {
        assertEquals(expected, actual, how + ": order must match check");
      } else {
        assertEquals(sorted(expected), sorted(actual), how);
      }
      traces++;
    }
    assertTrue(traces >= 30, "only " + traces + " traces ran within the time bound");
  }

  /**
   * {@code check --sequential} reads ahead too ({@link Monitor#acceptAll}): on the perturbed
   * traces (duplicates, late and truncated documents) it must raise exactly, and in the same
   * order, what the monitor raises one document at a time.
   */
  @ParameterizedTest(name = "{0}")
  @MethodSource("exampleNames")
  void monitorReadingAheadRaisesWhatItRaisesOneByOne(String example) throws Exception {
    Path dir = EXAMPLES.resolve(example);
    List<Program> programs = compile(dir);
    List<byte[]> original = lines(dir.resolve("events.jsonl"));
    for (long seed = 1; seed <= 100; seed++) {
      List<byte[]> trace = perturb(original, new Random(seed));
      boolean flush = seed % 2 == 0;
      List<String> expected = sequential(programs, trace, flush);
      List<String> actual = new ArrayList<>();
      Monitor m = new Monitor(programs);
      inBatches(trace, new Random(seed), b -> m.acceptAll(b, v -> actual.add(v.toJson()),
          (pos, e) -> {
            throw new AssertionError("document at " + pos + " failed", e);
          }));
      if (flush) {
        m.flush(v -> actual.add(v.toJson()));
      }
      assertEquals(expected, actual, "seed " + seed);
    }
  }

  /**
   * Regression: Disruptor's own shutdown ignores stages whose threads have not started, so a
   * pipeline closed right after a quick burst lost every document when its threads started late.
   */
  @ParameterizedTest(name = "decode {0}")
  @org.junit.jupiter.params.provider.EnumSource(value = PipelineConfig.DecodeMode.class,
      names = {"OWN_THREAD", "ON_PUBLISH"})
  void closeWaitsForStagesWhoseThreadsStartLate(PipelineConfig.DecodeMode mode) throws Exception {
    Path dir = EXAMPLES.resolve("payments");
    List<Program> programs = compile(dir);
    List<byte[]> lines = lines(dir.resolve("events.jsonl"));
    List<String> expected = sequential(programs, lines, false);
    java.util.concurrent.ThreadFactory late = r -> {
      Thread t = new Thread(() -> {
        try {
          Thread.sleep(300); // a stage thread that is slow to start, as on a loaded machine
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
        r.run();
      });
      t.setDaemon(true);
      return t;
    };
    List<Violation> collected = new ArrayList<>();
    SinkQueue queue = new SinkQueue("test", collected::add, 1 << 16, SinkQueue.Overflow.BLOCK);
    Pipeline p = new Pipeline(programs, PipelineConfig.defaults().withDecode(mode), queue, null,
        late);
    for (int i = 0; i < lines.size(); i++) {
      byte[] l = lines.get(i);
      if (!blank(l)) {
        p.publish(l, 0, l.length, new LinePosition(i + 1));
      }
    }
    p.close(false, 1, TimeUnit.MINUTES);
    queue.close();
    List<String> actual = new ArrayList<>();
    for (Violation v : collected) {
      actual.add(v.toJson());
    }
    assertEquals(expected, actual);
  }

  static Stream<String> exampleNames() throws IOException {
    try (Stream<Path> dirs = Files.list(EXAMPLES)) {
      return dirs.filter(d -> Files.exists(d.resolve("events.jsonl")))
          .map(d -> d.getFileName().toString()).sorted().toList().stream();
    }
  }

  private static List<byte[]> perturb(List<byte[]> original, Random rnd) {
    List<byte[]> trace = new ArrayList<>(original);
    int swaps = rnd.nextInt(original.size());
    for (int i = 0; i < swaps; i++) {
      Collections.swap(trace, rnd.nextInt(trace.size()), rnd.nextInt(trace.size()));
    }
    int extra = rnd.nextInt(original.size() / 4 + 1);
    for (int i = 0; i < extra; i++) {
      byte[] line = original.get(rnd.nextInt(original.size()));
      if (rnd.nextInt(5) == 0) {
        line = java.util.Arrays.copyOf(line, rnd.nextInt(line.length + 1));
      }
      trace.add(rnd.nextInt(trace.size() + 1), line);
    }
    return trace;
  }

  private static void assertSameViolations(List<String> expected, List<String> actual, int evaluators) {
    if (evaluators == 1) {
      assertEquals(expected, actual);
    } else {
      assertEquals(sorted(expected), sorted(actual));
    }
  }

  private static List<String> sorted(List<String> l) {
    List<String> s = new ArrayList<>(l);
    Collections.sort(s);
    return s;
  }

  private static List<Program> compile(Path dir) throws IOException {
    List<SourceFile> sources = new ArrayList<>();
    try (Stream<Path> files = Files.list(dir)) {
      for (Path f : files.filter(p -> p.toString().endsWith(".sw")).sorted().toList()) {
        sources.add(new SourceFile(f.toString(), Files.readString(f)));
      }
    }
    CompileResult r = SpecCompiler.compile(sources);
    assertTrue(r.ok(), () -> r.diagnostics().toString());
    return r.programs();
  }

  private static List<byte[]> lines(Path file) throws IOException {
    List<byte[]> out = new ArrayList<>();
    for (String l : Files.readAllLines(file, StandardCharsets.UTF_8)) {
      out.add(l.getBytes(StandardCharsets.UTF_8));
    }
    return out;
  }

  private static boolean blank(byte[] line) {
    for (byte b : line) {
      if (b != ' ' && b != '\t' && b != '\r') {
        return false;
      }
    }
    return true;
  }

  /**
   * Hands the non-blank lines to {@code publish} in batches of 1 to 40, as a file reader does:
   * the documents of a batch are ranges of one shared buffer, overwritten once it returns.
   */
  private static void inBatches(List<byte[]> lines, Random rnd,
      java.util.function.Consumer<DocumentBatch> publish) {
    int i = 0;
    while (i < lines.size()) {
      int size = 1 + rnd.nextInt(40);
      java.io.ByteArrayOutputStream joined = new java.io.ByteArrayOutputStream();
      List<int[]> ranges = new ArrayList<>();
      for (; i < lines.size() && ranges.size() < size; i++) {
        byte[] l = lines.get(i);
        if (!blank(l)) {
          ranges.add(new int[] {joined.size(), l.length, i + 1});
          joined.writeBytes(l);
          joined.write('\n');
        }
      }
      byte[] buf = joined.toByteArray();
      DocumentBatch batch = new DocumentBatch(41);
      for (int[] r : ranges) {
        batch.add(buf, r[0], r[1], new LinePosition(r[2]));
      }
      publish.accept(batch);
      Arrays.fill(buf, (byte) 'x'); // the bytes may change once publishing has returned
    }
  }

  private static List<String> sequential(List<Program> programs, List<byte[]> lines, boolean flush) {
    List<String> out = new ArrayList<>();
    Monitor m = new Monitor(programs);
    for (int i = 0; i < lines.size(); i++) {
      byte[] l = lines.get(i);
      if (!blank(l)) {
        m.accept(l, 0, l.length, new LinePosition(i + 1), v -> out.add(v.toJson()));
      }
    }
    if (flush) {
      m.flush(v -> out.add(v.toJson()));
    }
    return out;
  }

  /**
   * The pipeline's violations over {@code lines}: published one by one, or, given
   * {@code batches}, in {@link DocumentBatch}es of 1 to 40 documents that share one buffer.
   */
  private static List<String> pipeline(List<Program> programs, List<byte[]> lines, int evaluators,
      PipelineConfig.DecodeMode mode, boolean flush, Random batches) throws Exception {
    List<Violation> collected = new ArrayList<>();
    SinkQueue queue = new SinkQueue("test", collected::add, 1 << 16, SinkQueue.Overflow.BLOCK);
    // A small ring, so that publishing wraps around it many times and meets backpressure.
    Pipeline p = new Pipeline(programs, PipelineConfig.defaults().withRingSize(8)
        .withEvaluators(evaluators).withDecode(mode), queue, null);
    assertEquals(mode, p.decodeMode());
    if (batches == null) {
      for (int i = 0; i < lines.size(); i++) {
        byte[] l = lines.get(i);
        if (!blank(l)) {
          p.publish(l, 0, l.length, new LinePosition(i + 1));
        }
      }
    } else {
      inBatches(lines, batches, p::publishAll);
    }
    p.close(flush, 1, TimeUnit.MINUTES);
    queue.close();
    assertEquals(0, queue.dropped());
    assertEquals(0, p.stageFailures());
    List<String> out = new ArrayList<>();
    for (Violation v : collected) {
      out.add(v.toJson());
    }
    return out;
  }
}
