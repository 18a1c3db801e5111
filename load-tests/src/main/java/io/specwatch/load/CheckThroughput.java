package io.specwatch.load;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import io.specwatch.cli.Main;
import io.specwatch.core.LinePosition;
import io.specwatch.core.engine.DedupeLimits;
import io.specwatch.core.engine.Monitor;
import io.specwatch.core.engine.RuntimeStats;
import io.specwatch.core.engine.SpecRuntime;
import io.specwatch.core.json.DocumentDecoder;
import io.specwatch.ingest.file.JsonlReader;
import io.specwatch.spec.CompileResult;
import io.specwatch.spec.SourceFile;
import io.specwatch.spec.SpecCompiler;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Throughput of {@code specwatch check} against a bare Jackson parse of the same file, in one JVM.
 *
 * <p>Generates (or takes) a large payments log, then alternates, after a warm-up round of each:
 * (a) the baseline, reading the file's lines as bytes and running a Jackson streaming parser over
 * each line to its end, building nothing; (b) the whole {@code specwatch check} command
 * ({@link Main#run}) with {@code payments-load.sw}, its output going to a counting null stream.
 * Prints lines/s of both, the ratio, the violations found, the peak heap used during each pass
 * (sampled) and, from one more untimed pass through the Monitor API, the live instances and the
 * heap they retain.
 *
 * <pre>
 * java -cp load-tests/target/specwatch-load.jar io.specwatch.load.CheckThroughput \
 *     [--lines 10m] [--entities 100k] [--long-lived] [--seed 1] [--fault-rate 0.002] [--file PATH]
 *     [--rounds 3] [--spec FILE.sw] [--no-retained] [--sequential]
 * </pre>
 *
 * <p>Without {@code --file} the log is {@code /tmp/specwatch-load-LINES-ENTITIES-sSEED.jsonl},
 * generated when missing (its counts go to a {@code .truth} file next to it).
 */
public final class CheckThroughput {
  private CheckThroughput() {}

  static final String USAGE = "usage: CheckThroughput [--lines N (10m)] [--entities K (100k)]"
      + " [--long-lived] [--seed S (1)] [--fault-rate R (0.002)] [--file PATH] [--rounds N (3)]"
      + " [--spec FILE.sw] [--no-retained] [--sequential]";

  public static void main(String[] args) throws Exception {
    System.exit(run(args, System.out, System.err));
  }

  /** One measured pass. */
  record Pass(String what, long lines, double seconds, long peakHeapBytes, long violations,
      double gcSeconds, double threadCpuSeconds) {
    double linesPerSecond() {
      return lines / seconds;
    }
  }

  static int run(String[] args, PrintStream out, PrintStream err) throws Exception {
    PaymentsLogGenerator.Options gen = new PaymentsLogGenerator.Options()
        .lines(10_000_000).entities(100_000).seed(1);
    Path file = null;
    Path spec = null;
    int rounds = 3;
    boolean retained = true;
    boolean sequential = false;
    try {
      for (int i = 0; i < args.length; i++) {
        switch (args[i]) {
          case "--lines" -> gen.lines = PaymentsLogGenerator.parseCount(args[++i]);
          case "--entities" -> gen.entities = (int) PaymentsLogGenerator.parseCount(args[++i]);
          case "--seed" -> gen.seed = Long.parseLong(args[++i]);
          case "--long-lived" -> gen.longLived = true;
          case "--fault-rate" -> gen.faultRate = Double.parseDouble(args[++i]);
          case "--file" -> file = Path.of(args[++i]);
          case "--rounds" -> rounds = Integer.parseInt(args[++i]);
          case "--spec" -> spec = Path.of(args[++i]);
          case "--no-retained" -> retained = false;
          case "--sequential" -> sequential = true; // check --sequential: one thread
          case "-h", "--help" -> {
            out.println(USAGE);
            return 0;
          }
          default -> throw new IllegalArgumentException("unknown option " + args[i]);
        }
      }
      gen.validate();
      if (rounds < 1) {
        throw new IllegalArgumentException("--rounds must be at least 1");
      }
    } catch (RuntimeException e) {
      err.println("CheckThroughput: " + e.getMessage());
      err.println(USAGE);
      return 2;
    }

    if (spec == null) {
      spec = Files.createTempFile("payments-load", ".sw");
      spec.toFile().deleteOnExit();
      try (InputStream in = CheckThroughput.class.getResourceAsStream("/payments-load.sw")) {
        Files.write(spec, in.readAllBytes());
      }
    }
    if (file == null) {
      file = Path.of(System.getProperty("java.io.tmpdir"), String.format(Locale.ROOT,
          "specwatch-load-%d-%d-s%d%s%s.jsonl", gen.lines, gen.entities, gen.seed,
          gen.faultRate == 0.002 ? "" : "-f" + gen.faultRate, gen.longLived ? "-long" : ""));
      Path truthFile = Path.of(file + ".truth");
      if (!Files.exists(file) || !Files.exists(truthFile)) {
        out.printf(Locale.ROOT, "generating %s ...%n", file);
        long t0 = System.nanoTime();
        Path tmp = Path.of(file + ".part");
        PaymentsLogGenerator.Truth truth = PaymentsLogGenerator.write(gen, tmp);
        Files.move(tmp, file, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        Files.writeString(truthFile, truth + "\n");
        out.printf(Locale.ROOT, "generated in %.1f s%n", (System.nanoTime() - t0) / 1e9);
      }
      out.println("generator: " + Files.readString(truthFile).trim());
    }
    final Path log = file;
    final Path specFile = spec;
    long bytes = Files.size(log);

    Runtime rt = Runtime.getRuntime();
    out.printf(Locale.ROOT, "file: %s (%.1f MB)%nspec: %s%nJVM: %s %s, %d processors, max heap %d MB, GC %s%n",
        log, bytes / 1e6, specFile, System.getProperty("java.vm.name"), System.getProperty("java.version"),
        rt.availableProcessors(), rt.maxMemory() >> 20, gcNames());
    out.printf(Locale.ROOT, "JVM arguments: %s%n",
        ManagementFactory.getRuntimeMXBean().getInputArguments());

    List<Pass> baseline = new ArrayList<>();
    List<Pass> check = new ArrayList<>();
    String summary = null;
    for (int round = 0; round <= rounds; round++) {
      String label = round == 0 ? "warm-up" : "round " + round;
      Pass a = measure("baseline", () -> baseline(log));
      out.printf(Locale.ROOT, "%-8s (a) Jackson parse: %,12.0f lines/s  %6.2f s  peak heap %,6d MB  GC %5.2f s"
          + "  thread CPU %6.2f s%n", label, a.linesPerSecond(), a.seconds(),
          a.peakHeapBytes() >> 20, a.gcSeconds(), a.threadCpuSeconds());
      String[] holder = new String[1];
      boolean oneThread = sequential;
      Pass b = measure("check", () -> check(log, specFile, holder, oneThread));
      summary = holder[0];
      out.printf(Locale.ROOT, "%-8s (b) specwatch check: %,10.0f lines/s  %6.2f s  peak heap %,6d MB  GC %5.2f s"
          + "  reader thread CPU %6.2f s  %d violations%n", label, b.linesPerSecond(), b.seconds(),
          b.peakHeapBytes() >> 20, b.gcSeconds(), b.threadCpuSeconds(), b.violations());
      // The pipelined check's critical path is its reader thread (it parses and admits; the
      // evaluator has time to spare): its CPU time against the parse's is the ratio a machine
      // shared with other tenants disturbs least (time spent descheduled is not counted).
      out.printf(Locale.ROOT, "%-8s CPU ratio (a) parse thread / (b) reader thread: %.3f%n", label,
          a.threadCpuSeconds() / b.threadCpuSeconds());
      if (round > 0) {
        baseline.add(a);
        check.add(b);
      }
    }

    double aMedian = median(baseline);
    double bMedian = median(check);
    long lines = check.get(0).lines();
    out.println();
    out.println("summary of `check` (last round, its standard error):");
    out.print(summary.indent(2));
    out.println();
    out.printf(Locale.ROOT, "| pass | lines/s (median of %d) | best | peak heap used | GC time (median) |%n", rounds);
    out.println("| --- | ---: | ---: | ---: | ---: |");
    out.printf(Locale.ROOT, "| (a) Jackson streaming parse, every line | %,.0f | %,.0f | %,d MB | %.1f s |%n",
        aMedian, best(baseline), maxPeak(baseline) >> 20, medianGc(baseline));
    out.printf(Locale.ROOT, "| (b) `specwatch check` payments-load.sw | %,.0f | %,.0f | %,d MB | %.1f s |%n",
        bMedian, best(check), maxPeak(check) >> 20, medianGc(check));
    out.printf(Locale.ROOT, "ratio (b)/(a) of lines/s: %.3f (check takes %.2fx the time of the bare parse)%n",
        bMedian / aMedian, aMedian / bMedian);
    out.printf(Locale.ROOT, "lines: %,d; violations found by check: %,d%n", lines, check.get(0).violations());

    if (retained) {
      retained(log, specFile, out);
    }
    return 0;
  }

  // ---------------------------------------------------------------- (a) the baseline

  private static final JsonFactory FACTORY = new JsonFactory();

  /** Reads the file's lines as bytes and parses each to its end with Jackson; builds nothing. */
  static long[] baseline(Path file) throws IOException {
    long[] counts = new long[3]; // lines, tokens, lines that are not JSON
    try (InputStream in = Files.newInputStream(file)) {
      forEachLine(in, (buf, off, len) -> {
        counts[0]++;
        try (JsonParser p = FACTORY.createParser(buf, off, len)) {
          while (p.nextToken() != null) {
            counts[1]++;
          }
        } catch (JsonProcessingException e) {
          counts[2]++;
        }
      });
    }
    return counts;
  }

  interface LineHandler {
    void line(byte[] buf, int off, int len) throws IOException;
  }

  /** Splits a stream into lines (without the LF and a trailing CR), in place when possible. */
  static void forEachLine(InputStream in, LineHandler h) throws IOException {
    byte[] chunk = new byte[1 << 16];
    byte[] carry = new byte[4096];
    int carryLen = 0;
    int n;
    while ((n = in.read(chunk)) > 0) {
      int start = 0;
      for (int i = 0; i < n; i++) {
        if (chunk[i] != '\n') {
          continue;
        }
        if (carryLen == 0) {
          emit(h, chunk, start, i - start);
        } else {
          carry = append(carry, carryLen, chunk, start, i - start);
          carryLen += i - start;
          emit(h, carry, 0, carryLen);
          carryLen = 0;
        }
        start = i + 1;
      }
      if (start < n) {
        carry = append(carry, carryLen, chunk, start, n - start);
        carryLen += n - start;
      }
    }
    if (carryLen > 0) {
      emit(h, carry, 0, carryLen);
    }
  }

  private static void emit(LineHandler h, byte[] b, int off, int len) throws IOException {
    if (len > 0 && b[off + len - 1] == '\r') {
      len--;
    }
    if (len > 0) {
      h.line(b, off, len);
    }
  }

  private static byte[] append(byte[] carry, int carryLen, byte[] src, int off, int len) {
    if (carryLen + len > carry.length) {
      carry = Arrays.copyOf(carry, Math.max(carry.length * 2, carryLen + len));
    }
    System.arraycopy(src, off, carry, carryLen, len);
    return carry;
  }

  // ---------------------------------------------------------------- (b) specwatch check

  /**
   * Runs {@code specwatch check SPEC --events FILE} (with {@code --sequential} if asked);
   * returns {lines, violations}.
   */
  static long[] check(Path file, Path spec, String[] summary, boolean sequential) {
    CountingNullStream stdout = new CountingNullStream();
    ByteArrayOutputStream stderr = new ByteArrayOutputStream();
    List<String> args = new ArrayList<>(List.of("check", spec.toString(), "--events",
        file.toString()));
    if (sequential) {
      args.add("--sequential");
    }
    int status = Main.run(args.toArray(new String[0]),
        InputStream.nullInputStream(), new PrintStream(stdout, false, StandardCharsets.UTF_8),
        new PrintStream(stderr, true, StandardCharsets.UTF_8));
    String err = stderr.toString(StandardCharsets.UTF_8);
    if (status > 1) {
      throw new IllegalStateException("check exited " + status + ": " + err);
    }
    summary[0] = err;
    Matcher m = Pattern.compile("check: (\\d+) lines").matcher(err);
    long lines = m.find() ? Long.parseLong(m.group(1)) : -1;
    return new long[] {lines, stdout.lines.get()};
  }

  /** Discards output, counting line feeds (one violation per line). */
  static final class CountingNullStream extends OutputStream {
    final AtomicLong lines = new AtomicLong();

    @Override
    public void write(int b) {
      if (b == '\n') {
        lines.incrementAndGet();
      }
    }

    @Override
    public void write(byte[] b, int off, int len) {
      long n = 0;
      for (int i = off; i < off + len; i++) {
        if (b[i] == '\n') {
          n++;
        }
      }
      lines.addAndGet(n);
    }
  }

  // ---------------------------------------------------------------- measuring

  interface Body {
    long[] run() throws Exception;
  }

  /** Runs one pass after a full GC, sampling heap use every 5 ms; times it. */
  static Pass measure(String what, Body body) throws Exception {
    MemoryMXBean mem = ManagementFactory.getMemoryMXBean();
    System.gc();
    System.gc();
    AtomicLong peak = new AtomicLong(mem.getHeapMemoryUsage().getUsed());
    Thread sampler = new Thread(() -> {
      while (!Thread.currentThread().isInterrupted()) {
        peak.accumulateAndGet(mem.getHeapMemoryUsage().getUsed(), Math::max);
        try {
          Thread.sleep(5);
        } catch (InterruptedException e) {
          return;
        }
      }
    }, "heap-sampler");
    sampler.setDaemon(true);
    sampler.start();
    long gc0 = gcMillis();
    java.lang.management.ThreadMXBean threads = ManagementFactory.getThreadMXBean();
    long cpu0 = threads.getCurrentThreadCpuTime();
    long t0 = System.nanoTime();
    long[] result = body.run();
    double seconds = (System.nanoTime() - t0) / 1e9;
    double cpu = (threads.getCurrentThreadCpuTime() - cpu0) / 1e9;
    long gc = gcMillis() - gc0;
    sampler.interrupt();
    sampler.join();
    peak.accumulateAndGet(mem.getHeapMemoryUsage().getUsed(), Math::max);
    return new Pass(what, result[0], seconds, peak.get(), what.equals("check") ? result[1] : 0,
        gc / 1e3, cpu);
  }

  /** Total time the collectors report (G1: young and mixed pauses, and full collections). */
  static long gcMillis() {
    long sum = 0;
    for (var g : ManagementFactory.getGarbageCollectorMXBeans()) {
      sum += Math.max(0, g.getCollectionTime());
    }
    return sum;
  }

  /** One more pass through the Monitor API: live instances and the heap they retain at the end. */
  static void retained(Path file, Path spec, PrintStream out) throws IOException {
    CompileResult compiled = SpecCompiler.compile(
        List.of(new SourceFile(spec.toString(), Files.readString(spec))));
    MemoryMXBean mem = ManagementFactory.getMemoryMXBean();
    System.gc();
    System.gc();
    long before = mem.getHeapMemoryUsage().getUsed();
    // check's dedupe memory: every id remembered, up to its default limit
    Monitor monitor = new Monitor(compiled.programs(), DocumentDecoder.DEFAULT_MAX_DEPTH, 0, 1, 0,
        DedupeLimits.forCheck(DedupeLimits.DEFAULT_CHECK_EXACT_IDS));
    long[] violations = new long[1];
    try (InputStream in = Files.newInputStream(file)) {
      new JsonlReader(in, JsonlReader.DEFAULT_MAX_DOCUMENT_BYTES).readAll(new JsonlReader.Handler() {
        @Override
        public void document(byte[] buf, int off, int len, long line) {
          monitor.accept(buf, off, len, new LinePosition(line), v -> violations[0]++);
        }

        @Override
        public void oversized(long line, long size) {
          monitor.reject(new LinePosition(line), "oversized", v -> violations[0]++);
        }
      });
    }
    System.gc();
    System.gc();
    long after = mem.getHeapMemoryUsage().getUsed();
    for (SpecRuntime r : monitor.runtimes()) {
      RuntimeStats s = r.stats();
      long held = after - before;
      out.printf(Locale.ROOT, "retained at the end (Monitor API pass, after full GC): %,d MB for %,d live"
              + " instances (%,d bytes per instance), %,d deadlines armed, %,d ids in the dedupe memory;"
              + " %,d violations%n", held >> 20, s.liveInstances,
          s.liveInstances == 0 ? 0 : held / s.liveInstances, s.armedDeadlines, s.rememberedIds,
          violations[0]);
    }
  }

  private static double median(List<Pass> passes) {
    double[] v = passes.stream().mapToDouble(Pass::linesPerSecond).sorted().toArray();
    return v.length % 2 == 1 ? v[v.length / 2] : (v[v.length / 2 - 1] + v[v.length / 2]) / 2;
  }

  private static double medianGc(List<Pass> passes) {
    double[] v = passes.stream().mapToDouble(Pass::gcSeconds).sorted().toArray();
    return v.length % 2 == 1 ? v[v.length / 2] : (v[v.length / 2 - 1] + v[v.length / 2]) / 2;
  }

  private static double best(List<Pass> passes) {
    return passes.stream().mapToDouble(Pass::linesPerSecond).max().orElse(0);
  }

  private static long maxPeak(List<Pass> passes) {
    return passes.stream().mapToLong(Pass::peakHeapBytes).max().orElse(0);
  }

  private static String gcNames() {
    List<String> names = new ArrayList<>();
    ManagementFactory.getGarbageCollectorMXBeans().forEach(g -> names.add(g.getName()));
    return String.join(", ", names);
  }
}
