package io.specwatch.ingest.kafka;

import io.specwatch.core.checkpoint.StateLayout;
import io.specwatch.core.checkpoint.SpecStateBytes;
import io.specwatch.core.engine.Monitor;
import io.specwatch.core.engine.SpecRuntime;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;

/**
 * Hands the state of the specs a reload keeps from a partition's old monitor to its new one
 * (export, then import: the same path a checkpoint takes). A spec the caller says to keep is
 * kept only if its {@link StateLayout} fingerprint is indeed unchanged; otherwise importing would misread the
 * state, so it starts afresh and the return value says so.
 */
final class SpecCarryOver {
  private SpecCarryOver() {}

  /** Returns the names of the specs asked to be kept whose layout nevertheless changed. */
  static Set<String> carry(Monitor from, Monitor to, Set<String> keep) {
    Map<String, SpecRuntime> old = new HashMap<>();
    for (SpecRuntime rt : from.runtimes()) {
      old.put(rt.program().name(), rt);
    }
    Set<String> refused = new java.util.TreeSet<>();
    for (SpecRuntime rt : to.runtimes()) {
      String name = rt.program().name();
      SpecRuntime before = old.get(name);
      if (before == null || !keep.contains(name)) {
        continue; // new, or restarted: a fresh runtime is what it needs
      }
      if (!StateLayout.fingerprint(before.program()).equals(StateLayout.fingerprint(rt.program()))) {
        refused.add(name);
        continue;
      }
      SpecStateBytes.importInto(rt, SpecStateBytes.export(before), false);
    }
    return refused;
  }
}
