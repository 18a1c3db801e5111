package io.specwatch.cli;

import java.io.InputStream;
import java.io.PrintStream;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code specwatch} command: subcommands are wired here with plain constructors. */
@Command(name = "specwatch",
    description = {"specwatch checks audit events against executable specs: per-entity state "
        + "machines, invariants and deadlines."},
    footer = {"", "Examples:",
        "  specwatch demo",
        "  specwatch check examples/payments/payments.sw --events examples/payments/events.jsonl",
        "  specwatch compile examples/payments/payments.sw",
        "  specwatch graph examples/payments/payments.sw | dot -Tsvg > payments.svg",
        "", "Run `specwatch help COMMAND` or `specwatch COMMAND --help` for a command's options."},
    mixinStandardHelpOptions = true, versionProvider = Main.Version.class,
    subcommands = {CommandLine.HelpCommand.class})
public final class Main implements Runnable {
  private final PrintStream out;

  @CommandLine.Spec
  private CommandLine.Model.CommandSpec spec;

  private Main(PrintStream out) {
    this.out = out;
  }

  @Override
  public void run() {
    // `specwatch` alone: show what it can do, subcommands included.
    spec.commandLine().usage(out);
  }

  public static void main(String[] args) {
    System.exit(run(args, System.in, System.out, System.err));
  }

  /** Runs the command line and returns its exit status; used by tests and the load runner. */
  public static int run(String[] args, InputStream in, PrintStream out, PrintStream err) {
    CommandLine cli = commandLine(in, out, err);
    return cli.execute(args);
  }

  static CommandLine commandLine(InputStream in, PrintStream out, PrintStream err) {
    CommandLine cli = new CommandLine(new Main(out));
    cli.addSubcommand(new CommandLine(new CheckCommand(in, out, err)));
    cli.addSubcommand(new CommandLine(new CompileCommand(out, err)));
    cli.addSubcommand(new CommandLine(new GraphCommand(out, err)));
    cli.addSubcommand(new CommandLine(new DemoCommand(out, err)));
    cli.addSubcommand(new CommandLine(new io.specwatch.cli.run.RunCommand(in, out, err)));
    cli.addSubcommand(io.specwatch.cli.config.ConfigCommand.commandLine(out, err));
    cli.setOut(new java.io.PrintWriter(out, true));
    cli.setErr(new java.io.PrintWriter(err, true));
    // A usage mistake is exit 2, like a spec that does not compile; the message names the option.
    cli.setExitCodeExceptionMapper(e -> CheckRun.FAILURE);
    cli.setParameterExceptionHandler((ex, a) -> {
      ex.getCommandLine().getErr().println("specwatch: " + ex.getMessage());
      ex.getCommandLine().getErr().println("Run `specwatch " + ex.getCommandLine().getCommandName()
          + " --help` for usage.");
      return CheckRun.FAILURE;
    });
    cli.setExecutionExceptionHandler((ex, c, parsed) -> {
      c.getErr().println("specwatch: internal error: " + ex);
      ex.printStackTrace(new PrintStream(err));
      return 3;
    });
    return cli;
  }

  static final class Version implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() {
      String v = Main.class.getPackage().getImplementationVersion();
      return new String[] {"specwatch " + (v != null ? v : "0.1.0-SNAPSHOT") + ", spec language v1"};
    }
  }
}
