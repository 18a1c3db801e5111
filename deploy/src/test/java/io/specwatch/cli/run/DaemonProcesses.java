package io.specwatch.cli.run;

import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.specwatch.cli.Main;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/**
 * What the daemon's process tests share: {@code specwatch run} started in its own JVM as an
 * operator starts it (so SIGTERM and SIGKILL are real), its admin endpoint asked over real HTTP,
 * and the comparison of its violations with {@code check}'s. One place, so a change to how the
 * daemon is launched or judged is made once.
 */
final class DaemonProcesses {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final HttpClient HTTP = HttpClient.newBuilder()
      .connectTimeout(Duration.ofSeconds(2)).build();
  /** The members of a violation that do not depend on where its document came from. */
  private static final List<String> POSITION_FREE_FIELDS =
      List.of("spec", "kind", "rule", "entity", "key", "time", "message", "state");

  private DaemonProcesses() {}

  /**
   * Starts {@code specwatch run --config CONFIG} in {@code dir} with a small heap and a fast
   * start (C1 only: these runs are short); its output goes to {@code dir/NAME.log}.
   */
  static Process start(Path dir, Path config, String name, String maxHeap, Map<String, String> env)
      throws IOException {
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    ProcessBuilder pb = new ProcessBuilder(java, "-Xmx" + maxHeap, "-XX:+UseSerialGC",
        "-XX:TieredStopAtLevel=1", "-cp", System.getProperty("java.class.path"),
        Main.class.getName(), "run", "--config", config.toString())
        .directory(dir.toFile())
        .redirectErrorStream(true).redirectOutput(log(dir, name).toFile());
    pb.environment().putAll(env);
    return pb.start();
  }

  /** What the daemon started as {@code name} wrote so far (for failure messages). */
  static String output(Path dir, String name) {
    try {
      return Files.readString(log(dir, name));
    } catch (IOException e) {
      return "(no output: " + e + ")";
    }
  }

  private static Path log(Path dir, String name) {
    return dir.resolve(name + ".log");
  }

  /** SIGTERM, then the exit status: the daemon must drain and exit by itself within {@code bound}. */
  static int stop(Process p, Duration bound) throws InterruptedException {
    p.destroy();
    assertTrue(p.waitFor(bound.toMillis(), TimeUnit.MILLISECONDS), "the daemon exits after SIGTERM");
    return p.exitValue();
  }

  /**
   * Polls {@code condition} until it holds; fails at once, with the daemon's output, if the daemon
   * exits first, and after {@code timeout} otherwise. Waiting on the process between polls makes
   * an exit end the wait early.
   */
  static void await(BooleanSupplier condition, Process p, Duration timeout, String what,
      Supplier<String> output) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (!condition.getAsBoolean()) {
      if (!p.isAlive()) {
        throw new AssertionError("the daemon exited (" + p.exitValue() + ") before " + what + "\n"
            + output.get());
      }
      if (System.nanoTime() > deadline) {
        throw new AssertionError("timed out waiting for " + what + "\n" + output.get());
      }
      p.waitFor(20, TimeUnit.MILLISECONDS);
    }
  }

  /** The status of {@code GET path} on the admin port, or -1 when it does not answer. */
  static int status(int adminPort, String path) {
    try {
      return HTTP.send(request(adminPort, path), HttpResponse.BodyHandlers.discarding()).statusCode();
    } catch (IOException e) {
      return -1;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return -1;
    }
  }

  /** The body of {@code GET path} on the admin port, or "" when it does not answer. */
  static String body(int adminPort, String path) {
    try {
      return HTTP.send(request(adminPort, path), HttpResponse.BodyHandlers.ofString()).body();
    } catch (IOException e) {
      return "";
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return "";
    }
  }

  static boolean ready(int adminPort) {
    return status(adminPort, "/readyz") == 200;
  }

  private static HttpRequest request(int adminPort, String path) {
    return HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + adminPort + path))
        .timeout(Duration.ofSeconds(2)).build();
  }

  /** The non-blank lines of a file, 0 while it does not exist. */
  static long countLines(Path f) {
    try {
      return Files.exists(f) ? Files.readAllLines(f).stream().filter(l -> !l.isBlank()).count() : 0;
    } catch (IOException e) {
      return 0;
    }
  }

  /**
   * Violations as JSON without their position members (lines, offsets, OTLP request ids), sorted:
   * what must be equal between the daemon, fed by several sources, and {@code check} over each
   * source's documents.
   */
  static List<String> withoutPositions(List<String> lines) throws IOException {
    List<String> out = new ArrayList<>();
    for (String line : lines) {
      if (line.isBlank()) {
        continue;
      }
      JsonNode n = JSON.readTree(line);
      ObjectNode kept = JSON.createObjectNode();
      for (String field : POSITION_FREE_FIELDS) {
        kept.set(field, n.path(field));
      }
      out.add(kept.toString());
    }
    Collections.sort(out);
    return out;
  }
}
