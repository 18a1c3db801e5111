package io.specwatch.cli.run;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.specwatch.cli.config.ConfigReader;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code specwatch run} in the test JVM, on its own thread, with its output captured and its
 * admin endpoint asked over real HTTP: for the Kafka daemon tests, which start several daemons
 * against one broker.
 */
final class InJvmDaemon implements AutoCloseable {
  static final Duration WAIT = Duration.ofSeconds(60);
  private static final Pattern TRANSACTIONAL_ID = Pattern.compile("transactional id (\\S+)");
  private static final HttpClient HTTP = HttpClient.newHttpClient();

  private final Daemon daemon;
  private final Thread thread;
  private final AtomicInteger exit = new AtomicInteger(-1);
  private final ByteArrayOutputStream log;
  private final int adminPort;

  private InJvmDaemon(Daemon daemon, int adminPort, ByteArrayOutputStream log) {
    this.daemon = daemon;
    this.adminPort = adminPort;
    this.log = log;
    this.thread = new Thread(() -> exit.set(daemon.run()), "daemon-under-test");
  }

  /** Reads {@code config} with {@code env} for {@code ${VAR}} and starts the daemon. */
  static InJvmDaemon start(Path config, Map<String, String> env, int adminPort) throws Exception {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8);
    Daemon d = new Daemon(new ConfigReader(env).read(config), new ByteArrayInputStream(new byte[0]),
        out, out);
    InJvmDaemon r = new InJvmDaemon(d, adminPort, bytes);
    r.thread.start();
    return r;
  }

  String log() {
    return log.toString(StandardCharsets.UTF_8);
  }

  void awaitReady() {
    await(() -> status("/readyz") == 200, "ready");
  }

  /** The transactional id the daemon's start-up line names. */
  String transactionalId() {
    Matcher m = TRANSACTIONAL_ID.matcher(log());
    assertTrue(m.find(), this::log);
    return m.group(1);
  }

  /** Asks the daemon to recompile its specs (as SIGHUP does). */
  void requestReload() {
    daemon.requestReload();
  }

  /** Asks the daemon to stop; its exit status once it has (within {@link #WAIT}). */
  int stop() throws InterruptedException {
    daemon.requestStop();
    thread.join(WAIT.toMillis());
    assertFalse(thread.isAlive(), "the daemon stops within " + WAIT);
    return exit.get();
  }

  /**
   * Stops the daemon if the test has not (a failed assertion): a daemon left running would
   * keep its clients retrying against the next test class's broker.
   */
  @Override
  public void close() throws InterruptedException {
    if (thread.isAlive()) {
      stop();
    }
  }

  /** The value of an unlabelled series on /metrics, or NaN. */
  double metric(String series) {
    for (String line : metrics().split("\n")) {
      if (line.startsWith(series + " ")) {
        return Double.parseDouble(line.substring(series.length() + 1).trim());
      }
    }
    return Double.NaN;
  }

  String metrics() {
    try {
      return HTTP.send(request("/metrics"), HttpResponse.BodyHandlers.ofString()).body();
    } catch (Exception e) {
      return "";
    }
  }

  /** The status of {@code GET path}, or -1 while the endpoint does not answer. */
  int status(String path) {
    try {
      return HTTP.send(request(path), HttpResponse.BodyHandlers.discarding()).statusCode();
    } catch (Exception e) {
      return -1;
    }
  }

  private HttpRequest request(String path) {
    return HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + adminPort + path))
        .timeout(Duration.ofSeconds(5)).build();
  }

  /** What the failure message of a wait shows: readiness and the daemon's own figures. */
  private String figures() {
    StringBuilder sb = new StringBuilder("readyz " + status("/readyz") + "\n");
    for (String line : metrics().split("\n")) {
      if (line.startsWith("specwatch_kafka") || line.startsWith("specwatch_ready")) {
        sb.append(line).append('\n');
      }
    }
    return sb.toString();
  }

  /** Polls {@code condition} until it holds; fails with the daemon's log after {@link #WAIT}. */
  void await(BooleanSupplier condition, String what) {
    long deadline = System.nanoTime() + WAIT.toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError(what + " within " + WAIT + "; " + figures() + "log:\n" + log());
      }
      try {
        Thread.sleep(100); // poll interval between condition checks, not a synchronisation
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new AssertionError("interrupted", e);
      }
    }
  }
}
