package io.specwatch.cli.demo;

import io.specwatch.core.LinePosition;
import io.specwatch.core.engine.RuntimeStats;
import io.specwatch.core.json.Rfc3339;
import io.specwatch.core.pipeline.Pipeline;
import io.specwatch.core.pipeline.PipelineConfig;
import io.specwatch.core.pipeline.SinkQueue;
import io.specwatch.core.program.Program;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

/**
 * One run of {@code specwatch demo}: the payment simulator feeds the live pipeline on the calling
 * thread, alerts print as they are raised, a status line and a metrics endpoint show progress.
 *
 * <pre>
 *   PaymentSimulator ─> [--record file] ─> Pipeline ─> ViolationCounter ─> metrics, status line
 *                                                   └> SinkQueue ─> AlertPrinter ─> stdout
 * </pre>
 *
 * <p>It stops after {@code --events} documents, after {@code --duration}, or on
 * {@link #requestStop()} (Ctrl-C), always the same way: the source stops, the pipeline drains
 * everything published, every alert is printed, then the summary. Deadlines still armed at the
 * end do not fire, as in {@code specwatch check} without {@code --flush}, so that checking the
 * recording gives exactly the violations the demo printed.
 */
public final class DemoRun {
  public static final int OK = 0;
  public static final int FAILURE = 2;

  private final DemoOptions options;
  private final List<Program> programs;
  private final ViolationCounter counter = new ViolationCounter();
  private final AtomicLong published = new AtomicLong();
  private final AtomicLong eventTime = new AtomicLong(PaymentSimulator.START);
  private volatile boolean stopRequested;
  private volatile Pipeline pipeline;

  public DemoRun(DemoOptions options) {
    this.options = options;
    this.programs = DemoSpec.compile();
    counter.declare(programs);
  }

  /** Asks the run to stop cleanly; returns at once (the run drains and summarises). Thread-safe. */
  public void requestStop() {
    stopRequested = true;
  }

  /**
   * Runs until a stop condition; alerts go to {@code out}, everything else to {@code err}.
   *
   * @param terminal whether {@code err} is a terminal (the status line is then redrawn in place)
   * @return {@link #OK}, or {@link #FAILURE} when the metrics port or the recording cannot be used
   */
  public int run(PrintStream out, PrintStream err, boolean terminal) {
    MetricsServer server;
    try {
      server = MetricsServer.start(options.metricsPort(), this::snapshot);
    } catch (IOException e) {
      err.println("specwatch demo: cannot serve metrics on 127.0.0.1:" + options.metricsPort() + ": "
          + e.getMessage() + " (--metrics-port 0 picks a free port)");
      return FAILURE;
    }
    try (server) {
      OutputStream recording = null;
      if (options.record() != null) {
        try {
          recording = new BufferedOutputStream(Files.newOutputStream(options.record()), 1 << 16);
        } catch (IOException e) {
          err.println("specwatch demo: cannot write " + options.record() + ": " + e.getMessage());
          return FAILURE;
        }
      }
      return run(out, err, terminal, server, recording);
    }
  }

  private int run(PrintStream out, PrintStream err, boolean terminal, MetricsServer server,
      OutputStream recording) {
    StatusLine status = new StatusLine(err, terminal, this::snapshot, System::nanoTime);
    AlertPrinter printer = new AlertPrinter(out, options.json(), status::printAbove, () -> {
      err.println("specwatch demo: standard output is closed; stopping");
      requestStop();
    });
    // BLOCK: the demo promises that checking its recording reproduces every alert it printed.
    SinkQueue alerts = new SinkQueue("stdout", printer, 1 << 14, SinkQueue.Overflow.BLOCK);
    Pipeline p = new Pipeline(programs,
        PipelineConfig.defaults().withSingleSource().withEvaluators(options.evaluators()),
        Pipeline.fanOut(List.of(counter, alerts)), null);
    pipeline = p;
    printBanner(err, server);
    status.start();

    long started = System.nanoTime();
    PaymentSimulator simulator = new PaymentSimulator(options.seed(), options.entities(),
        options.faultRate());
    String failure = null;
    try {
      publish(simulator, p, recording, started);
    } catch (IOException e) {
      failure = "cannot write " + options.record() + ": " + e.getMessage();
    }
    long generated = published.get();
    double seconds = (System.nanoTime() - started) / 1e9;
    try {
      p.close(false, 1, TimeUnit.MINUTES);
      alerts.close();
    } catch (TimeoutException e) {
      failure = "the pipeline did not drain: " + e.getMessage();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      failure = "interrupted while draining the pipeline";
    }
    status.close();
    if (recording != null) {
      try {
        recording.close();
      } catch (IOException e) {
        failure = failure != null ? failure : "cannot write " + options.record() + ": " + e.getMessage();
      }
    }
    double drained = (System.nanoTime() - started) / 1e9;
    printSummary(err, simulator, p.stats(), generated, seconds, drained);
    if (failure != null) {
      err.println("specwatch demo: " + failure);
      return FAILURE;
    }
    return OK;
  }

