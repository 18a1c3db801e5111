package io.specwatch.cli.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.specwatch.cli.config.ConfigReader;
import io.specwatch.cli.config.DaemonConfig;
import io.specwatch.testkit.FreePorts;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PipedInputStream;
import java.io.PipedOutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two lifecycle promises of issue 7, on a daemon in this JVM: ready only once every source has
 * caught up, and a stop that cannot drain gives up within {@code shutdown_timeout} with exit 1.
 */
class DaemonLifecycleTest {
  @TempDir
  Path dir;

  private final int adminPort = FreePorts.next();
  private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

  private DaemonConfig config(String sources, String more) throws Exception {
    Files.writeString(dir.resolve("orders.sw"), OrdersLog.SPEC);
    Files.writeString(dir.resolve("events.jsonl"), String.join("", OrdersLog.lines(100)));
    Path file = dir.resolve("specwatch.yaml");
    Files.writeString(file, "specs: [orders.sw]\nsources:\n" + sources
        + "admin: {port: " + adminPort + "}\nstate: {directory: state}\nreload: {watch: false}\n" + more);
    return new ConfigReader(Map.of()).read(file, Files.readString(file));
  }

  @Test
  void notReadyWhileASourceIsStillBehindThenReadyOnceItCaughtUp() throws Exception {
    DaemonConfig c = config("  files: [{path: events.jsonl, follow: false}]\n  stdin: true\n", "");
    PipedOutputStream feed = new PipedOutputStream();
    PipedInputStream stdin = new PipedInputStream(feed, 1 << 16);
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    Daemon daemon = new Daemon(c, stdin, new PrintStream(out, true, StandardCharsets.UTF_8),
        new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8));
    int[] status = {-1};
    Thread t = new Thread(() -> status[0] = daemon.run(), "daemon-under-test");
    t.start();
    try {
      // The file is read and judged; standard input is open and has not ended: not caught up.
      await(() -> out.size() > 0 && status("/readyz") == 503, t, "the file judged, /readyz 503");
      assertFalse(daemon.ready());
      feed.write(OrdersLog.lines(3).get(0).replace("\"event_id\":\"e", "\"event_id\":\"s").getBytes(StandardCharsets.UTF_8));
      feed.flush();
      assertEquals(503, status("/readyz"), "a stream not at its end is not caught up");
      feed.close(); // end of standard input: caught up
      await(() -> status("/readyz") == 200, t, "/readyz 200 after the end of standard input");
      assertTrue(daemon.ready());
    } finally {
      daemon.requestStop();
      t.join(TimeUnit.SECONDS.toMillis(30));
    }
    assertEquals(0, status[0]);
  }

  @Test
  void kafkaSinkSettingsItsProducerRefusesEndTheRunWithExitOneAndTheReason() throws Exception {
    // Valid by every check of the file; the producer refuses it when built: no trust store.
    DaemonConfig c = config("  files: [{path: events.jsonl, follow: false}]\n",
        "sinks: {kafka: {bootstrap_servers: \"127.0.0.1:" + FreePorts.next() + "\", topic: v, "
            + "properties: {security.protocol: SSL, ssl.truststore.location: " + dir.resolve("gone.p12")
            + ", ssl.truststore.password: hunter22}}}\n");
    ByteArrayOutputStream log = new ByteArrayOutputStream();
    Daemon daemon = new Daemon(c, new java.io.ByteArrayInputStream(new byte[0]),
        new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8),
        new PrintStream(log, true, StandardCharsets.UTF_8));
    assertEquals(Daemon.FAILURE, daemon.run(), () -> log.toString(StandardCharsets.UTF_8));
    String text = log.toString(StandardCharsets.UTF_8);
    assertTrue(text.contains("cannot open the Kafka sink") && text.contains("gone.p12"), text);
    assertFalse(text.contains("hunter22"), text);
  }

  @Test
  void aStopThatCannotDrainGivesUpWithinShutdownTimeoutWithExitOne() throws Exception {
    DaemonConfig c = config("  files: [{path: events.jsonl, follow: false}]\n", "shutdown_timeout: 1s\n");
    CountDownLatch release = new CountDownLatch(1);
    CountDownLatch blocked = new CountDownLatch(1);
    // Standard output that hangs (a stuck pipe): the monitor thread blocks on its first flush.
    OutputStream stuck = new OutputStream() {
      @Override
      public void write(int b) throws IOException {
        write(new byte[] {(byte) b}, 0, 1);
      }

      @Override
      public void write(byte[] b, int off, int len) throws IOException {
        blocked.countDown();
        try {
          release.await();
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw new IOException("interrupted");
        }
      }
    };
    ByteArrayOutputStream log = new ByteArrayOutputStream();
    Daemon daemon = new Daemon(c, java.io.InputStream.nullInputStream(), new PrintStream(stuck, false, StandardCharsets.UTF_8),
        new PrintStream(log, true, StandardCharsets.UTF_8));
    int[] status = {-1};
    Thread t = new Thread(() -> status[0] = daemon.run(), "daemon-under-test");
    t.start();
    try {
      assertTrue(blocked.await(30, TimeUnit.SECONDS), "the monitor thread writes its violations");
      long stopAsked = System.nanoTime();
      daemon.requestStop();
      t.join(TimeUnit.SECONDS.toMillis(20));
      assertFalse(t.isAlive(), "run() returned although the queue cannot drain");
      assertEquals(1, status[0], log::toString);
      assertTrue(log.toString(StandardCharsets.UTF_8).contains("did not drain within PT1S (shutdown_timeout)"),
          log::toString);
      assertTrue(System.nanoTime() - stopAsked < TimeUnit.SECONDS.toNanos(10),
          "given up near the 1 s bound, not after the blocked write");
    } finally {
      release.countDown();
    }
  }

  private int status(String path) {
    try {
      return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + adminPort + path))
          .timeout(Duration.ofSeconds(2)).build(), HttpResponse.BodyHandlers.discarding()).statusCode();
    } catch (IOException e) {
      return -1;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return -1;
    }
  }

  private static void await(BooleanSupplier condition, Thread daemon, String what) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    while (!condition.getAsBoolean()) {
      if (!daemon.isAlive()) {
        throw new AssertionError("the daemon ended before " + what);
      }
      if (System.nanoTime() > deadline) {
        throw new AssertionError("timed out waiting for " + what);
      }
      daemon.join(20); // polls the condition; returns early if the daemon ends
    }
  }
}
