package io.specwatch.load.bench;

import io.specwatch.core.pipeline.PipelineConfig;
import io.specwatch.load.PaymentsLogGenerator;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.HdrHistogram.Histogram;

/**
 * The load runner: every engine on the payments workload of the performance issue (default 10M
 * events over 100k payments in flight), one after the other in one JVM, each for three passes on
 * a fresh engine: a warm-up on a prefix, a throughput pass (batches timed, not single events),
 * then a latency pass (each event timed into an HdrHistogram; a pipeline is instead fed open loop
 * at a fixed rate, by default half its measured maximum, and reports its own publish-to-verdict
 * latency). After the throughput pass, the heap retained after a full GC, divided by the live
 * instances, gives bytes per instance; and the engine's verdicts must equal the ground truth.
 *
 * <pre>
 * java -cp load-tests/target/specwatch-load.jar io.specwatch.load.bench.LoadRunner \
 *     [--events 10m] [--entities 100k] [--long-lived] [--seed 1]
 *     [--engines specwatch,monitor,pipeline,array,hashmap]
 *     [--rate N|half] [--evaluators 1] [--wait sleeping|yielding|blocking]
 *     [--decode auto|on-publish|own-thread] [--ring 1024] [--warmup 1m]
 *     [--latency-events all] [--open-loop-events 2m]
 * </pre>
 *
 * <p>The peers (Esper, Kafka Streams) run from the test classpath through
 * {@code io.specwatch.load.peers.SideBySide}, which calls {@link #run} with them added.
 */
public final class LoadRunner {
  private LoadRunner() {}

  static final String USAGE = "usage: LoadRunner [--events N (10m)] [--entities K (100k)]"
      + " [--long-lived] [--seed S (1)]"
      + " [--engines LIST (specwatch,monitor,pipeline,array,hashmap)] [--rate N|half (half)]"
      + " [--evaluators N (1)] [--wait sleeping|yielding|blocking (sleeping)]"
      + " [--decode auto|on-publish|own-thread (auto)] [--ring SLOTS (1024)] [--warmup N (1m)]"
      + " [--latency-events N (all)] [--open-loop-events N (2m)] [--batch N (4096)]";

  public static void main(String[] args) throws Exception {
    System.exit(run(args, System.out, Map.of(), "specwatch,monitor,pipeline,array,hashmap"));
  }

  /** What one engine measured. */
  public record Result(String name, double eventsPerSecond, Histogram latency, String latencyKind,
      long retainedBytes, long liveInstances, boolean verdictsMatch, int verdicts) {
    double bytesPerInstance() {
      return liveInstances == 0 ? Double.NaN : (double) retainedBytes / liveInstances;
    }
  }

