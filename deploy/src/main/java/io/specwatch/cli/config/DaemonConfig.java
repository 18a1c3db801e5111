package io.specwatch.cli.config;

import io.specwatch.alert.AlertSettings;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * The whole of a {@code specwatch.yaml}, typed and validated: nothing after {@link ConfigReader}
 * sees a string where a number, duration, path or URL is meant. docs/operations.md lists every key
 * with its default.
 *
 * @param file the configuration file itself (relative paths in it are resolved against its folder)
 * @param specs spec files, compiled in this order
 * @param shutdownTimeout how long SIGTERM may take to drain and checkpoint before the process
 *     gives up and exits 1
 * @param alerts how violations become alerts (severities, resolution, grouping, links)
 */
public record DaemonConfig(Path file, List<Path> specs, SourcesConfig sources, SinksConfig sinks,
    Admin admin, State state, Limits limits, Reload reload, Duration shutdownTimeout,
    AlertSettings alerts) {

  public DaemonConfig {
    specs = List.copyOf(specs);
  }

  /** The same configuration with another admin endpoint (tests pick a free port). */
  public DaemonConfig withAdmin(Admin admin) {
    return new DaemonConfig(file, specs, sources, sinks, admin, state, limits, reload,
        shutdownTimeout, alerts);
  }

  /** The HTTP endpoint for /metrics, /healthz and /readyz. */
  public record Admin(boolean enabled, String host, int port) {}

  /**
   * Where checkpoints go and how often they are taken.
   *
   * @param directory created if missing; one daemon per directory
   */
  public record State(Path directory, Duration interval) {}

  /**
   * Bounds that hostile or broken input hits, each with a metric.
   *
   * @param maxLiveInstances per spec: {@link #AUTO} (derived from the heap when the daemon
   *     starts), 0 for no cap, else the cap
   * @param maxDedupeIds per spec, the most event ids its dedupe memory holds: {@link #AUTO}
   *     (derived from the heap), 0 for no cap, else the cap
   */
  public record Limits(int maxDocumentBytes, int maxNestingDepth, int ringSize, int evaluators,
      long maxLiveInstances, long maxDedupeIds) {
    /** {@code max_live_instances: auto}, {@code max_dedupe_ids: auto}: from the maximum heap. */
    public static final long AUTO = -1;

    /** Limits with both caps {@code auto}. */
    public Limits(int maxDocumentBytes, int maxNestingDepth, int ringSize, int evaluators,
        long maxLiveInstances) {
      this(maxDocumentBytes, maxNestingDepth, ringSize, evaluators, maxLiveInstances, AUTO);
    }
  }

  /** Spec reload without a restart: SIGHUP always; a watch on the spec files if asked. */
  public record Reload(boolean watch) {}
}
