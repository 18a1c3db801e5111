package io.specwatch.cli;

import io.specwatch.core.program.Deadline;
import io.specwatch.core.program.EntityType;
import io.specwatch.core.program.EventField;
import io.specwatch.core.program.EventType;
import io.specwatch.core.program.InputSpec;
import io.specwatch.core.program.Invariant;
import io.specwatch.core.program.Program;
import io.specwatch.core.program.StateVar;
import io.specwatch.core.program.ValueType;
import io.specwatch.spec.CompileResult;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

@Command(name = "compile",
    description = {"Compiles specs: prints their diagnostics (file:line:column, the line and a caret), "
        + "or a short summary of what each spec declares.",
        "Exit status: 0 when every spec compiles, 2 otherwise."},
    footer = {"", "Example:", "  specwatch compile examples/payments/payments.sw"},
    mixinStandardHelpOptions = true)
final class CompileCommand implements Callable<Integer> {
  @Parameters(arity = "1..*", paramLabel = "SPEC", description = "Spec files (.sw).")
  List<Path> specs;

  private final PrintStream stdout;
  private final PrintStream stderr;

  CompileCommand(PrintStream stdout, PrintStream stderr) {
    this.stdout = stdout;
    this.stderr = stderr;
  }

  @Override
  public Integer call() {
    CompileResult result = SpecFiles.compileOrReport(specs, stderr);
    if (result == null) {
      return CheckRun.FAILURE;
    }
    for (Program p : result.programs()) {
      stdout.print(summary(p));
    }
    stdout.flush();
    return CheckRun.OK;
  }

  static String summary(Program p) {
    StringBuilder sb = new StringBuilder();
    int handlers = 0;
    int invariants = 0;
    int deadlines = 0;
    for (EventType e : p.events()) {
      handlers += e.handlers().size();
    }
    for (EntityType t : p.entities()) {
      invariants += t.invariants().size();
      deadlines += t.deadlines().size();
    }
    sb.append("spec ").append(p.name()).append(" (").append(p.sourceName()).append("): ")
        .append(count(p.entities().size(), "entity", "entities")).append(", ")
        .append(count(p.events().size(), "event", "events")).append(", ")
        .append(count(handlers, "handler", "handlers")).append(", ")
        .append(count(invariants, "invariant", "invariants")).append(", ")
        .append(count(deadlines, "deadline", "deadlines")).append('\n');
    InputSpec in = p.input();
    List<String> clauses = new ArrayList<>();
    if (in.hasTime()) {
      clauses.add("time `" + in.timePathText() + "`");
    }
    if (in.hasId()) {
      clauses.add("id `" + p.paths().get(in.idPath()) + "`, dedupe within " + duration(in.dedupeWindowMillis()));
    }
    if (in.latenessMillis() != 0) {
      clauses.add("lateness " + duration(in.latenessMillis()));
    }
    sb.append("  input: ").append(clauses.isEmpty() ? "no event time, no event id" : String.join(", ", clauses))
        .append('\n');
    for (EntityType t : p.entities()) {
      List<String> vars = new ArrayList<>();
      for (StateVar v : t.vars()) {
        vars.add(v.name() + ": " + typeName(v.type()));
      }
      sb.append("  entity ").append(t.name()).append(" key `").append(t.keyPathText()).append("`: ")
          .append(String.join(", ", vars)).append(t.endsWhen() != null ? "; ends" : "").append('\n');
      for (Invariant i : t.invariants()) {
        sb.append("    invariant ").append(i.name()).append(i.doc() != null ? ": " + i.doc() : "").append('\n');
      }
      for (Deadline d : t.deadlines()) {
        sb.append("    deadline ").append(d.name()).append(" within ").append(duration(d.withinMillis()))
            .append(d.doc() != null ? ": " + d.doc() : "").append('\n');
      }
    }
    for (EventType e : p.events()) {
      List<String> fields = new ArrayList<>();
      for (EventField f : e.fields()) {
        fields.add(f.name() + ": " + f.type() + " = `" + f.pathText() + "`"
            + (f.defaultValue() != null ? " (default)" : ""));
      }
      sb.append("  event ").append(e.name()).append(" for ").append(e.entity().name())
          .append(" key `").append(e.keyPathText()).append("`: ")
          .append(count(e.handlers().size(), "handler", "handlers"))
          .append(fields.isEmpty() ? "" : "; " + String.join(", ", fields)).append('\n');
    }
    return sb.toString();
  }

  private static String typeName(ValueType t) {
    return t.kind() == ValueType.Kind.ENUM ? "enum { " + String.join(", ", t.constants()) + " }" : t.toString();
  }

  private static String count(int n, String one, String many) {
    return n + " " + (n == 1 ? one : many);
  }

  static String duration(long ms) {
    long[] units = {86_400_000L, 3_600_000L, 60_000L, 1000L};
    String[] names = {"d", "h", "m", "s"};
    for (int i = 0; i < units.length; i++) {
      if (ms != 0 && ms % units[i] == 0) {
        return ms / units[i] + names[i];
      }
    }
    return ms + "ms";
  }
}