  /**
   * Runs the engines named by {@code --engines} (built-in ones, or from {@code extra}); prints
   * progress and a results table to {@code out}. Returns 0, 1 when an engine's verdicts differ
   * from the ground truth, 2 on a usage error.
   */
  public static int run(String[] args, PrintStream out, Map<String, Engine.Factory> extra,
      String defaultEngines) throws Exception {
    long events = 10_000_000;
    int entities = 100_000;
    long seed = 1;
    boolean longLived = false;
    String engines = defaultEngines;
    String rate = "half";
    int evaluators = 1;
    PipelineConfig.WaitStrategyKind wait = PipelineConfig.WaitStrategyKind.SLEEPING;
    PipelineConfig.DecodeMode decode = PipelineConfig.DecodeMode.AUTO;
    int ring = PipelineConfig.defaults().ringSize();
    long warmup = 1_000_000;
    long latencyEvents = Long.MAX_VALUE;
    long openLoopEvents = 2_000_000;
    int batch = 4096;
    try {
      for (int i = 0; i < args.length; i++) {
        switch (args[i]) {
          case "--events" -> events = PaymentsLogGenerator.parseCount(args[++i]);
          case "--entities" -> entities = (int) PaymentsLogGenerator.parseCount(args[++i]);
          case "--seed" -> seed = Long.parseLong(args[++i]);
          case "--long-lived" -> longLived = true;
          case "--engines" -> engines = args[++i];
          case "--rate" -> rate = args[++i];
          case "--evaluators" -> evaluators = Integer.parseInt(args[++i]);
          case "--wait" -> wait = PipelineConfig.WaitStrategyKind.valueOf(args[++i].toUpperCase(Locale.ROOT));
          case "--decode" -> decode = PipelineConfig.DecodeMode.valueOf(
              args[++i].toUpperCase(Locale.ROOT).replace('-', '_'));
          case "--ring" -> ring = Integer.parseInt(args[++i]);
          case "--warmup" -> warmup = PaymentsLogGenerator.parseCount(args[++i]);
          case "--latency-events" -> latencyEvents = PaymentsLogGenerator.parseCount(args[++i]);
          case "--open-loop-events" -> openLoopEvents = PaymentsLogGenerator.parseCount(args[++i]);
          case "--batch" -> batch = Integer.parseInt(args[++i]);
          case "-h", "--help" -> {
            out.println(USAGE);
            return 0;
          }
          default -> throw new IllegalArgumentException("unknown option " + args[i]);
        }
      }
      if (events < 1 || entities < 1 || batch < 1 || !(rate.equals("half") || Long.parseLong(rate) > 0)) {
        throw new IllegalArgumentException("events, entities, batch and rate must be positive");
      }
    } catch (RuntimeException e) {
      out.println("LoadRunner: " + e.getMessage());
      out.println(USAGE);
      return 2;
    }
    Map<String, Engine.Factory> known = new LinkedHashMap<>();
    known.put("specwatch", SpecwatchEvaluation.factory());
    known.put("monitor", SpecwatchMonitor.factory());
    known.put("pipeline", SpecwatchPipeline.factory(
        PipelineConfig.defaults().withSingleSource().withEvaluators(evaluators)
            .withWaitStrategy(wait).withDecode(decode).withRingSize(ring)));
    known.put("pipeline-yielding", SpecwatchPipeline.factory(PipelineConfig.defaults()
        .withSingleSource().withEvaluators(evaluators).withWaitStrategy(PipelineConfig.WaitStrategyKind.YIELDING)
        .withDecode(decode).withRingSize(ring)));
    known.put("array", ArrayBaseline.factory());
    known.put("hashmap", HashMapBaseline.factory());
    known.putAll(extra);
    List<String> names = List.of(engines.split(","));
    for (String n : names) {
      if (!known.containsKey(n)) {
        out.println("LoadRunner: unknown engine " + n + " (known: " + String.join(",", known.keySet()) + ")");
        return 2;
      }
    }

    Runtime rt = Runtime.getRuntime();
    out.printf(Locale.ROOT, "JVM: %s %s, %d processors, max heap %d MB, arguments %s%n",
        System.getProperty("java.vm.name"), System.getProperty("java.version"),
        rt.availableProcessors(), rt.maxMemory() >> 20,
        ManagementFactory.getRuntimeMXBean().getInputArguments());
    PaymentsWorkload w = PaymentsWorkload.load(events, entities, seed, longLived, out);
    out.printf(Locale.ROOT,
        "workload: %s, %,d events over %,d payments, ground truth %,d verdicts%n",
        w.file, w.events, w.payments, w.truth.size());

    List<Result> results = new ArrayList<>();
    for (String n : names) {
      Engine.Factory f = known.get(n);
      out.printf(Locale.ROOT, "%n== %s%n", f.name());
      results.add(measure(f, w, (int) Math.min(warmup, w.events), batch, rate,
          (int) Math.min(latencyEvents, w.events), (int) Math.min(openLoopEvents, w.events), out));
    }
    printTable(results, w, out);
    return results.stream().allMatch(Result::verdictsMatch) ? 0 : 1;
  }

