package io.specwatch.alert.metrics;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.specwatch.testkit.Await;
import io.specwatch.testkit.FreePorts;
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
import java.util.concurrent.TimeUnit;

/** The real Debian Prometheus on a free loopback port, scraping one target every second. */
final class PrometheusProcess implements AutoCloseable {
  static final String BINARY = "/usr/bin/prometheus";
  private static final ObjectMapper JSON = new ObjectMapper();

  private final Path dir;
  private final int port = FreePorts.next();
  private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
  private final Process process;

  PrometheusProcess(Path dir, String target, Path rules) throws IOException {
    this.dir = dir;
    Files.writeString(dir.resolve("prometheus.yml"), """
        global:
          scrape_interval: 1s
          evaluation_interval: 1s
        rule_files:
          - %s
        scrape_configs:
          - job_name: specwatch
            static_configs:
              - targets: ['%s']
        """.formatted(rules, target));
    process = new ProcessBuilder(BINARY, "--config.file=" + dir.resolve("prometheus.yml"),
        "--storage.tsdb.path=" + dir.resolve("data"), "--web.listen-address=127.0.0.1:" + port)
        .redirectErrorStream(true)
        .redirectOutput(dir.resolve("prometheus.log").toFile())
        .start();
    Await.until(Duration.ofSeconds(30), this::ready, this::logTail);
  }

  private boolean ready() {
    if (!process.isAlive()) {
      throw new AssertionError("prometheus exited: " + logTail());
    }
    try {
      return http.send(HttpRequest.newBuilder(URI.create(url() + "/-/ready")).build(),
          HttpResponse.BodyHandlers.discarding()).statusCode() == 200;
    } catch (IOException e) {
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  String url() {
    return "http://127.0.0.1:" + port;
  }

  /** GET an API path; the parsed {@code data} member. */
  JsonNode api(String pathAndQuery) {
    try {
      HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(url() + pathAndQuery))
          .timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofString());
      if (r.statusCode() != 200) {
        throw new AssertionError(pathAndQuery + " answered " + r.statusCode() + ": " + r.body());
      }
      return JSON.readTree(r.body()).get("data");
    } catch (IOException e) {
      throw new AssertionError(pathAndQuery + " failed", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }

  JsonNode query(String promql) {
    return api("/api/v1/query?query=" + URLEncoder.encode(promql, StandardCharsets.UTF_8)).get("result");
  }

  String logTail() {
    try {
      String log = Files.readString(dir.resolve("prometheus.log"));
      return log.length() > 3000 ? log.substring(log.length() - 3000) : log;
    } catch (IOException e) {
      return "(no log: " + e + ")";
    }
  }

  @Override
  public void close() throws InterruptedException {
    process.destroy();
    if (!process.waitFor(10, TimeUnit.SECONDS)) {
      process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
    }
  }
}
