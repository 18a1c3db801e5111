package io.specwatch.alert;

import io.specwatch.core.ViolationKind;
import io.specwatch.core.program.Deadline;
import io.specwatch.core.program.EntityType;
import io.specwatch.core.program.EventType;
import io.specwatch.core.program.Handler;
import io.specwatch.core.program.Invariant;
import io.specwatch.core.program.Program;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The plain-language rule behind each alert, from the compiled programs: the {@code ///} doc
 * comment of an invariant, a deadline, or (for transitions, whose rule is the event) the event's
 * declaration or else its first documented handler; and the spec's source file, for the reproduce
 * command.
 */
public final class RuleCatalog {
  private final Map<String, String> docs = new HashMap<>();
  private final Map<String, String> sources = new HashMap<>();

  private RuleCatalog() {}

  public static RuleCatalog of(List<Program> programs) {
    RuleCatalog c = new RuleCatalog();
    for (Program p : programs) {
      c.sources.put(p.name(), p.sourceName());
      for (EntityType e : p.entities()) {
        for (Invariant inv : e.invariants()) {
          c.put(p.name(), ViolationKind.INVARIANT, inv.name(), inv.doc());
        }
        for (Deadline d : e.deadlines()) {
          c.put(p.name(), ViolationKind.DEADLINE, d.name(), d.doc());
        }
      }
      for (EventType ev : p.events()) {
        String doc = ev.doc();
        for (Handler h : ev.handlers()) {
          if (doc == null) {
            doc = h.doc();
          }
        }
        c.put(p.name(), ViolationKind.TRANSITION, ev.name(), doc);
        c.put(p.name(), ViolationKind.ERROR, ev.name(), doc);
      }
    }
    return c;
  }

  private void put(String spec, ViolationKind kind, String rule, String doc) {
    if (doc != null && !doc.isBlank()) {
      docs.put(id(spec, kind, rule), doc.strip());
    }
  }

  /** The rule's doc comment, or null when it has none (or is unknown). */
  public String doc(String spec, ViolationKind kind, String rule) {
    return docs.get(id(spec, kind, rule));
  }

  /** The spec's source file name as compiled, or null when the spec is unknown. */
  public String sourceOf(String spec) {
    return sources.get(spec);
  }

  private static String id(String spec, ViolationKind kind, String rule) {
    return spec + '\u0000' + kind.name() + '\u0000' + rule;
  }
}