  static Result measure(Engine.Factory f, PaymentsWorkload w, int warmup, int batch, String rate,
      int latencyEvents, int openLoopEvents, PrintStream out) throws Exception {
    // Warm-up: a fresh engine over a prefix, so the JIT has compiled the paths.
    if (warmup > 0) {
      Engine e = f.create(w);
      long t0 = System.nanoTime();
      runThroughput(e, warmup, batch);
      e.close();
      out.printf(Locale.ROOT, "warm-up: %,d events in %.2f s%n", warmup, (System.nanoTime() - t0) / 1e9);
    }

    // Throughput, retained heap and verdicts.
    fullGc();
    long heapBefore = usedHeap();
    Engine e = f.create(w);
    long gc0 = CheckGc.millis();
    double seconds = runThroughput(e, w.events, batch);
    long gcMs = CheckGc.millis() - gc0;
    double eps = w.events / seconds;
    fullGc();
    long retained = usedHeap() - heapBefore;
    long live = e.liveInstances();
    Set<String> verdicts = e.verdicts();
    boolean match = verdicts.equals(w.truth);
    out.printf(Locale.ROOT, "throughput: %,.0f events/s (%.2f s, GC %.2f s); retained %,d MB for %,d"
            + " instances (%.0f bytes each); verdicts %,d, %s%n", eps, seconds, gcMs / 1e3,
        retained >> 20, live, live == 0 ? 0.0 : (double) retained / live, verdicts.size(),
        match ? "equal to the ground truth" : "DIFFERENT from the ground truth");
    if (!match) {
      printDifference(verdicts, w.truth, out);
    }
    java.lang.ref.Reference.reachabilityFence(e);
    e.close();
    e = null;

    // Latency.
    Engine l = f.create(w);
    Histogram h;
    String kind;
    if (l.timesWallClock() && l.ownLatency() != null) {
      long perSecond = rate.equals("half") ? Math.max(1, (long) (eps / 2)) : Long.parseLong(rate);
      h = runOpenLoop(l, openLoopEvents, perSecond, out);
      kind = String.format(Locale.ROOT, "publish to verdict, open loop at %,d events/s", perSecond);
    } else {
      h = runTimedEvents(l, latencyEvents, batch);
      kind = latencyEvents == w.events ? "per event, one thread"
          : String.format(Locale.ROOT, "per event, one thread, first %,d events", latencyEvents);
    }
    out.printf(Locale.ROOT, "latency (%s): p50 %s, p99 %s, p99.9 %s, max %s%n", kind,
        micros(h.getValueAtPercentile(50)), micros(h.getValueAtPercentile(99)),
        micros(h.getValueAtPercentile(99.9)), micros(h.getMaxValue()));
    l.close();
    return new Result(f.name(), eps, h, kind, retained, live, match, verdicts.size());
  }

  /** Runs events [0, n) in batches; returns the seconds spent in process() (or wall clock). */
  static double runThroughput(Engine e, int n, int batch) throws Exception {
    long timed = 0;
    long wall0 = System.nanoTime();
    for (int from = 0; from < n; from += batch) {
      int to = Math.min(n, from + batch);
      e.prepare(from, to);
      long t0 = System.nanoTime();
      for (int i = from; i < to; i++) {
        e.process(i);
      }
      timed += System.nanoTime() - t0;
    }
    e.finish();
    return (e.timesWallClock() ? System.nanoTime() - wall0 : timed) / 1e9;
  }

  /** Times every process() call. */
  static Histogram runTimedEvents(Engine e, int n, int batch) throws Exception {
    Histogram h = new Histogram(3);
    for (int from = 0; from < n; from += batch) {
      int to = Math.min(n, from + batch);
      e.prepare(from, to);
      for (int i = from; i < to; i++) {
        long t0 = System.nanoTime();
        e.process(i);
        h.recordValue(System.nanoTime() - t0);
      }
    }
    e.finish();
    return h;
  }

