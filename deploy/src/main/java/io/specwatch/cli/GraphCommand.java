package io.specwatch.cli;

import io.specwatch.cli.graph.DotRenderer;
import io.specwatch.cli.graph.MermaidRenderer;
import io.specwatch.cli.graph.StateGraph;
import io.specwatch.cli.graph.StateMachine;
import io.specwatch.cli.graph.StateMachineExtractor;
import io.specwatch.spec.CompileResult;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "graph",
    description = {
        "Draws each entity's state machine, one per enum state variable (a single state, "
            + "`(any)`, for an entity without one): an edge per handler, from each state its "
            + "`requires` allow to each state its body can leave the variable in.",
        "Labels: the event, its other `requires` clauses, `[otherwise]` where an earlier "
            + "handler of the event comes first, and `[if ...]` for a target reached only under "
            + "a condition. Final states (where `ends when` holds) have a double border, or an "
            + "arrow to `[*]` in Mermaid, and no edges out. Notes list the deadlines, the events "
            + "without handler, and an `ends when` that is not about the states.",
        "Writes DOT or Mermaid on standard output.",
        "Exit status: 0 drawn, 2 the spec does not compile or has no such entity."},
    footer = {"", "Examples:",
        "  specwatch graph examples/payments/payments.sw | dot -Tsvg > payments.svg",
        "  specwatch graph examples/task-queue/task-queue.sw --format mermaid",
        "  specwatch graph spec.sw --entity Payment | dot -Tpng > payment.png"},
    mixinStandardHelpOptions = true, sortOptions = false)
final class GraphCommand implements Callable<Integer> {
  enum Format { dot, mermaid }

  @Parameters(index = "0", paramLabel = "SPEC", description = "The spec file (.sw).")
  Path spec;

  @Option(names = "--format", paramLabel = "FORMAT", defaultValue = "dot",
      description = "Output format: ${COMPLETION-CANDIDATES} (default: ${DEFAULT-VALUE}).")
  Format format;

  @Option(names = "--entity", paramLabel = "NAME",
      description = "Draw only this entity's machines (default: every entity).")
  String entity;

  private final PrintStream stdout;
  private final PrintStream stderr;

  GraphCommand(PrintStream stdout, PrintStream stderr) {
    this.stdout = stdout;
    this.stderr = stderr;
  }

  @Override
  public Integer call() {
    CompileResult result = SpecFiles.compileOrReport(List.of(spec), stderr);
    if (result == null) {
      return CheckRun.FAILURE;
    }
    StateGraph graph = StateMachineExtractor.extract(result.syntax().get(0));
    if (entity != null) {
      List<StateMachine> selected = new ArrayList<>();
      Set<String> names = new LinkedHashSet<>();
      for (StateMachine m : graph.machines()) {
        names.add(m.entity());
        if (m.entity().equals(entity)) {
          selected.add(m);
        }
      }
      if (selected.isEmpty()) {
        stderr.println("specwatch graph: spec `" + graph.specName() + "` has no entity `" + entity
            + "` (its entities: " + String.join(", ", names) + ")");
        return CheckRun.FAILURE;
      }
      graph = new StateGraph(graph.specName(), selected);
    }
    stdout.print(format == Format.mermaid ? MermaidRenderer.render(graph) : DotRenderer.render(graph));
    stdout.flush();
    return CheckRun.OK;
  }
}
