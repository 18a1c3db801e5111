package io.specwatch.core.checkpoint;

import io.specwatch.core.program.Deadline;
import io.specwatch.core.program.EntityType;
import io.specwatch.core.program.Program;
import io.specwatch.core.program.StateVar;

/**
 * What a spec's saved state depends on: its events, and per entity type its name, slot counts,
 * invariants, deadlines and state variables with their types. Two compilations with the same
 * fingerprint can hand instances from one to the other (a reload that only changed a handler's
 * body or a doc comment); a different fingerprint means the old state cannot be read by the new
 * spec, and its instances start afresh.
 *
 * <p>One definition for every place that decides it: the daemon's reload (kept or restarted) and
 * its checkpoints, and the Kafka source's per-partition checkpoints, so a restore after a crash
 * keeps a spec's state exactly when a reload would have. The one exception is
 * {@link MonitorCheckpoint}'s own weaker fingerprint, part of the older {@code SWCK} format that
 * the Kafka source still reads (changing it would make those checkpoints unreadable).
 */
public final class StateLayout {
  private StateLayout() {}

  public static String fingerprint(Program p) {
    StringBuilder sb = new StringBuilder();
    sb.append(p.name()).append(";events=").append(p.events().size());
    for (EntityType t : p.entities()) {
      sb.append(";entity ").append(t.name()).append(" slots=").append(t.longSlots()).append('/')
          .append(t.refSlots()).append(" invariants=").append(t.invariants().size());
      for (StateVar v : t.vars()) {
        sb.append(' ').append(v.name()).append(':').append(v.type().kind());
        if (v.type().constants() != null) {
          // Enums are stored as ordinals: reordered constants would change what a state means.
          sb.append(v.type().constants());
        }
      }
      for (Deadline d : t.deadlines()) {
        sb.append(" deadline ").append(d.name());
      }
    }
    return sb.toString();
  }
}