  /**
   * Feeds events [0, n) at {@code perSecond}, each at its scheduled time (open loop: the schedule
   * does not wait for the engine). All lines are loaded first so reading never stalls the
   * schedule. A publisher that falls behind is reported: its latencies then omit the wait.
   */
  static Histogram runOpenLoop(Engine e, int n, long perSecond, PrintStream out) throws Exception {
    e.prepare(0, n);
    double interval = 1e9 / perSecond;
    long maxLag = 0;
    long t0 = System.nanoTime();
    for (int i = 0; i < n; i++) {
      long due = t0 + (long) (i * interval);
      long now;
      while ((now = System.nanoTime()) < due) {
        // Yield rather than spin: on 2 cores the pipeline's own threads need the CPU.
        Thread.yield();
      }
      maxLag = Math.max(maxLag, now - due);
      e.process(i);
    }
    e.finish();
    out.printf(Locale.ROOT, "open loop: %,d events at %,d/s in %.2f s; publisher's largest lag"
        + " behind schedule %s%n", n, perSecond, (System.nanoTime() - t0) / 1e9, micros(maxLag));
    return e.ownLatency();
  }

  static void printDifference(Set<String> got, Set<String> truth, PrintStream out) {
    Set<String> missing = new TreeSet<>(truth);
    missing.removeAll(got);
    Set<String> extra = new TreeSet<>(got);
    extra.removeAll(truth);
    out.printf(Locale.ROOT, "  missing %d, e.g. %s; extra %d, e.g. %s%n", missing.size(),
        missing.stream().limit(5).toList(), extra.size(), extra.stream().limit(5).toList());
  }

  static void printTable(List<Result> results, PaymentsWorkload w, PrintStream out) {
    Result sw = results.stream().filter(r -> r.name().startsWith("specwatch, evaluation"))
        .findFirst().orElse(results.get(0));
    out.printf(Locale.ROOT, "%n%,d events over %,d payments; ratios are to `%s`%n%n", w.events,
        w.keys.length - java.util.Arrays.stream(w.keys).filter(k -> k == null).count(), sw.name());
    out.println("| engine | events/s | p50 | p99 | p99.9 | bytes per instance | verdicts = truth | specwatch is x times faster |");
    out.println("| --- | ---: | ---: | ---: | ---: | ---: | --- | ---: |");
    for (Result r : results) {
      out.printf(Locale.ROOT, "| %s | %,.0f | %s | %s | %s | %s | %s | %.2f |%n", r.name(),
          r.eventsPerSecond(), micros(r.latency().getValueAtPercentile(50)),
          micros(r.latency().getValueAtPercentile(99)), micros(r.latency().getValueAtPercentile(99.9)),
          Double.isNaN(r.bytesPerInstance()) ? "-" : String.format(Locale.ROOT, "%.0f", r.bytesPerInstance()),
          r.verdictsMatch() ? "yes (" + r.verdicts() + ")" : "NO", sw.eventsPerSecond() / r.eventsPerSecond());
    }
    out.println();
    out.println("latency: per event on one thread, except pipelines (publish to verdict, open loop)");
  }

  static String micros(long nanos) {
    return String.format(Locale.ROOT, "%.2f µs", nanos / 1e3);
  }

  /**
   * Full collections with finalization in between: a closed peer (Kafka Streams, Esper) may
   * release memory through cleaners only after a first collection, and what it still held would
   * otherwise count as the next engine's baseline.
   */
  @SuppressWarnings("removal")
  static void fullGc() {
    for (int i = 0; i < 3; i++) {
      System.gc();
      System.runFinalization();
    }
  }

  static long usedHeap() {
    return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
  }

  /** Total collector time, for the throughput pass. */
  static final class CheckGc {
    static long millis() {
      long sum = 0;
      for (var g : ManagementFactory.getGarbageCollectorMXBeans()) {
        sum += Math.max(0, g.getCollectionTime());
      }
      return sum;
    }
  }
}
