package io.specwatch.cli.config;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code specwatch config check FILE}: validates a daemon configuration without running it. */
@Command(name = "check",
    description = {"Checks a specwatch.yaml: every key, value and reference to the environment.",
        "Prints OK, or every error as file:line:column: key: message.",
        "Exit status: 0 valid, 2 invalid or unreadable."},
    footer = {"", "Example:", "  specwatch config check /etc/specwatch/specwatch.yaml"},
    mixinStandardHelpOptions = true)
public final class ConfigCheckCommand implements Callable<Integer> {
  @Parameters(index = "0", paramLabel = "FILE", description = "The configuration file.")
  Path file;

  private final PrintStream out;
  private final PrintStream err;

  public ConfigCheckCommand(PrintStream out, PrintStream err) {
    this.out = out;
    this.err = err;
  }

  @Override
  public Integer call() {
    try {
      DaemonConfig config = new ConfigReader().read(file);
      out.println("OK: " + file + " (" + config.specs().size() + " spec(s), "
          + describeSources(config.sources()) + ")");
      return 0;
    } catch (ConfigException e) {
      for (ConfigError error : e.errors()) {
        err.println(error.render());
      }
      err.println(e.errors().size() == 1 ? "1 error" : e.errors().size() + " errors");
      return 2;
    }
  }

  static String describeSources(SourcesConfig s) {
    StringBuilder sb = new StringBuilder("sources:");
    if (!s.files().isEmpty()) {
      sb.append(' ').append(s.files().size()).append(" file(s)");
    }
    if (s.stdin()) {
      sb.append(" stdin");
    }
    if (s.kafka() != null) {
      SourcesConfig.KafkaSource k = s.kafka();
      // What an operator checks before a rollout: which group reads what, over which protocol
      // (never a property value: those may be secrets).
      sb.append(" kafka (group ").append(k.groupId()).append(", ")
          .append(k.topicPattern() != null ? "topics matching " + k.topicPattern()
              : "topics " + k.topics())
          .append(", ").append(k.properties().getOrDefault("security.protocol", "PLAINTEXT"))
          .append(", start ").append(k.startPosition().name().toLowerCase(java.util.Locale.ROOT))
          .append(k.repartition() ? ", repartition" : "").append(')');
    }
    if (s.otlp() != null) {
      sb.append(" otlp");
    }
    if (s.http() != null) {
      sb.append(" http");
    }
    return sb.toString();
  }
}
