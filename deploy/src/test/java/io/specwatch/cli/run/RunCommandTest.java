package io.specwatch.cli.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.specwatch.cli.Main;
import io.specwatch.cli.config.ConfigReader;
import io.specwatch.cli.config.DaemonConfig;
import io.specwatch.testkit.FreePorts;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What {@code specwatch run} says and returns when it cannot start. */
class RunCommandTest {
  @TempDir
  Path dir;

  private Path config;

  @BeforeEach
  void files() throws Exception {
    Files.writeString(dir.resolve("orders.sw"), OrdersLog.SPEC);
    Files.writeString(dir.resolve("events.jsonl"), "");
    config = dir.resolve("specwatch.yaml");
  }

  private String[] run(String yaml) throws Exception {
    Files.writeString(config, yaml);
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int status = Main.run(new String[] {"run", "--config", config.toString()},
        new ByteArrayInputStream(new byte[0]), new PrintStream(out, true, StandardCharsets.UTF_8),
        new PrintStream(err, true, StandardCharsets.UTF_8));
    return new String[] {String.valueOf(status), out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8)};
  }

  /**
   * Issue 7: "with only a spec and a file, it runs". The configuration is the two keys and
   * nothing else (the admin port aside: its default 9464 is a fixed port, which a test must not
   * take); violations go to standard output, exactly what {@code check} prints, checkpoints to
   * {@code specwatch-state/} next to the file.
   */
  @Test
  void onlyASpecAndAFileItRunsAndPrintsWhatCheckPrints() throws Exception {
    List<String> log = OrdersLog.lines(200);
    Files.writeString(dir.resolve("events.jsonl"), String.join("", log));
    Files.writeString(config, "specs: [orders.sw]\nsources:\n  files:\n    - path: events.jsonl\n");
    DaemonConfig read = new ConfigReader(Map.of()).read(config, Files.readString(config));
    DaemonConfig c = read.withAdmin(new DaemonConfig.Admin(true, "127.0.0.1", FreePorts.next()));
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    Daemon daemon = new Daemon(c, new ByteArrayInputStream(new byte[0]),
        new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
    int[] status = {-1};
    Thread t = new Thread(() -> status[0] = daemon.run(), "daemon-under-test");
    t.start();
    ByteArrayOutputStream checked = new ByteArrayOutputStream();
    Main.run(new String[] {"check", dir.resolve("orders.sw").toString(), "--events", dir.resolve("events.jsonl").toString()},
        new ByteArrayInputStream(new byte[0]), new PrintStream(checked, true, StandardCharsets.UTF_8),
        new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8));
    String expected = checked.toString(StandardCharsets.UTF_8);
    assertTrue(expected.lines().count() > 20, expected);
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    while (!(daemon.ready() && out.toString(StandardCharsets.UTF_8).equals(expected)) && System.nanoTime() < deadline) {
      t.join(20); // polls the condition; returns early if the daemon ended
    }
    daemon.requestStop();
    t.join(TimeUnit.SECONDS.toMillis(30));
    assertEquals(0, status[0], () -> err.toString(StandardCharsets.UTF_8));
    assertEquals(expected, out.toString(StandardCharsets.UTF_8));
    assertTrue(Files.isDirectory(dir.resolve("specwatch-state")), "checkpoints next to the configuration");
  }

  /**
   * The two sources no other daemon test drives through a configuration: standard input, and
   * {@code POST /v1/events}. Both feed the daemon's one monitor in arrival order, so standard
   * input is read to its end first, then the request is sent: the violations equal {@code
   * check}'s over the two in that order (positions aside: a request has no line numbers).
   */
  @Test
  void stdinAndHttpEventsAreJudgedAsCheckJudgesThem() throws Exception {
    List<String> stdinLines = OrdersLog.lines(60);
    List<String> httpLines = new java.util.ArrayList<>();
    for (String line : OrdersLog.lines(60)) {
      httpLines.add(line.replace("\"order_id\":\"o-", "\"order_id\":\"h-")
          .replace("\"event_id\":\"e", "\"event_id\":\"he"));
    }
    int httpPort = FreePorts.next();
    Files.writeString(config, "specs: [orders.sw]\nsources:\n  stdin: true\n  http: {port: " + httpPort + "}\n"
        + "admin: {port: " + FreePorts.next() + "}\nstate: {directory: state}\nreload: {watch: false}\n");
    DaemonConfig c = new ConfigReader(Map.of()).read(config, Files.readString(config));
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    Daemon daemon = new Daemon(c, new ByteArrayInputStream(String.join("", stdinLines).getBytes(StandardCharsets.UTF_8)),
        new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
    int[] status = {-1};
    Thread t = new Thread(() -> status[0] = daemon.run(), "daemon-under-test");
    t.start();
    long fromStdin = check(stdinLines, "stdin").size();
    List<String> both = new java.util.ArrayList<>(stdinLines);
    both.addAll(httpLines);
    List<String> expected = withoutPositions(check(both, "both"));
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    while (!(daemon.ready() && out.toString(StandardCharsets.UTF_8).lines().count() >= fromStdin)
        && System.nanoTime() < deadline) {
      t.join(20); // polls the condition; returns early if the daemon ended
    }
    java.net.http.HttpClient http = java.net.http.HttpClient.newHttpClient();
    int answer = -1;
    while (answer != 200 && System.nanoTime() < deadline) {
      try {
        answer = http.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create("http://127.0.0.1:" + httpPort + "/v1/events"))
                .header("Content-Type", "application/x-ndjson")
                .POST(java.net.http.HttpRequest.BodyPublishers.ofString(String.join("", httpLines))).build(),
            java.net.http.HttpResponse.BodyHandlers.discarding()).statusCode();
      } catch (java.io.IOException notListeningYet) {
        t.join(50); // the receiver starts after the monitor; poll again
      }
    }
    assertEquals(200, answer);
    while (!(daemon.ready() && out.toString(StandardCharsets.UTF_8).lines().count() >= expected.size())
        && System.nanoTime() < deadline) {
      t.join(20); // polls the condition; returns early if the daemon ended
    }
    daemon.requestStop();
    t.join(TimeUnit.SECONDS.toMillis(30));
    assertEquals(0, status[0], () -> err.toString(StandardCharsets.UTF_8));
    assertEquals(expected, withoutPositions(out.toString(StandardCharsets.UTF_8).lines().toList()));
  }

  private List<String> check(List<String> lines, String name) throws Exception {
    Path log = dir.resolve(name + ".jsonl");
    Files.writeString(log, String.join("", lines));
    ByteArrayOutputStream checked = new ByteArrayOutputStream();
    Main.run(new String[] {"check", dir.resolve("orders.sw").toString(), "--events", log.toString()},
        new ByteArrayInputStream(new byte[0]), new PrintStream(checked, true, StandardCharsets.UTF_8),
        new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8));
    List<String> found = checked.toString(StandardCharsets.UTF_8).lines().toList();
    assertTrue(found.size() > 10, name + ": " + found);
    return found;
  }

  private static List<String> withoutPositions(List<String> lines) throws Exception {
    com.fasterxml.jackson.databind.ObjectMapper json = new com.fasterxml.jackson.databind.ObjectMapper();
    List<String> out = new java.util.ArrayList<>();
    for (String line : lines) {
      com.fasterxml.jackson.databind.JsonNode n = json.readTree(line);
      com.fasterxml.jackson.databind.node.ObjectNode kept = json.createObjectNode();
      for (String field : List.of("spec", "kind", "rule", "entity", "key", "time", "message", "state")) {
        kept.set(field, n.path(field));
      }
      out.add(kept.toString());
    }
    java.util.Collections.sort(out);
    return out;
  }

  @Test
  void anInvalidConfigurationExitsTwoWithItsErrors() throws Exception {
    String[] r = run("specs: [orders.sw]\nsources: {files: [{path: events.jsonl}]}\nadmin: {port: x}\n");
    assertEquals("2", r[0]);
    assertTrue(r[2].contains("specwatch.yaml:3:15: admin.port: `x` is not a whole number"), r[2]);
  }

  @Test
  void aSpecThatDoesNotCompileExitsTwoWithCheckDiagnostics() throws Exception {
    Files.writeString(dir.resolve("orders.sw"), OrdersLog.SPEC.replace("status == Paid", "status == Payd"));
    String[] r = run("specs: [orders.sw]\nsources: {files: [{path: events.jsonl}]}\nadmin: {port: 0}\n");
    assertEquals("2", r[0]);
    assertTrue(r[2].contains("orders.sw:"), r[2]);
    assertTrue(r[2].contains("unknown name `Payd`"), r[2]);
    assertTrue(r[2].endsWith("1 error\n"), r[2]);
  }

  @Test
  void aMissingSourceFileExitsOneAndSaysWhichFile() throws Exception {
    String[] r = run("specs: [orders.sw]\nsources: {files: [{path: missing.jsonl}]}\nadmin: {port: 0}\n"
        + "state: {directory: state}\nreload: {watch: false}\n");
    assertEquals("1", r[0]);
    assertTrue(r[2].contains("cannot read the file source " + dir.resolve("missing.jsonl")
        + " (sources.files): no such file"), r[2]);
  }
}
