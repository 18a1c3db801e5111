package io.specwatch.cli.run;

import io.specwatch.cli.config.ConfigError;
import io.specwatch.cli.config.ConfigException;
import io.specwatch.cli.config.ConfigReader;
import io.specwatch.cli.config.DaemonConfig;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code specwatch run --config FILE}: the long-running daemon. */
@Command(name = "run",
    description = {"Runs specwatch as a daemon, as configured in a YAML file: specs, sources, "
        + "sinks, admin endpoint, state directory and limits (docs/operations.md).",
        "SIGTERM stops it cleanly (drain, checkpoint, exit 0); SIGHUP reloads the specs.",
        "Exit status: 0 stopped cleanly, 1 a runtime failure, 2 the configuration or a spec is invalid."},
    footer = {"", "Example:", "  specwatch run --config examples/daemon/specwatch.yaml"},
    mixinStandardHelpOptions = true)
public final class RunCommand implements Callable<Integer> {
  @Option(names = "--config", required = true, paramLabel = "FILE",
      description = "The configuration file (check it with `specwatch config check FILE`).")
  Path config;

  private final InputStream stdin;
  private final PrintStream stdout;
  private final PrintStream stderr;

  public RunCommand(InputStream stdin, PrintStream stdout, PrintStream stderr) {
    this.stdin = stdin;
    this.stdout = stdout;
    this.stderr = stderr;
  }

  @Override
  public Integer call() {
    DaemonConfig parsed;
    try {
      parsed = new ConfigReader().read(config);
    } catch (ConfigException e) {
      for (ConfigError error : e.errors()) {
        stderr.println(error.render());
      }
      return Daemon.CONFIG_ERROR;
    }
    return new Daemon(parsed, stdin, stdout, stderr).run();
  }
}
