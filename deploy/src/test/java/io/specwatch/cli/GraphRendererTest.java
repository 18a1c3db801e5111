package io.specwatch.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.specwatch.cli.graph.DeadlineNote;
import io.specwatch.cli.graph.DotRenderer;
import io.specwatch.cli.graph.Edge;
import io.specwatch.cli.graph.MermaidRenderer;
import io.specwatch.cli.graph.StateGraph;
import io.specwatch.cli.graph.StateMachine;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** DOT and Mermaid output for a small hand-made graph: escaping, loops, identifiers. */
class GraphRendererTest {
  private static final StateGraph GRAPH = new StateGraph("s", List.of(
      new StateMachine("E", "v", List.of("A", "B"), "A", Set.of("B"),
          List.of(
              new Edge("A", "B", "go", List.of("e.k == \"x:\\\"y\\\";\"", "n > 1"), false, null),
              new Edge("A", "A", "go", List.of(), true, "n <= 1"),
              new Edge("A", "A", "tick", List.of(), false, null)),
          List.of("no handler, changes no state: idle"),
          List.of(new DeadlineNote("soon", List.of("go"), List.of("tick", "go"), "5s"))),
      // Identifiers that collide once flattened with `_`.
      new StateMachine("E_v", null, List.of(StateMachine.ANY), StateMachine.ANY, Set.of(),
          List.of(), List.of(), List.of()),
      new StateMachine("E", "v_any", List.of("X"), "X", Set.of(), List.of(), List.of(), List.of())));

  @Test
  void dot() {
    assertEquals(String.join("\n",
        "// spec s: one state machine per entity enum variable, drawn by `specwatch graph`.",
        "// Double border: final state (the entity has ended). Dashed note: deadline.",
        "digraph \"s\" {",
        "  rankdir=TB;",
        "  fontname=\"Helvetica\";",
        "  node [shape=box, style=rounded, fontname=\"Helvetica\", fontsize=12];",
        "  edge [fontname=\"Helvetica\", fontsize=10];",
        "",
        "  subgraph \"cluster E.v\" {",
        "    label=\"E.v\";",
        "    \"E.v#start\" [shape=point, width=0.15];",
        "    \"E.v.A\" [label=\"A\"];",
        "    \"E.v.B\" [label=\"B\", peripheries=2];",
        "    \"E.v#start\" -> \"E.v.A\";",
        "    \"E.v.A\" -> \"E.v.B\" [label=\"go\\n[e.k == \\\"x:\\\\\\\"y\\\\\\\";\\\",\\nn > 1]\"];",
        "    \"E.v.A\" -> \"E.v.A\" [label=\"go\\n[otherwise]\\n[if n <= 1]\\n\\ntick\"];",
        "    \"E.v#deadline soon\" [shape=note, style=dashed, fontsize=10, "
            + "label=\"deadline soon:\\lafter go\\lexpect tick or go\\lwithin 5s\\l\"];",
        "    \"E.v#notes\" [shape=note, fontsize=10, label=\"no handler, changes no state: idle\\l\"];",
        "  }",
        "",
        "  subgraph \"cluster E_v\" {",
        "    label=\"E_v\";",
        "    \"E_v#start\" [shape=point, width=0.15];",
        "    \"E_v.(any)\" [label=\"(any)\"];",
        "    \"E_v#start\" -> \"E_v.(any)\";",
        "  }",
        "",
        "  subgraph \"cluster E.v_any\" {",
        "    label=\"E.v_any\";",
        "    \"E.v_any#start\" [shape=point, width=0.15];",
        "    \"E.v_any.X\" [label=\"X\"];",
        "    \"E.v_any#start\" -> \"E.v_any.X\";",
        "  }",
        "}",
        ""), DotRenderer.render(GRAPH));
  }

  @Test
  void mermaid() {
    assertEquals(String.join("\n",
        "stateDiagram-v2",
        "  %% spec s: one state machine per entity enum variable, drawn by `specwatch graph`.",
        "",
        "  state \"E.v\" as E_v {",
        "    state \"A\" as E_v_A",
        "    state \"B\" as E_v_B",
        "    [*] --> E_v_A",
        // Mermaid ends a label at `:` and `;`: they become look-alikes.
        "    E_v_A --> E_v_B : go [e.k == \"x\uA789\\\"y\\\"\u037E\", n > 1]",
        "    E_v_A --> E_v_A : go [otherwise] [if n <= 1]<br>tick",
        "    E_v_B --> [*]",
        "  }",
        "  note right of E_v",
        "    deadline soon: after go expect tick or go within 5s",
        "    no handler, changes no state: idle",
        "  end note",
        "",
        "  state \"E_v\" as E_v_2 {",
        "    state \"(any)\" as E_v_2_any",
        "    [*] --> E_v_2_any",
        "  }",
        "",
        "  state \"E.v_any\" as E_v_any {",
        "    state \"X\" as E_v_any_X",
        "    [*] --> E_v_any_X",
        "  }",
        ""), MermaidRenderer.render(GRAPH));
  }
}
