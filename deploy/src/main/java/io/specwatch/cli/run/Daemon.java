package io.specwatch.cli.run;

import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.specwatch.alert.SinkStatus;
import io.specwatch.alert.metrics.AdminServer;
import io.specwatch.alert.metrics.CheckpointMetrics;
import io.specwatch.alert.metrics.EventLatency;
import io.specwatch.alert.metrics.PipelineMetrics;
import io.specwatch.alert.metrics.SinkMetrics;
import io.specwatch.alert.metrics.ViolationMetrics;
import io.specwatch.cli.config.DaemonConfig;
import io.specwatch.cli.config.SinksConfig;
import io.specwatch.cli.config.SourcesConfig;
import io.specwatch.core.pipeline.Pipeline;
import io.specwatch.core.ViolationSink;
import io.specwatch.core.checkpoint.CheckpointFormatException;
import io.specwatch.core.checkpoint.DirectoryCheckpointStore;
import io.specwatch.core.engine.DedupeLimits;
import io.specwatch.core.engine.Monitor;
import io.specwatch.core.program.Program;
import io.specwatch.ingest.file.JsonlSource;
import io.specwatch.ingest.kafka.SecretText;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * One run of {@code specwatch run}: the lifecycle of the daemon.
 *
 * <p>Start-up, in this order, so that nothing is consumed before the state it must be applied to
 * exists: compile the specs (diagnostics, exit 2); load the checkpoint and restore each spec's
 * state; open the sinks (a JSONL file is cut back to its checkpointed length); start the monitor
 * thread; start the admin endpoint; start the sources, each resuming after its checkpointed
 * position. Ready ({@code /readyz}) once every source has caught up and the queue is empty.
 *
 * <p>Stop (SIGTERM, SIGINT, or {@link #requestStop}): the sources stop between two documents,
 * the monitor applies everything already queued, a final checkpoint is written, the sinks are
 * flushed and closed; all within {@code shutdown_timeout}, else exit 1.
 *
 * <p>Reload (SIGHUP, a change to a spec file, or {@link #requestReload}): see {@link SpecReload}.
 */
public final class Daemon {
  public static final int OK = 0;
  public static final int FAILURE = 1;
  public static final int CONFIG_ERROR = 2;

  private final DaemonConfig config;
  private final InputStream stdin;
  private final PrintStream stdout;
  private final PrintStream log;
  /** Everything {@code /metrics} serves: alerting's binders and the daemon's own meters. */
  private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
  private final DaemonMeters metrics = new DaemonMeters(registry);
  private PipelineMetrics pipelineMetrics;
  private final CountDownLatch stop = new CountDownLatch(1);
  private final List<JsonlSource> sources = new ArrayList<>();
  private final List<JsonlSinkFile> jsonlSinks = new ArrayList<>();
  private final NetworkSources network = new NetworkSources();
  private AlertRouting alerts;
  private volatile MonitorLoop loop;
  private volatile AdminServer admin;
  private DirectoryCheckpointStore store;
  private SpecReload reload;
  private long lastCheckpointNanos = System.nanoTime();
  private long documentsAtLastCheckpoint = -1;
  /** Whether a checkpoint was found at start. */
  private boolean resumed;

  public Daemon(DaemonConfig config, InputStream stdin, PrintStream stdout, PrintStream log) {
    this.config = config;
    this.stdin = stdin;
    this.stdout = stdout;
    this.log = log;
  }

  /** Asks the daemon to stop cleanly; returns at once. Thread-safe. */
  public void requestStop() {
    stop.countDown();
  }

  /** Asks the daemon to recompile its specs between two documents; returns at once. */
  public void requestReload() {
    MonitorLoop l = loop;
    if (l != null && reload != null) {
      l.submit(() -> {
        reload.run();
        // A spec added by the reload gets its per-spec meters; existing ones are found again.
        pipelineMetrics.bindTo(registry);
      });
    }
  }

  /** Runs until stopped; returns the exit status. */
  public int run() {
    SpecLoader specs = new SpecLoader(config.specs());
    SpecLoader.Loaded loaded = specs.load();
    if (!loaded.ok()) {
      log.print(loaded.diagnostics());
      return CONFIG_ERROR;
    }
    StateDirectoryLock lock;
    try {
      lock = StateDirectoryLock.acquire(config.state().directory());
    } catch (IOException e) {
      log.println("specwatch run: cannot use the state directory " + config.state().directory()
          + ": " + e.getMessage());
      return FAILURE;
    }
    try (lock; DaemonSignals signals = new DaemonSignals(this::requestStop, this::requestReload)) {
      return runCompiled(specs, loaded.programs());
    }
  }

  private int runCompiled(SpecLoader specs, List<Program> programs) {
    DaemonCheckpoint checkpoint;
    try {
      store = new DirectoryCheckpointStore(config.state().directory());
      checkpoint = loadCheckpoint();
    } catch (UncheckedIOException | CheckpointFormatException e) {
      log.println("specwatch run: cannot use the state directory " + config.state().directory()
          + ": " + e.getMessage());
      return FAILURE;
    }
    // One cap for every spec of this monitor; `auto` divides the heap's share among the specs
    // found at start (a reload keeps that cap per spec).
    long liveCap = LiveInstanceCap.perSpec(config.limits(), programs.size());
    DedupeLimits dedupeLimits =
        DedupeLimits.LIVE.withMaxIds(DedupeIdCap.perSpec(config.limits(), programs.size()));
    Monitor monitor = new Monitor(programs, config.limits().maxNestingDepth(), 0, 1, liveCap,
        dedupeLimits);
    List<SpecStates.Restored> restored;
    try {
      restored = SpecStates.restore(checkpoint.specs(), monitor);
    } catch (CheckpointFormatException e) {
      log.println("specwatch run: cannot use the state directory " + config.state().directory()
          + ": " + e.getMessage());
      return FAILURE;
    }
    for (SpecStates.Restored r : restored) {
      if (r.outcome() == SpecStates.Outcome.RESTARTED) {
        log.println("specwatch run: spec `" + r.spec() + "` changed its state layout since the "
            + "checkpoint; its instances start afresh");
      }
    }
    KafkaWriteAhead kafkaAhead = null;
    try {
      // Each JSONL file loses the daemon's lines past the checkpoint (raised again by the
      // replay) and keeps the Kafka source's (committed on Kafka's schedule); the Kafka
      // source's own lines are written ahead of its commits and skipped when raised again.
      openSinks(checkpoint.sinkLengths());
      if (config.sources().kafka() != null) {
        kafkaAhead = new KafkaWriteAhead(jsonlSinks, config.state().directory(),
            checkpoint.sinkLengths(), config.sources().kafka().repartition());
      }
      alerts = new AlertRouting(config, programs);
    } catch (IOException | UncheckedIOException e) {
      log.println("specwatch run: cannot open a sink: " + e.getMessage());
      closeSinks();
      return FAILURE;
    } catch (org.apache.kafka.common.KafkaException e) {
      // The Kafka sink's producer refused its settings (sinks.kafka.properties). The reason is
      // often deep in the chain (a trust store that does not load).
      StringBuilder why = new StringBuilder();
      for (Throwable t = e; t != null; t = t.getCause()) {
        why.append(why.length() == 0 ? "" : ": ").append(t.getMessage());
      }
      log.println("specwatch run: cannot open the Kafka sink: "
          + SecretText.redact(why.toString(), config.sinks().kafka().properties()));
      closeSinks();
      return FAILURE;
    }
    ViolationMetrics byRule = new ViolationMetrics(registry, programs);
    ViolationSink sink = fanOut(jsonlSinks, byRule, alerts);
    loop = new MonitorLoop(monitor, checkpoint.sourcePositions(), config.limits().ringSize(),
        config.limits().maxNestingDepth(), sink, this::onIdle, new EventLatency(registry));
    loop.capLiveInstances(liveCap);
    loop.limitDedupe(dedupeLimits);
    bindMeters();
    reload = new SpecReload(specs, loop, metrics, log);
    reload.onReloaded((reloaded, kept) -> {
      network.reloadSpecs(reloaded, kept); // the Kafka source's partitions reload too
      alerts.reloadSpecs(reloaded); // and alert texts come from the new specs' doc comments
    });
    network.bindKafkaMetersTo(registry); // specwatch_kafka_* on /metrics
    if (!resumed && !checkpoint()) {
      // A first checkpoint before any document: the JSONL files' lengths from before this run,
      // so that a crash before the first periodic checkpoint cuts back only what this run wrote.
      closeSinks();
      return FAILURE;
    }
    loop.start();
    SpecWatcher watcher = null;
    try {
      if (config.admin().enabled()) {
        admin = AdminServer.start(config.admin().host(), config.admin().port(), registry, this::ready);
      }
      if (config.reload().watch()) {
        watcher = new SpecWatcher(config.specs(), this::requestReload, 200);
      }
    } catch (IOException e) {
      log.println("specwatch run: cannot serve the admin endpoint on " + config.admin().host() + ":"
          + config.admin().port() + ": " + e.getMessage());
      shutdown();
      return FAILURE;
    }
    String unreadable = startSources(checkpoint.sourcePositions());
    metrics.bindSources(sources);
    if (unreadable != null) {
      log.println("specwatch run: " + unreadable);
      shutdown();
      return FAILURE;
    }
    try {
      ViolationSink kafkaCommitted = fanOut(List.of(), byRule, alerts.alertsOnly());
      if (kafkaAhead != null) {
        // The JSONL sinks got the Kafka source's violations ahead of the commit; after it,
        // the counters and the alerts get them, and the write-ahead its confirmation.
        network.writeKafkaViolationsAheadTo(kafkaAhead);
        kafkaCommitted = Pipeline.fanOut(List.of(kafkaCommitted, kafkaAhead.confirmations()));
      }
      network.start(config, programs, loop, kafkaCommitted, log);
    } catch (IOException e) {
      log.println("specwatch run: cannot start a source: " + e.getMessage());
      shutdown();
      return FAILURE;
    }
    printBanner(programs);
    try {
      stop.await();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    if (watcher != null) {
      try {
        watcher.close();
      } catch (IOException ignored) {
        // the process is ending; nothing to do about a watch that does not close
      }
    }
    return shutdown();
  }

  /** Stops sources, drains, checkpoints, closes sinks; returns the exit status. */
  private int shutdown() {
    long deadline = System.nanoTime() + config.shutdownTimeout().toNanos();
    log.println("specwatch run: stopping: sources first, then draining and checkpointing");
    try {
      for (JsonlSource s : sources) {
        s.stop(remainingMillis(deadline));
      }
      network.stop(Duration.ofMillis(remainingMillis(deadline) / 2));
      boolean drained = loop.drainAndStop(remainingMillis(deadline));
      if (!drained) {
        log.println("specwatch run: the queue did not drain within " + config.shutdownTimeout()
            + " (shutdown_timeout); no final checkpoint, the restart resumes from the last one");
        return FAILURE;
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return FAILURE;
    } finally {
      if (admin != null) {
        admin.close();
      }
    }
    // The monitor thread has ended: its state is ours to read.
    boolean saved = checkpoint();
    closeSinks();
    log.println("specwatch run: stopped after " + loop.documents() + " documents"
        + (saved ? "; checkpoint written to " + config.state().directory() : ""));
    return saved ? OK : FAILURE;
  }

  private static long remainingMillis(long deadlineNanos) {
    return Math.max(1, TimeUnit.NANOSECONDS.toMillis(deadlineNanos - System.nanoTime()));
  }

  /** On the monitor thread whenever its queue is empty: flush outputs, checkpoint when due. */
  private void onIdle() {
    for (JsonlSinkFile s : jsonlSinks) {
      try {
        s.flush(false);
      } catch (IOException e) {
        log.println("specwatch run: cannot write to sink " + s.name() + ": " + e.getMessage());
      }
    }
    if (System.nanoTime() - lastCheckpointNanos >= config.state().interval().toNanos()
        && loop.documents() != documentsAtLastCheckpoint) {
      checkpoint();
    }
  }

  /**
   * Writes a checkpoint: flushes and syncs the JSONL files first, so that the lengths recorded
   * hold every violation raised by the documents in the state. Monitor thread (or after it ended).
   */
  private boolean checkpoint() {
    lastCheckpointNanos = System.nanoTime();
    try {
      Map<String, Long> lengths = new LinkedHashMap<>();
      for (JsonlSinkFile s : jsonlSinks) {
        s.flush(true);
        if (s.isFile()) {
          lengths.put(s.checkpointKey(), s.length());
        }
      }
      DaemonCheckpoint c = new DaemonCheckpoint(loop.positions(), lengths,
          SpecStates.export(loop.monitor()));
      store.save(DaemonCheckpoint.ID, c.encode());
      documentsAtLastCheckpoint = loop.documents();
      metrics.checkpointed(System.currentTimeMillis());
      return true;
    } catch (IOException | UncheckedIOException e) {
      metrics.checkpointFailed();
      log.println("specwatch run: checkpoint failed: " + e.getMessage());
      return false;
    }
  }

  private DaemonCheckpoint loadCheckpoint() {
    Optional<byte[]> bytes = store.load(DaemonCheckpoint.ID);
    if (bytes.isEmpty()) {
      return DaemonCheckpoint.empty();
    }
    resumed = true;
    DaemonCheckpoint c = DaemonCheckpoint.decode(bytes.get());
    log.println("specwatch run: resuming from the checkpoint in " + config.state().directory()
        + " " + c.sourcePositions());
    return c;
  }

  private void openSinks(Map<String, Long> checkpointedLengths) throws IOException {
    for (SinksConfig.JsonlSink j : config.sinks().jsonl()) {
      if (j.stdout()) {
        jsonlSinks.add(JsonlSinkFile.stdout(stdout));
      } else {
        String key = JsonlSinkFile.key(j.path());
        Long length = checkpointedLengths.get(key);
        jsonlSinks.add(JsonlSinkFile.open(j.path(), length == null ? -1 : length,
            KafkaWriteAhead.keepFile(config.state().directory(), key)));
      }
    }
  }

  private void closeSinks() {
    if (alerts != null) {
      alerts.close();
    }
    for (JsonlSinkFile s : jsonlSinks) {
      try {
        s.close();
      } catch (IOException e) {
        log.println("specwatch run: cannot close sink " + s.name() + ": " + e.getMessage());
      }
    }
  }

  /** The JSONL files, then the per-rule counts, then {@code more}, in this order. */
  private static ViolationSink fanOut(List<JsonlSinkFile> sinks, ViolationSink counted, ViolationSink more) {
    List<ViolationSink> all = new ArrayList<>(sinks);
    all.add(counted);
    all.add(more);
    return Pipeline.fanOut(all);
  }

  /**
   * Binds the alerting module's meters to the daemon: the monitor loop as the pipeline (its
   * queue as the ring), every sink (JSONL files and the alert destinations' delivery queues),
   * the checkpoint age and readiness. Before the admin port opens, so a first scrape sees all.
   */
  private void bindMeters() {
    pipelineMetrics = new PipelineMetrics(loop.view(), Clock.systemUTC());
    pipelineMetrics.bindTo(registry);
    List<SinkStatus> sinks = new ArrayList<>(jsonlSinks);
    sinks.addAll(alerts.status());
    new SinkMetrics(sinks, alerts.tracker()).bindTo(registry);
    new CheckpointMetrics(metrics::checkpointAgeSeconds).bindTo(registry);
    metrics.bindReady(this::ready);
  }

  /** Starts every source; returns why a file source cannot be read (none is started then), or null. */
  private String startSources(Map<String, Long> positions) {
    int maxBytes = config.limits().maxDocumentBytes();
    for (SourcesConfig.FileSource f : config.sources().files()) {
      if (!java.nio.file.Files.isReadable(f.path())) {
        return "cannot read the file source " + f.path() + " (sources.files): "
            + (java.nio.file.Files.exists(f.path()) ? "permission denied" : "no such file");
      }
    }
    for (SourcesConfig.FileSource f : config.sources().files()) {
      JsonlSource probe = JsonlSource.file(f.path(), f.follow(), maxBytes, 0);
      long resume = positions.getOrDefault(probe.name(), 0L);
      JsonlSource s = resume == 0 ? probe : JsonlSource.file(f.path(), f.follow(), maxBytes, resume);
      sources.add(s);
    }
    if (config.sources().stdin()) {
      sources.add(JsonlSource.stream("stdin", stdin, maxBytes));
    }
    for (JsonlSource s : sources) {
      s.start(loop);
    }
    return null;
  }

  /** Ready: every source caught up and every document it published applied. */
  boolean ready() {
    MonitorLoop l = loop;
    if (l == null || !l.idle() || !network.caughtUp()) {
      return false;
    }
    for (JsonlSource s : sources) {
      if (!s.caughtUp() || s.failure() != null) {
        return false;
      }
    }
    return true;
  }

  private void printBanner(List<Program> programs) {
    StringBuilder names = new StringBuilder();
    for (Program p : programs) {
      names.append(names.length() == 0 ? "" : ", ").append(p.name());
    }
    log.println("specwatch run: specs " + names + "; " + sources.size() + " source(s); state in "
        + config.state().directory());
    if (admin != null) {
      log.println("specwatch run: admin " + admin.url() + " (/metrics /healthz /readyz)");
    }
    long cap = loop.liveInstanceCap();
    log.println("specwatch run: " + (cap == 0 ? "no cap on live instances" : "at most " + cap
        + " live instances per spec")
        + (config.limits().maxLiveInstances() == DaemonConfig.Limits.AUTO
            ? " (limits.max_live_instances: auto, from a " + (Runtime.getRuntime().maxMemory() >> 20)
                + " MiB heap)" : " (limits.max_live_instances)"));
    long ids = loop.dedupeLimits().maxIds();
    log.println("specwatch run: " + (ids == 0 ? "no cap on dedupe ids" : "at most " + ids
        + " dedupe ids per spec")
        + (config.limits().maxDedupeIds() == DaemonConfig.Limits.AUTO
            ? " (limits.max_dedupe_ids: auto, from the heap)" : " (limits.max_dedupe_ids)"));
  }

  DaemonMeters metrics() {
    return metrics;
  }
}
