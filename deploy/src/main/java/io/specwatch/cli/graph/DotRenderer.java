package io.specwatch.cli.graph;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Renders a {@link StateGraph} as Graphviz DOT: one cluster per machine, states as rounded boxes
 * (final states with a double border), the initial state pointed at by a dot, deadlines as dashed
 * notes and the other notes in a legend.
 *
 * <p>The self-loops of one state are drawn as one loop whose label has one block per edge (in edge
 * order, separated by an empty line): Graphviz stacks several loops of one node so that their
 * labels overlap.
 */
public final class DotRenderer {
  private DotRenderer() {}

  public static String render(StateGraph graph) {
    StringBuilder sb = new StringBuilder();
    sb.append("// spec ").append(graph.specName()).append(": one state machine per entity enum "
        + "variable, drawn by `specwatch graph`.\n");
    sb.append("// Double border: final state (the entity has ended). Dashed note: deadline.\n");
    sb.append("digraph ").append(quote(graph.specName())).append(" {\n");
    sb.append("  rankdir=TB;\n");
    sb.append("  fontname=\"Helvetica\";\n");
    sb.append("  node [shape=box, style=rounded, fontname=\"Helvetica\", fontsize=12];\n");
    sb.append("  edge [fontname=\"Helvetica\", fontsize=10];\n");
    for (StateMachine m : graph.machines()) {
      machine(sb, m);
    }
    sb.append("}\n");
    return sb.toString();
  }

  private static void machine(StringBuilder sb, StateMachine m) {
    String prefix = m.title();
    sb.append("\n  subgraph ").append(quote("cluster " + prefix)).append(" {\n");
    sb.append("    label=").append(quote(prefix)).append(";\n");
    sb.append("    ").append(quote(prefix + "#start")).append(" [shape=point, width=0.15];\n");
    for (String s : m.states()) {
      sb.append("    ").append(quote(prefix + "." + s)).append(" [label=").append(quote(s))
          .append(m.isFinal(s) ? ", peripheries=2" : "").append("];\n");
    }
    sb.append("    ").append(quote(prefix + "#start")).append(" -> ")
        .append(quote(prefix + "." + m.initial())).append(";\n");
    Set<String> looped = new HashSet<>();
    for (Edge e : m.edges()) {
      String label;
      if (e.from().equals(e.to())) {
        if (!looped.add(e.from())) {
          continue;
        }
        List<String> blocks = new ArrayList<>();
        for (Edge loop : m.edges()) {
          if (loop.from().equals(e.from()) && loop.to().equals(e.from())) {
            blocks.add(loop.multiLineLabel());
          }
        }
        label = String.join("\n\n", blocks);
      } else {
        label = e.multiLineLabel();
      }
      sb.append("    ").append(quote(prefix + "." + e.from())).append(" -> ")
          .append(quote(prefix + "." + e.to())).append(" [label=").append(quote(label))
          .append("];\n");
    }
    for (DeadlineNote d : m.deadlines()) {
      String label = escape("deadline " + d.name() + ":") + "\\l"
          + escape("after " + String.join(" or ", d.after())) + "\\l"
          + escape("expect " + String.join(" or ", d.expect())) + "\\l"
          + escape("within " + d.within()) + "\\l";
      sb.append("    ").append(quote(prefix + "#deadline " + d.name()))
          .append(" [shape=note, style=dashed, fontsize=10, label=\"").append(label).append("\"];\n");
    }
    if (!m.notes().isEmpty()) {
      // \l ends a left-aligned line in a DOT label.
      StringBuilder label = new StringBuilder();
      for (String n : m.notes()) {
        label.append(escape(n)).append("\\l");
      }
      sb.append("    ").append(quote(prefix + "#notes"))
          .append(" [shape=note, fontsize=10, label=\"").append(label).append("\"];\n");
    }
    sb.append("  }\n");
  }

  /** A DOT quoted string; a newline in {@code s} becomes a centered line break. */
  static String quote(String s) {
    return "\"" + escape(s) + "\"";
  }

  private static String escape(String s) {
    return s.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n");
  }
}
