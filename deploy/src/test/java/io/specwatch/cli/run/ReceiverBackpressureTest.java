package io.specwatch.cli.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.specwatch.cli.config.ReceiverSettings;
import io.specwatch.core.LinePosition;
import io.specwatch.core.Violation;
import io.specwatch.core.engine.Monitor;
import io.specwatch.ingest.http.IngestServer;
import io.specwatch.testkit.FreePorts;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The daemon's document queue behind event-ingest's real receiver, over real HTTP on loopback:
 * a request that does not fit in the queue whole is answered 429 with nothing of it taken, and
 * the same request retried once there is room is judged exactly once. The receiver is built from
 * the YAML receiver settings the way the daemon builds it (token included).
 */
class ReceiverBackpressureTest {
  private static final String TOKEN = "t0ken";
  private static final HttpClient HTTP = HttpClient.newHttpClient();

  @TempDir
  Path dir;

  @Test
  void aRequestThatDoesNotFitTheQueueIs429AndNothingOfItIsTaken() throws Exception {
    Path spec = dir.resolve("orders.sw");
    Files.writeString(spec, OrdersLog.SPEC);
    SpecLoader.Loaded loaded = new SpecLoader(List.of(spec)).load();
    assertTrue(loaded.ok(), loaded::diagnostics);
    List<Violation> violations = new CopyOnWriteArrayList<>();
    // Not started yet: the queue (4 slots) only fills, so its room is exactly what we leave.
    MonitorLoop loop = new MonitorLoop(new Monitor(loaded.programs()), Map.of(), 4, 500,
        violations::add, () -> { });
    List<String> log = OrdersLog.lines(1); // placed, paid (overpaid), its retried copy, cancelled
    for (int i = 0; i < 2; i++) {
      byte[] b = ("{\"event_id\":\"x" + i + "\",\"type\":\"noise\",\"at\":1}").getBytes(StandardCharsets.UTF_8);
      assertTrue(loop.tryPublish(b, 0, b.length, new LinePosition(i + 1)));
    }
    assertEquals(2, loop.freeSlots());
    ReceiverSettings settings = new ReceiverSettings(TOKEN, 1 << 20, 4 << 20, 2, Duration.ofSeconds(2), Duration.ofSeconds(1));
    try (IngestServer server = IngestServer.start(
        NetworkSources.receiver("127.0.0.1", FreePorts.next(), -1, 1 << 20, settings), loop)) {
      String url = "http://127.0.0.1:" + server.httpPort() + "/v1/events";
      String fourLines = String.join("", log);

      assertEquals(401, post(url, fourLines, null).statusCode(), "the configured token is required");
      HttpResponse<String> full = post(url, fourLines, TOKEN);
      assertEquals(429, full.statusCode(), full.body());
      assertEquals("2", full.headers().firstValue("Retry-After").orElse(""), "retry_after as configured");
      assertEquals(2, loop.backlog(), "nothing of the refused request was taken");

      loop.start();
      until(Duration.ofSeconds(10), loop::idle, () -> "backlog " + loop.backlog());
      HttpResponse<String> retried = post(url, fourLines, TOKEN);
      assertEquals(200, retried.statusCode(), retried.body());
      until(Duration.ofSeconds(10), () -> loop.documents() == 6 && loop.idle(),
          () -> "documents " + loop.documents());
      assertEquals(List.of("no_overpayment"), violations.stream().map(Violation::rule).toList(),
          "the retried request judged once: one overpayment, its copy dropped as a duplicate");
    } finally {
      loop.drainAndStop(5_000);
    }
  }

  /** Polls {@code condition} until it holds or the deadline passes (then fails with {@code what}). */
  private static void until(Duration timeout, java.util.function.BooleanSupplier condition,
      java.util.function.Supplier<String> what) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (!condition.getAsBoolean()) {
      assertTrue(System.nanoTime() < deadline, () -> "timed out: " + what.get());
      java.util.concurrent.locks.LockSupport.parkNanos(2_000_000); // a polling pause, not a wait for an event
    }
  }

  private static HttpResponse<String> post(String url, String body, String token) throws Exception {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url))
        .header("Content-Type", "application/x-ndjson")
        .POST(HttpRequest.BodyPublishers.ofString(body));
    if (token != null) {
      b.header("Authorization", "Bearer " + token);
    }
    return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
  }
}
