package io.specwatch.cli.config;

import java.io.PrintStream;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code specwatch config}: the group of configuration subcommands (today: check). */
@Command(name = "config", description = "Works with the daemon's YAML configuration.",
    mixinStandardHelpOptions = true)
public final class ConfigCommand implements Runnable {
  @CommandLine.Spec
  private CommandLine.Model.CommandSpec spec;

  private final PrintStream out;

  private ConfigCommand(PrintStream out) {
    this.out = out;
  }

  /** The {@code config} command line with its subcommands. */
  public static CommandLine commandLine(PrintStream out, PrintStream err) {
    CommandLine cli = new CommandLine(new ConfigCommand(out));
    cli.addSubcommand(new CommandLine(new ConfigCheckCommand(out, err)));
    return cli;
  }

  @Override
  public void run() {
    spec.commandLine().usage(out);
  }
}
