package io.specwatch.cli.run;

import io.specwatch.core.checkpoint.StateLayout;
import io.specwatch.core.checkpoint.SpecStateBytes;
import io.specwatch.core.engine.Monitor;
import io.specwatch.core.engine.SpecRuntime;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The saved state of each spec of a monitor, by spec name, with its layout fingerprint: what a
 * checkpoint holds and what a reload hands from the old monitor to the new one. Restoring is per
 * spec: a spec whose layout is unchanged keeps its instances, any other starts afresh.
 */
final class SpecStates {
  /**
   * One spec's state: its layout fingerprint and the bytes its runtime exported, in
   * {@link io.specwatch.core.checkpoint.CompactStateWriter}'s form, or in
   * {@link io.specwatch.core.checkpoint.BinaryStateWriter}'s fixed-width form when
   * {@code fixedWidth} (read from a checkpoint of version 1).
   */
  record Saved(String fingerprint, byte[] state, boolean fixedWidth) {
    Saved(String fingerprint, byte[] state) {
      this(fingerprint, state, false);
    }
  }

  /** What happened to one spec when states were restored into a new monitor. */
  enum Outcome {
    /** Same layout: instances, deadlines and dedupe memory carried over. */
    KEPT("kept"),
    /** The layout changed: instances start afresh. */
    RESTARTED("restarted"),
    /** No state was saved for this spec (a new spec, or no checkpoint). */
    NEW("new");

    private final String label;

    Outcome(String label) {
      this.label = label;
    }

    String label() {
      return label;
    }
  }

  /** One spec's outcome, for the log and the reload metric. */
  record Restored(String spec, Outcome outcome) {}

  private SpecStates() {}

  /** Exports every spec's state; call on the thread that owns the monitor. */
  static Map<String, Saved> export(Monitor monitor) {
    Map<String, Saved> all = new LinkedHashMap<>();
    for (SpecRuntime rt : monitor.runtimes()) {
      all.put(rt.program().name(),
          new Saved(StateLayout.fingerprint(rt.program()), SpecStateBytes.export(rt)));
    }
    return all;
  }

  /**
   * Imports saved states into a freshly built monitor, spec by spec where the layout matches.
   *
   * @throws io.specwatch.core.checkpoint.CheckpointFormatException if a state is corrupt
   */
  static List<Restored> restore(Map<String, Saved> saved, Monitor fresh) {
    List<Restored> out = new ArrayList<>();
    for (SpecRuntime rt : fresh.runtimes()) {
      String name = rt.program().name();
      Saved s = saved.get(name);
      if (s == null) {
        out.add(new Restored(name, Outcome.NEW));
      } else if (!s.fingerprint().equals(StateLayout.fingerprint(rt.program()))) {
        out.add(new Restored(name, Outcome.RESTARTED));
      } else {
        SpecStateBytes.importInto(rt, s.state(), s.fixedWidth());
        out.add(new Restored(name, Outcome.KEPT));
      }
    }
    return out;
  }
}
