package io.specwatch.cli.graph;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Renders a {@link StateGraph} as a Mermaid {@code stateDiagram-v2}: one composite state per
 * machine, {@code [*]} for the initial and final states, and one note per machine with its
 * deadlines and other notes.
 *
 * <p>Mermaid draws only one of several transitions from a state to itself, so the self-loops of
 * one state become one transition whose label has a line per edge.
 */
public final class MermaidRenderer {
  private MermaidRenderer() {}

  public static String render(StateGraph graph) {
    StringBuilder sb = new StringBuilder();
    sb.append("stateDiagram-v2\n");
    sb.append("  %% spec ").append(graph.specName()).append(": one state machine per entity enum "
        + "variable, drawn by `specwatch graph`.\n");
    Set<String> used = new HashSet<>();
    for (StateMachine m : graph.machines()) {
      machine(sb, m, used);
    }
    return sb.toString();
  }

  private static void machine(StringBuilder sb, StateMachine m, Set<String> used) {
    String id = unique(m.variable() == null ? m.entity() : m.entity() + "_" + m.variable(), used);
    Map<String, String> ids = new LinkedHashMap<>();
    for (String s : m.states()) {
      ids.put(s, unique(id + "_" + (s.equals(StateMachine.ANY) ? "any" : s), used));
    }
    sb.append("\n  state \"").append(m.title()).append("\" as ").append(id).append(" {\n");
    for (String s : m.states()) {
      sb.append("    state \"").append(s).append("\" as ").append(ids.get(s)).append('\n');
    }
    sb.append("    [*] --> ").append(ids.get(m.initial())).append('\n');
    Set<String> looped = new HashSet<>();
    for (Edge e : m.edges()) {
      String label = label(e.label());
      if (e.from().equals(e.to())) {
        if (!looped.add(e.from())) {
          continue;
        }
        List<String> labels = new ArrayList<>();
        for (Edge loop : m.edges()) {
          if (loop.from().equals(e.from()) && loop.to().equals(e.from())) {
            labels.add(label(loop.label()));
          }
        }
        label = String.join("<br>", labels);
      }
      sb.append("    ").append(ids.get(e.from())).append(" --> ").append(ids.get(e.to()))
          .append(" : ").append(label).append('\n');
    }
    for (String s : m.states()) {
      if (m.isFinal(s)) {
        sb.append("    ").append(ids.get(s)).append(" --> [*]\n");
      }
    }
    sb.append("  }\n");
    List<String> lines = new ArrayList<>();
    for (DeadlineNote d : m.deadlines()) {
      lines.add("deadline " + d.text());
    }
    lines.addAll(m.notes());
    if (!lines.isEmpty()) {
      sb.append("  note right of ").append(id).append('\n');
      for (String l : lines) {
        sb.append("    ").append(l).append('\n');
      }
      sb.append("  end note\n");
    }
  }

  /**
   * Mermaid ends a transition's label at `:` or `;` (they can only come from string literals):
   * they become look-alikes that common fonts have, U+A789 MODIFIER LETTER COLON and U+037E GREEK
   * QUESTION MARK.
   */
  static String label(String s) {
    return s.replace(':', '\uA789').replace(';', '\u037E');
  }

  private static String unique(String id, Set<String> used) {
    String candidate = id;
    for (int n = 2; !used.add(candidate); n++) {
      candidate = id + "_" + n;
    }
    return candidate;
  }
}