  /** The source loop: generate, record, publish, pace; until a stop condition holds. */
  private void publish(PaymentSimulator simulator, Pipeline p, OutputStream recording, long started)
      throws IOException {
    long limit = options.events() > 0 ? options.events() : Long.MAX_VALUE;
    long endNanos = options.duration() != null
        ? started + options.duration().toNanos() : Long.MAX_VALUE;
    Pacer pacer = options.rate() > 0
        ? new Pacer(options.rate(), System::nanoTime, LockSupport::parkNanos) : null;
    int batch = pacer != null ? pacer.batchSize() : 256;
    long sent = 0;
    while (!stopRequested && sent < limit && System.nanoTime() - endNanos < 0) {
      long batchEnd = Math.min(limit, sent + batch);
      for (; sent < batchEnd; sent++) {
        SimulatedLine line = simulator.next();
        if (recording != null) {
          recording.write(line.bytes(), 0, line.length());
          recording.write('\n');
        }
        p.publish(line.bytes(), 0, line.length(), new LinePosition(line.number()));
      }
      // Once per batch: the readers (status, metrics) need no more, and it keeps fences off
      // the per-document path.
      published.setRelease(sent);
      eventTime.setRelease(simulator.clock());
      if (pacer != null) {
        pacer.await(sent, () -> stopRequested || System.nanoTime() - endNanos >= 0);
      }
    }
  }

  /** The run as it is now; safe from any thread. */
  public DemoSnapshot snapshot() {
    Pipeline p = pipeline;
    List<RuntimeStats> specs = p != null ? p.stats() : List.of();
    return new DemoSnapshot(published.getAcquire(), p != null ? p.backlog() : 0,
        eventTime.getAcquire(), specs, counter.snapshot());
  }

  private void printBanner(PrintStream err, MetricsServer server) {
    err.printf(Locale.ROOT, "specwatch demo: simulated card payments (seed %d, up to %,d in flight, "
            + "faults at %s) checked live against the embedded spec `payments`%n",
        options.seed(), options.entities(), faultRate(options.faultRate()));
    err.printf(Locale.ROOT, "  rate %s, %d evaluators; stops %s%n",
        options.rate() == 0 ? "as fast as possible" : String.format(Locale.ROOT, "%,d events/s", options.rate()),
        options.evaluators(), stopsWhen());
    err.println("  metrics: " + server.url() + "/metrics  health: " + server.url() + "/healthz");
    if (options.record() != null) {
      err.println("  recording every document to " + options.record());
    }
    err.println("  alerts on standard output" + (options.json() ? " as JSON lines" : "")
        + "; see the spec with `specwatch demo --print-spec`");
  }

  private String stopsWhen() {
    StringBuilder sb = new StringBuilder();
    if (options.events() > 0) {
      sb.append(String.format(Locale.ROOT, "after %,d events or ", options.events()));
    }
    if (options.duration() != null) {
      sb.append("after ").append(options.duration().toString().substring(2).toLowerCase(Locale.ROOT))
          .append(" or ");
    }
    return sb.append("on Ctrl-C").toString();
  }

  private static String faultRate(double rate) {
    return rate == 0 ? "rate 0 (none)" : rate >= 0.5 || Math.abs(1 / rate - Math.rint(1 / rate)) > 1e-6
        ? String.format(Locale.ROOT, "rate %s", rate)
        : String.format(Locale.ROOT, "1 in %,d events", Math.round(1 / rate));
  }

  private void printSummary(PrintStream err, PaymentSimulator sim, List<RuntimeStats> stats,
      long generated, double seconds, double drained) {
    err.printf(Locale.ROOT, "specwatch demo: %,d events in %.2f s (%,.0f events/s), all judged "
            + "%.2f s after the start; event time %s to %s%n",
        generated, seconds, generated / Math.max(seconds, 1e-9), drained,
        Rfc3339.format(PaymentSimulator.START), Rfc3339.format(sim.clock()));
    StringBuilder faults = new StringBuilder("  faults injected:");
    for (Fault f : Fault.values()) {
      faults.append(String.format(Locale.ROOT, " %,d %s,", sim.injected(f), f.label()));
    }
    faults.setLength(faults.length() - 1);
    err.println(faults);
    for (RuntimeStats s : stats) {
      err.printf(Locale.ROOT,
          "  %s: %,d violations (%,d transition, %,d invariant, %,d deadline, %,d malformed, "
              + "%,d error); %,d events, %,d duplicates dropped, %,d live instances, "
              + "%,d deadlines still armed%n",
          s.spec, s.violations, s.transitionViolations, s.invariantViolations,
          s.deadlineViolations, s.malformed, s.errors, s.events, s.duplicates, s.liveInstances,
          s.armedDeadlines);
    }
    StringBuilder rules = new StringBuilder("  by rule:");
    for (ViolationCounter.Count c : counter.snapshot()) {
      if (c.count() > 0) {
        rules.append(String.format(Locale.ROOT, " %s %,d,", c.rule().label(), c.count()));
      }
    }
    if (rules.charAt(rules.length() - 1) == ',') {
      rules.setLength(rules.length() - 1);
      err.println(rules);
    }
    if (options.record() != null) {
      err.println("  reproduce: specwatch demo --print-spec > demo.sw && specwatch check demo.sw "
          + "--events " + options.record());
    }
  }
}
