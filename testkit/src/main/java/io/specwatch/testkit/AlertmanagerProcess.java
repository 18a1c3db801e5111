package io.specwatch.testkit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The real Debian {@code prometheus-alertmanager}, started on a free loopback port with gossip off,
 * for integration tests. Can be stopped and started again on the same port.
 */
public final class AlertmanagerProcess implements AutoCloseable {
  public static final String BINARY = "/usr/bin/prometheus-alertmanager";
  private static final ObjectMapper JSON = new ObjectMapper();

  private final Path dir;
  private final int port;
  private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
  private Process process;

  public AlertmanagerProcess(Path dir) throws IOException {
    this.dir = dir;
    this.port = FreePorts.next();
    Files.writeString(dir.resolve("am.yml"), """
        global:
          resolve_timeout: 5m
        route:
          receiver: blackhole
          group_wait: 1s
        receivers:
          - name: blackhole
        """);
  }

  public static boolean installed() {
    return Files.isExecutable(Path.of(BINARY));
  }

  public URI url() {
    return URI.create("http://127.0.0.1:" + port);
  }

  public void start() throws IOException {
    process = new ProcessBuilder(BINARY, "--config.file=" + dir.resolve("am.yml"),
        "--storage.path=" + dir.resolve("data"), "--web.listen-address=127.0.0.1:" + port,
        "--cluster.listen-address=")
        .redirectErrorStream(true)
        .redirectOutput(ProcessBuilder.Redirect.appendTo(dir.resolve("am.log").toFile()))
        .start();
    Await.until(Duration.ofSeconds(30), this::ready, this::logTail);
  }

  private boolean ready() {
    if (!process.isAlive()) {
      throw new AssertionError("alertmanager exited: " + logTail());
    }
    try {
      return http.send(HttpRequest.newBuilder(url().resolve("/-/ready")).timeout(Duration.ofSeconds(2)).build(),
          HttpResponse.BodyHandlers.discarding()).statusCode() == 200;
    } catch (IOException e) {
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  public void stop() throws InterruptedException {
    if (process != null && process.isAlive()) {
      process.destroy();
      if (!process.waitFor(10, TimeUnit.SECONDS)) {
        process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
      }
    }
  }

  /** Active alerts whose labels match the matchers, e.g. {@code test="restart"}. */
  public List<JsonNode> alerts(String... matchers) {
    StringBuilder q = new StringBuilder("/api/v2/alerts?active=true");
    for (String m : matchers) {
      q.append("&filter=").append(URLEncoder.encode(m, StandardCharsets.UTF_8));
    }
    try {
      HttpResponse<String> r = http.send(HttpRequest.newBuilder(url().resolve(q.toString()))
          .timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofString());
      if (r.statusCode() != 200) {
        throw new AssertionError("GET " + q + " answered " + r.statusCode() + ": " + r.body());
      }
      List<JsonNode> out = new ArrayList<>();
      JSON.readTree(r.body()).forEach(out::add);
      return out;
    } catch (IOException e) {
      throw new AssertionError("GET " + q + " failed", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }

  public String logTail() {
    try {
      String log = Files.readString(dir.resolve("am.log"));
      return log.length() > 3000 ? log.substring(log.length() - 3000) : log;
    } catch (IOException e) {
      return "(no log: " + e + ")";
    }
  }

  @Override
  public void close() throws InterruptedException {
    stop();
  }
}
