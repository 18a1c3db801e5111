package io.specwatch.cli;

import io.specwatch.cli.demo.DemoOptions;
import io.specwatch.cli.demo.DemoRun;
import io.specwatch.cli.demo.DemoSpec;
import io.specwatch.cli.demo.InterruptSignal;
import io.specwatch.cli.demo.PaymentSimulator;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "demo",
    description = {
        "Runs specwatch live on a built-in simulated payment system, with nothing else installed.",
        "Payments stream through the live pipeline with faults injected (duplicates, late and "
            + "malformed documents, over-captures, captures without authorization, refunds after "
            + "failure, payments never settled); alerts print on standard output as they are "
            + "raised, a status line on standard error, and metrics are served on 127.0.0.1.",
        "Runs until Ctrl-C (or --events/--duration), then drains, prints a summary and exits 0."},
    footer = {"", "Examples:",
        "  specwatch demo",
        "  specwatch demo --duration 30s --rate 20000 --json",
        "  specwatch demo --events 100000 --record demo.jsonl",
        "  specwatch demo --print-spec > demo.sw && specwatch check demo.sw --events demo.jsonl"},
    mixinStandardHelpOptions = true, sortOptions = false)
final class DemoCommand implements Callable<Integer> {
  @Option(names = "--rate", paramLabel = "N", defaultValue = "5000",
      description = "Events per second; 0 for as fast as possible (default: ${DEFAULT-VALUE}).")
  long rate;

  @Option(names = "--duration", paramLabel = "TIME",
      description = "Stop after this long: 500ms, 30s, 5m, 1h (default: run until Ctrl-C).")
  String duration;

  @Option(names = "--events", paramLabel = "N",
      description = "Stop after this many events (default: run until Ctrl-C).")
  Long events;

  @Option(names = "--seed", paramLabel = "N", defaultValue = "1",
      description = "The simulation's seed: the same seed gives the same events (default: ${DEFAULT-VALUE}).")
  long seed;

  @Option(names = "--entities", paramLabel = "N", defaultValue = "" + PaymentSimulator.DEFAULT_ENTITIES,
      description = "Most payments in flight at once (default: ${DEFAULT-VALUE}).")
  int entities;

  @Option(names = "--fault-rate", paramLabel = "P", defaultValue = "" + PaymentSimulator.DEFAULT_FAULT_RATE,
      description = "Probability that an event starts a fault, 0 to 1 (default: ${DEFAULT-VALUE}, about 1 in 500).")
  double faultRate;

  @Option(names = "--evaluators", paramLabel = "N", defaultValue = "2",
      description = "Evaluator threads; entity keys are sharded over them (default: ${DEFAULT-VALUE}).")
  int evaluators;

  @Option(names = "--json",
      description = "Print alerts as the JSON lines of `specwatch check` rather than for people.")
  boolean json;

  @Option(names = "--record", paramLabel = "FILE",
      description = "Also write every generated event to FILE as JSONL: `specwatch check` on it "
          + "with the demo spec (--print-spec) reproduces exactly the same violations.")
  Path record;

  @Option(names = "--print-spec",
      description = "Print the embedded demo spec on standard output and exit.")
  boolean printSpec;

  @Option(names = "--metrics-port", paramLabel = "PORT", defaultValue = "9464",
      description = "Serve /metrics (Prometheus) and /healthz on 127.0.0.1:PORT; 0 picks a free "
          + "port (default: ${DEFAULT-VALUE}).")
  int metricsPort;

  private final PrintStream stdout;
  private final PrintStream stderr;

  DemoCommand(PrintStream stdout, PrintStream stderr) {
    this.stdout = stdout;
    this.stderr = stderr;
  }

  @Override
  public Integer call() {
    if (printSpec) {
      stdout.print(DemoSpec.text());
      stdout.flush();
      return CheckRun.OK;
    }
    DemoOptions options;
    try {
      if (events != null && events < 1) {
        throw new IllegalArgumentException("--events must be at least 1, was " + events);
      }
      options = new DemoOptions(rate, duration == null ? null : DemoOptions.parseDuration(duration),
          events == null ? 0 : events, seed, entities, faultRate, evaluators, json, record,
          metricsPort);
    } catch (IllegalArgumentException e) {
      stderr.println("specwatch demo: " + e.getMessage());
      return CheckRun.FAILURE;
    }
    DemoRun run = new DemoRun(options);
    // Ctrl-C stops the source; the run then drains, prints its summary and returns 0.
    InterruptSignal signal = InterruptSignal.install(run::requestStop, stderr);
    try {
      // Only the real standard error, on a terminal, gets the status redrawn in place.
      boolean terminal = System.console() != null && stderr == System.err;
      return run.run(stdout, stderr, terminal);
    } finally {
      if (signal != null) {
        signal.close();
      }
    }
  }
}
