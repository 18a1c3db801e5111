package io.specwatch.cli.run;

import io.specwatch.core.engine.Monitor;
import io.specwatch.core.engine.SpecRuntime;
import java.io.PrintStream;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Recompiles the spec files and swaps the monitor between two documents (run on the monitor
 * thread). Per spec, and counted in {@code specwatch_spec_reloads_total{spec,outcome}}:
 * <ul>
 *   <li>{@code kept}: the state layout is unchanged; instances, armed deadlines and the dedupe
 *       memory are handed to the new compilation (export, then import);
 *   <li>{@code restarted}: the layout changed (an entity, a state variable or its type, a
 *       deadline); the spec's instances start afresh, and the log says so;
 *   <li>{@code new} / {@code removed}: a spec that appeared in, or left, the files;
 *   <li>{@code rejected}: the files do not compile; the diagnostics are logged and the running
 *       specs stay (one count per running spec).
 * </ul>
 */
final class SpecReload implements Runnable {
  private final SpecLoader loader;
  private final MonitorLoop loop;
  private final DaemonMeters metrics;
  private final PrintStream log;
  /**
   * Told the new specs, and the names of those whose state was kept, after each successful
   * reload: the Kafka source's per-partition monitors reload the same way (engineer "kafka").
   */
  private volatile java.util.function.BiConsumer<List<io.specwatch.core.program.Program>, Set<String>>
      reloaded = (programs, kept) -> { };

  /** Hands every successful reload's specs and kept spec names to {@code listener} as well. */
  void onReloaded(java.util.function.BiConsumer<List<io.specwatch.core.program.Program>, Set<String>> listener) {
    this.reloaded = listener;
  }

  SpecReload(SpecLoader loader, MonitorLoop loop, DaemonMeters metrics, PrintStream log) {
    this.loader = loader;
    this.loop = loop;
    this.metrics = metrics;
    this.log = log;
  }

  @Override
  public void run() {
    Monitor old = loop.monitor();
    SpecLoader.Loaded loaded = loader.load();
    if (!loaded.ok()) {
      log.print(loaded.diagnostics());
      log.println("specwatch run: reload rejected: the specs above do not compile; the running "
          + "specs stay");
      for (SpecRuntime rt : old.runtimes()) {
        metrics.reload(rt.program().name(), "rejected");
      }
      return;
    }
    Map<String, SpecStates.Saved> saved = SpecStates.export(old);
    Monitor next = loop.newMonitor(loaded.programs());
    List<SpecStates.Restored> outcomes = SpecStates.restore(saved, next);
    Set<String> present = new HashSet<>();
    StringBuilder summary = new StringBuilder("specwatch run: specs reloaded:");
    for (SpecStates.Restored r : outcomes) {
      present.add(r.spec());
      metrics.reload(r.spec(), r.outcome().label());
      summary.append(' ').append(r.spec()).append(' ').append(r.outcome().label()).append(',');
      if (r.outcome() == SpecStates.Outcome.RESTARTED) {
        log.println("specwatch run: spec `" + r.spec() + "` changed its state layout; its "
            + "instances start afresh");
      }
    }
    for (String name : saved.keySet()) {
      if (!present.contains(name)) {
        metrics.reload(name, "removed");
        summary.append(' ').append(name).append(" removed,");
      }
    }
    summary.setLength(summary.length() - 1);
    loop.swap(next);
    log.println(summary);
    Set<String> kept = new HashSet<>();
    for (SpecStates.Restored r : outcomes) {
      if (r.outcome() == SpecStates.Outcome.KEPT) {
        kept.add(r.spec());
      }
    }
    reloaded.accept(loaded.programs(), kept);
  }
}
