package io.specwatch.cli.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import io.specwatch.cli.Main;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.Map;
import io.specwatch.testkit.FreePorts;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code specwatch run} as an operator runs it: its own JVM, a configuration file, a followed
 * JSONL file in and a JSONL file of violations out, stopped with SIGTERM ({@link Process#destroy})
 * or killed outright. Every run's output, put together, must be exactly what
 * {@code specwatch check} prints for the whole input: nothing lost, nothing repeated.
 */
class DaemonProcessTest {
  private static final int ORDERS = 6000;
  private static final ObjectMapper JSON = new ObjectMapper();
  private static List<String> log;
  private static List<String> expected;

  @TempDir
  static Path shared;

  @TempDir
  Path dir;

  private final List<Process> processes = new ArrayList<>();
  private Path events;
  private Path violations;
  private Path config;
  private int adminPort;

  @BeforeAll
  static void expectedIsWhatCheckPrints() throws IOException {
    log = OrdersLog.lines(ORDERS);
    Path spec = shared.resolve("orders.sw");
    Files.writeString(spec, OrdersLog.SPEC);
    Path all = shared.resolve("all.jsonl");
    Files.writeString(all, String.join("", log));
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    int status = Main.run(new String[] {"check", spec.toString(), "--events", all.toString()},
        new ByteArrayInputStream(new byte[0]), new PrintStream(out, true, StandardCharsets.UTF_8),
        new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8));
    assertEquals(1, status);
    expected = lines(out.toString(StandardCharsets.UTF_8));
    assertTrue(expected.size() > 1000, "the log raises violations of every kind: " + expected.size());
  }

  @BeforeEach
  void configure() throws IOException {
    events = dir.resolve("events.jsonl");
    violations = dir.resolve("violations.jsonl");
    config = dir.resolve("specwatch.yaml");
    adminPort = FreePorts.next();
    Files.createFile(events);
    Files.writeString(config, "specs: [" + shared.resolve("orders.sw") + "]\n"
        + "sources:\n  files:\n    - path: events.jsonl\n"
        + "sinks:\n  jsonl:\n    - path: violations.jsonl\n"
        + "admin: {port: " + adminPort + "}\n"
        + "state: {directory: state, interval: 100ms}\n"
        + "reload: {watch: false}\n");
  }

  @AfterEach
  void killLeftovers() {
    for (Process p : processes) {
      p.destroyForcibly();
    }
  }

  @Test
  void aFollowedFileGivesExactlyWhatCheckGives() throws Exception {
    append(0, log.size());
    Process daemon = start("run1");
    awaitReady(daemon);
    String metrics = body("/metrics");
    assertEquals(log.size(), value(metrics, "specwatch_documents_total{spec=\"orders\"}"), metrics);
    assertEquals(1, value(metrics, "specwatch_ready"), metrics);
    assertEquals(expected.size(), sum(metrics, "specwatch_violations_total{", "spec=\"orders\""), metrics);
    assertEquals(log.size(), value(metrics, "specwatch_event_latency_seconds_count"), metrics);
    assertEquals(0, value(metrics, "specwatch_ring_backlog"), metrics);
    String sink = "{sink=\"jsonl-" + violations.toAbsolutePath().normalize() + "\"}";
    assertEquals(expected.size(), value(metrics, "specwatch_sink_sent_total" + sink), metrics);
    assertEquals(0, value(metrics, "specwatch_sink_queue_depth" + sink), metrics);
    assertEquals(log.size(), value(metrics, "specwatch_source_last_line{source=\"file:" + events.toAbsolutePath().normalize() + "\"}"),
        metrics);
    // Issue 6's promise holds for `specwatch run`: whatever the shipped dashboard and rules query,
    // the daemon serves (alerting's OperatorFilesTest checks the same against a bare pipeline).
    List<String> missing = new ArrayList<>();
    for (String metric : OperatorQueries.metricNames()) {
      if (!metrics.contains("\n" + metric + "{") && !metrics.contains("\n" + metric + " ")) {
        missing.add(metric);
      }
    }
    assertEquals(List.of(), missing, () -> "queried by deploy/grafana or deploy/prometheus but not served:\n" + metrics);
    assertEquals(200, status("/healthz"));
    assertEquals(0, stop(daemon), () -> output("run1"));
    assertEquals(expected, lines(Files.readString(violations)));
    assertTrue(output("run1").contains("checkpoint written"), () -> output("run1"));
  }

  @Test
  void sighupAndAnEditedSpecFileReloadTheSpecWithoutARestart() throws Exception {
    Path spec = dir.resolve("orders.sw");
    Files.writeString(spec, OrdersLog.SPEC);
    Files.writeString(config, Files.readString(config).replace(shared.resolve("orders.sw").toString(), "orders.sw")
        .replace("reload: {watch: false}", "reload: {watch: true}"));
    append(0, 100);
    Process daemon = start("run1");
    awaitReady(daemon);
    new ProcessBuilder("kill", "-HUP", String.valueOf(daemon.pid())).start().waitFor();
    await(() -> output("run1").contains("specs reloaded: orders kept"), daemon, "the SIGHUP reload");
    Files.writeString(spec, OrdersLog.SPEC.replace("total: int", "total: int\n  note: string"));
    await(() -> output("run1").contains("specs reloaded: orders restarted"), daemon, "the file-watch reload");
    Files.writeString(spec, "spec orders\nentity {");
    await(() -> output("run1").contains("reload rejected"), daemon, "the rejected reload");
    await(() -> value(body("/metrics"), "specwatch_spec_reloads_total{outcome=\"rejected\",spec=\"orders\"}") == 1,
        daemon, "the reload metric");
    assertEquals(1, value(body("/metrics"), "specwatch_spec_reloads_total{outcome=\"kept\",spec=\"orders\"}"));
    assertTrue(daemon.isAlive(), "a spec that does not compile does not stop the daemon");
    assertEquals(0, stop(daemon), () -> output("run1"));
  }

  @Test
  void sigtermMidStreamAndARestartLoseNothingAndRepeatNothing() throws Exception {
    int half = log.size() / 2;
    append(0, half / 2);
    Process first = start("run1");
    // Keep writing while the daemon reads, and stop it while lines are still arriving.
    await(() -> Files.exists(violations) && size(violations) > 0, first, "the first violations");
    append(half / 2, half);
    assertEquals(0, stop(first), () -> output("run1"));
    long afterFirst = lines(Files.readString(violations)).size();
    assertTrue(afterFirst < expected.size(), "stopped mid-stream");
    append(half, log.size());
    Process second = start("run2");
    awaitReady(second);
    assertEquals(0, stop(second), () -> output("run2"));
    assertTrue(output("run2").contains("resuming from the checkpoint"), () -> output("run2"));
    assertEquals(expected, lines(Files.readString(violations)));
  }

  @Test
  void afterAKillTheRestartResumesFromTheLastCheckpointAndRepeatsNothing() throws Exception {
    append(0, log.size() / 2);
    Process first = start("run1");
    await(() -> Files.exists(dir.resolve("state")) && hasCheckpoint() && size(violations) > 0,
        first, "a checkpoint");
    first.destroyForcibly();
    first.waitFor(30, TimeUnit.SECONDS);
    append(log.size() / 2, log.size());
    // The killed daemon's state-directory lock went with its process: no stale lock to clear.
    Process second = start("run2");
    awaitReady(second);
    assertEquals(0, stop(second), () -> output("run2"));
    assertTrue(output("run2").contains("resuming from the checkpoint"), () -> output("run2"));
    assertEquals(expected, lines(Files.readString(violations)));
  }

  @Test
  void aSecondDaemonOnTheSameStateDirectoryRefusesToStartAndDisturbsNothing() throws Exception {
    append(0, log.size());
    Process first = start("run1");
    awaitReady(first);
    // The same state directory and sink, another admin port: only the directory is in the way.
    Path second = dir.resolve("second.yaml");
    Files.writeString(second, Files.readString(config)
        .replace("admin: {port: " + adminPort + "}", "admin: {port: " + FreePorts.next() + "}"));
    Process intruder = DaemonProcesses.start(dir, second, "run2", "64m", Map.of());
    processes.add(intruder);
    assertTrue(intruder.waitFor(60, TimeUnit.SECONDS), () -> output("run2"));
    assertEquals(1, intruder.exitValue(), () -> output("run2"));
    assertTrue(output("run2").contains("cannot use the state directory")
        && output("run2").contains("another specwatch run is using it (process " + first.pid() + ")"),
        () -> output("run2"));
    assertEquals(200, status("/readyz"), "the first daemon runs on");
    assertEquals(0, stop(first), () -> output("run1"));
    assertEquals(expected, lines(Files.readString(violations)));
  }

  @Test
  void aFloodOfKeysBeyondTheLiveInstanceCapIsErrorsAndAMetricAndTheDaemonLivesOn() throws Exception {
    // The flood's 500 event ids pass the dedupe memory's cap too: 300 recorded, 200 not.
    Files.writeString(config, Files.readString(config)
        + "limits: {max_live_instances: 100, max_dedupe_ids: 300}\n");
    StringBuilder flood = new StringBuilder();
    for (int k = 0; k < 500; k++) {
      flood.append("{\"event_id\":\"x").append(k).append("\",\"type\":\"order.placed\",\"at\":")
          .append(1_777_000_000_000L + k).append(",\"order_id\":\"flood-").append(k).append("\",\"total\":5}\n");
    }
    Files.writeString(events, flood);
    Process daemon = start("run1");
    awaitReady(daemon);
    String metrics = body("/metrics");
    assertEquals(400, value(metrics, "specwatch_instances_refused_total{spec=\"orders\"}"), metrics);
    assertEquals(100, value(metrics, "specwatch_live_instances{spec=\"orders\"}"), metrics);
    assertEquals(200, value(metrics, "specwatch_dedupe_ids_unrecorded_total{spec=\"orders\"}"), metrics);
    assertEquals(300, value(metrics, "specwatch_dedupe_ids{spec=\"orders\"}"), metrics);
    assertEquals(400, value(metrics, "specwatch_violations_total{kind=\"error\",rule=\"placed\",spec=\"orders\"}"),
        metrics);
    assertEquals(200, status("/healthz"), "alive");
    assertTrue(output("run1").contains("at most 100 live instances per spec (limits.max_live_instances)"),
        () -> output("run1"));
    assertTrue(output("run1").contains("at most 300 dedupe ids per spec (limits.max_dedupe_ids)"),
        () -> output("run1"));
    assertEquals(0, stop(daemon), () -> output("run1"));
    // The same verdict as check with the same cap, line for line.
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    Main.run(new String[] {"check", shared.resolve("orders.sw").toString(), "--events", events.toString(),
        "--max-live-instances", "100"}, new ByteArrayInputStream(new byte[0]),
        new PrintStream(out, true, StandardCharsets.UTF_8),
        new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8));
    List<String> capped = lines(out.toString(StandardCharsets.UTF_8));
    assertEquals(400, capped.size());
    assertEquals(capped, lines(Files.readString(violations)));
  }

  @Test
  void afterAReloadAlertsTakeTheirTextFromTheNewSpecsDocComments() throws Exception {
    Path spec = dir.resolve("orders.sw");
    Files.writeString(spec, OrdersLog.SPEC);
    java.util.Map<String, String> summaries = new java.util.concurrent.ConcurrentHashMap<>();
    HttpServer hook = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 8);
    hook.createContext("/hook", ex -> {
      for (JsonNode alert : JSON.readTree(ex.getRequestBody().readAllBytes()).path("alerts")) {
        summaries.put(alert.path("labels").path("alertname").asText() + "/" + alert.path("labels").path("key").asText(),
            alert.path("annotations").path("summary").asText());
      }
      ex.sendResponseHeaders(204, -1);
      ex.close();
    });
    hook.start();
    try {
      Files.writeString(config, Files.readString(config)
          .replace(shared.resolve("orders.sw").toString(), "orders.sw")
          .replace("sinks:\n  jsonl:\n    - path: violations.jsonl\n",
              "sinks:\n  jsonl:\n    - path: violations.jsonl\n  webhook:\n    - url: http://127.0.0.1:"
                  + hook.getAddress().getPort() + "/hook\n"));
      append(0, 30); // order o-0 is overpaid
      Process daemon = start("run1");
      awaitReady(daemon);
      await(() -> summaries.containsKey("no_overpayment/o-0"), daemon, "the first alert");
      assertEquals("Customers never pay more than the order total.", summaries.get("no_overpayment/o-0"));
      // Same state layout (kept), a new doc comment; then a new order is overpaid.
      Files.writeString(spec, OrdersLog.SPEC.replace("/// Customers never pay more than the order total.",
          "/// Reworded: a payment above the order total."));
      new ProcessBuilder("kill", "-HUP", String.valueOf(daemon.pid())).start().waitFor();
      await(() -> output("run1").contains("specs reloaded: orders kept"), daemon, "the reload");
      Files.writeString(events, "{\"event_id\":\"r1\",\"type\":\"order.placed\",\"at\":1777889900000,"
          + "\"order_id\":\"late-1\",\"total\":10}\n{\"event_id\":\"r2\",\"type\":\"order.paid\","
          + "\"at\":1777889901000,\"order_id\":\"late-1\",\"amount\":20}\n", StandardOpenOption.APPEND);
      await(() -> summaries.containsKey("no_overpayment/late-1"), daemon, "the alert after the reload");
      assertEquals("Reworded: a payment above the order total.", summaries.get("no_overpayment/late-1"));
      assertEquals(0, stop(daemon), () -> output("run1"));
    } finally {
      hook.stop(0);
    }
  }

  @Test
  void violationsBecomeWebhookAlertsSignedWithASecretFromTheEnvironment() throws Exception {
    List<String> small = log.subList(0, 80);
    Files.writeString(events, String.join("", small));
    Path smallLog = dir.resolve("small.jsonl");
    Files.writeString(smallLog, String.join("", small));
    java.util.Set<String> expectedAlerts = new java.util.TreeSet<>();
    for (String v : check(smallLog)) {
      JsonNode n = JSON.readTree(v);
      expectedAlerts.add(n.path("rule").asText() + "/" + n.path("key").asText());
    }
    assertTrue(expectedAlerts.size() >= 5, expectedAlerts::toString);
    // The configuration's alerts section picks one rule out as critical, the rest default to info.
    String criticalRule = expectedAlerts.iterator().next().split("/")[0];
    List<String> badSignatures = new java.util.concurrent.CopyOnWriteArrayList<>();
    java.util.Set<String> received = java.util.concurrent.ConcurrentHashMap.newKeySet();
    java.util.Map<String, String> severities = new java.util.concurrent.ConcurrentHashMap<>();
    HttpServer hook = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 8);
    hook.createContext("/hook", ex -> {
      byte[] body = ex.getRequestBody().readAllBytes();
      if (!io.specwatch.alert.webhook.HmacSignature.matches("s3cret".getBytes(StandardCharsets.UTF_8), body,
          ex.getRequestHeaders().getFirst(io.specwatch.alert.webhook.HmacSignature.HEADER))) {
        badSignatures.add(new String(body, StandardCharsets.UTF_8));
      }
      for (JsonNode alert : JSON.readTree(body).path("alerts")) {
        received.add(alert.path("labels").path("alertname").asText() + "/" + alert.path("labels").path("key").asText());
        severities.put(alert.path("labels").path("alertname").asText(),
            alert.path("labels").path("severity").asText());
      }
      ex.sendResponseHeaders(204, -1);
      ex.close();
    });
    hook.start();
    try {
      Files.writeString(config, Files.readString(config).replace("sinks:\n  jsonl:\n    - path: violations.jsonl\n",
          "sinks:\n  jsonl:\n    - path: violations.jsonl\n  webhook:\n    - url: http://127.0.0.1:"
              + hook.getAddress().getPort() + "/hook\n      hmac_secret: \"${HOOK_SECRET}\"\n")
          + "alerts:\n  severity: info\n  severities: {" + criticalRule + ": critical}\n");
      Process daemon = start("run1", Map.of("HOOK_SECRET", "s3cret"));
      awaitReady(daemon);
      await(() -> received.containsAll(expectedAlerts), daemon, "every alert at the webhook");
      // The webhook's delivery queue is one of the daemon's per-sink series.
      String sink = "{sink=\"webhook-127.0.0.1:" + hook.getAddress().getPort() + "\"}";
      await(() -> value(body("/metrics"), "specwatch_sink_sent_total" + sink) >= expectedAlerts.size(),
          daemon, "the webhook's sent count");
      String metrics = body("/metrics");
      assertTrue(value(metrics, "specwatch_sink_queue_capacity" + sink) > 0, metrics);
      assertEquals(0, value(metrics, "specwatch_sink_dropped_total" + sink), metrics);
      assertTrue(value(metrics, "specwatch_alerts_firing") > 0, metrics);
      assertEquals(0, stop(daemon), () -> output("run1"));
      assertEquals(expectedAlerts, new java.util.TreeSet<>(received), "one alert per violated rule and key");
      assertEquals(List.of(), badSignatures, "every body is signed with the secret");
      for (java.util.Map.Entry<String, String> e : severities.entrySet()) {
        assertEquals(e.getKey().equals(criticalRule) ? "critical" : "info", e.getValue(),
            "severity of " + e.getKey() + ", as configured");
      }
      assertTrue(severities.size() >= 2, severities::toString);
    } finally {
      hook.stop(0);
    }
  }

  // ---- helpers

  private static List<String> check(Path events) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    Main.run(new String[] {"check", shared.resolve("orders.sw").toString(), "--events", events.toString()},
        new ByteArrayInputStream(new byte[0]), new PrintStream(out, true, StandardCharsets.UTF_8),
        new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8));
    return lines(out.toString(StandardCharsets.UTF_8));
  }

  private boolean hasCheckpoint() {
    try (var files = Files.list(dir.resolve("state"))) {
      return files.anyMatch(f -> f.toString().endsWith(".ckpt"));
    } catch (IOException e) {
      return false;
    }
  }

  private static long size(Path f) {
    try {
      return Files.size(f);
    } catch (IOException e) {
      return 0;
    }
  }

  private void append(int from, int to) throws IOException {
    Files.writeString(events, String.join("", log.subList(from, to)), StandardOpenOption.APPEND);
  }

  private Process start(String name) throws IOException {
    return start(name, Map.of());
  }

  private Process start(String name, Map<String, String> env) throws IOException {
    Process p = DaemonProcesses.start(dir, config, name, "256m", env);
    processes.add(p);
    return p;
  }

  /** SIGTERM, then the exit status (the daemon must exit by itself within its bound). */
  private static int stop(Process p) throws InterruptedException {
    return DaemonProcesses.stop(p, Duration.ofSeconds(60));
  }

  private String output(String name) {
    return DaemonProcesses.output(dir, name);
  }

  private void awaitReady(Process p) throws Exception {
    await(() -> status("/readyz") == 200, p, "/readyz to answer 200");
  }

  private String body(String path) {
    return DaemonProcesses.body(adminPort, path);
  }

  private int status(String path) {
    return DaemonProcesses.status(adminPort, path);
  }

  private static void await(BooleanSupplier condition, Process p, String what) throws Exception {
    DaemonProcesses.await(condition, p, Duration.ofSeconds(60), what, () -> "");
  }

  /** The value of one series in a scrape, e.g. {@code name{a="b"}}; NaN when it is absent. */
  static double value(String scrape, String series) {
    for (String line : scrape.split("\n")) {
      if (line.startsWith(series + " ")) {
        return Double.parseDouble(line.substring(series.length() + 1).trim());
      }
    }
    return Double.NaN;
  }

  /** The sum over the series whose line starts with {@code prefix} and holds {@code label}. */
  static double sum(String scrape, String prefix, String label) {
    double total = 0;
    for (String line : scrape.split("\n")) {
      if (line.startsWith(prefix) && line.substring(0, line.lastIndexOf(' ')).contains(label)) {
        total += Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
      }
    }
    return total;
  }

  private static List<String> lines(String text) {
    List<String> out = new ArrayList<>();
    for (String l : text.split("\n")) {
      if (!l.isEmpty()) {
        out.add(l);
      }
    }
    return out;
  }
}
