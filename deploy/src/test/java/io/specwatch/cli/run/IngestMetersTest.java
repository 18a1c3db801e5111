package io.specwatch.cli.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.opentelemetry.proto.collector.logs.v1.ExportLogsServiceRequest;
import io.opentelemetry.proto.collector.logs.v1.LogsServiceGrpc;
import io.specwatch.core.DocumentPublisher;
import io.specwatch.core.Position;
import io.specwatch.ingest.http.IngestServer;
import io.specwatch.ingest.http.IngestServerConfig;
import io.specwatch.testkit.FreePorts;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;

/**
 * The receivers' counters reach {@code /metrics} under their Prometheus names, summed over the
 * daemon's two receivers, with every series registered at 0 before the first refusal.
 */
class IngestMetersTest {
  /** Counts what it is given; always has room. */
  static final class Counting implements DocumentPublisher {
    final AtomicInteger documents = new AtomicInteger();

    @Override
    public void publish(byte[] buf, int off, int len, Position pos) {
      documents.incrementAndGet();
    }

    @Override
    public boolean tryPublish(byte[] buf, int off, int len, Position pos) {
      documents.incrementAndGet();
      return true;
    }

    @Override
    public void publishRejected(Position pos, String reason) {
      documents.incrementAndGet();
    }
  }

  static int post(int port, String path, String body, String token) throws Exception {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
        .header("Content-Type", "application/x-ndjson")
        .POST(HttpRequest.BodyPublishers.ofString(body));
    if (token != null) {
      b.header("Authorization", "Bearer " + token);
    }
    return HttpClient.newHttpClient().send(b.build(), HttpResponse.BodyHandlers.discarding())
        .statusCode();
  }

  static void await(BooleanSupplier condition, java.util.function.Supplier<String> what) {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    while (!condition.getAsBoolean()) {
      assertTrue(System.nanoTime() < deadline, what);
      LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(10));
    }
  }

  @Test
  void refusalsDocumentsAndRequestsAreScrapedByProtocolEndpointAndReason() throws Exception {
    PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    IngestServerConfig base = IngestServerConfig.defaults().withBearerToken("t0ken");
    try (IngestServer otlp = IngestServer.start(base.withPorts(FreePorts.next(), FreePorts.next()),
            new Counting());
        IngestServer events = IngestServer.start(base.withPorts(FreePorts.next(), -1),
            new Counting())) {
      IngestMeters.bind(registry, List.of(otlp, events));
      String before = registry.scrape();
      assertTrue(before.contains("specwatch_ingest_requests_refused_total{endpoint=\"/v1/events\","
          + "protocol=\"http\",reason=\"unauthorized\"} 0.0"), before);
      assertFalse(before.contains("reason=\"not_found\"} 0.0\nspecwatch_ingest_requests_refused_total"
          + "{endpoint=\"/v1/logs\""), "no series for a refusal an endpoint cannot make");

      // One refusal on each receiver's /v1/events: summed into one series.
      assertEquals(401, post(otlp.httpPort(), "/v1/events", "{}\n", null));
      assertEquals(401, post(events.httpPort(), "/v1/events", "{}\n", "wrong"));
      assertEquals(200, post(events.httpPort(), "/v1/events",
          "{\"a\":1}\n[1]\n{\"b\":2}\n", "t0ken"));
      assertEquals(404, post(events.httpPort(), "/nope", "", "t0ken"));
      ManagedChannel channel = NettyChannelBuilder.forAddress("127.0.0.1", otlp.grpcPort())
          .usePlaintext().build();
      try {
        StatusRuntimeException e = org.junit.jupiter.api.Assertions.assertThrows(
            StatusRuntimeException.class, () -> LogsServiceGrpc.newBlockingStub(channel)
                .withDeadlineAfter(30, TimeUnit.SECONDS)
                .export(ExportLogsServiceRequest.getDefaultInstance()));
        assertEquals(Status.Code.UNAUTHENTICATED, e.getStatus().getCode());
      } finally {
        channel.shutdownNow().awaitTermination(10, TimeUnit.SECONDS);
      }
      String grpcRefused = "specwatch_ingest_requests_refused_total{endpoint=\"LogsService/Export\","
          + "protocol=\"grpc\",reason=\"unauthorized\"} 1.0";
      await(() -> registry.scrape().contains(grpcRefused), () -> "gRPC refusal not scraped: "
          + registry.scrape().lines().filter(l -> l.contains("grpc")).toList());

      String after = registry.scrape();
      for (String line : List.of(
          "specwatch_ingest_requests_refused_total{endpoint=\"/v1/events\",protocol=\"http\",reason=\"unauthorized\"} 2.0",
          "specwatch_ingest_requests_refused_total{endpoint=\"other\",protocol=\"http\",reason=\"not_found\"} 1.0",
          "specwatch_ingest_requests_total{endpoint=\"/v1/events\",protocol=\"http\"} 3.0",
          "specwatch_ingest_documents_total{endpoint=\"/v1/events\",protocol=\"http\"} 3.0",
          "specwatch_ingest_records_rejected_total{endpoint=\"/v1/events\",protocol=\"http\",reason=\"malformed\"} 1.0",
          "specwatch_ingest_requests_total{endpoint=\"LogsService/Export\",protocol=\"grpc\"} 1.0")) {
        assertTrue(after.contains(line), () -> line + " not in\n" + after);
      }
    }
  }

  @Test
  void theDaemonsNetworkSourcesBindTheReceiversMeters() throws Exception {
    PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    int http = FreePorts.next();
    io.specwatch.cli.config.DaemonConfig config = new io.specwatch.cli.config.ConfigReader()
        .read(java.nio.file.Path.of("/etc/specwatch/specwatch.yaml"),
            "specs: [orders.sw]\nsources:\n  otlp: {http_port: " + http + ", grpc_port: 0}\n");
    NetworkSources sources = new NetworkSources();
    sources.bindKafkaMetersTo(registry); // what the daemon does with its /metrics registry
    sources.start(config, List.of(), new Counting(), v -> { }, new java.io.PrintStream(
        java.io.OutputStream.nullOutputStream()));
    try {
      assertEquals(200, post(http, "/v1/events", "{}\n", null), "no token configured");
    } finally {
      sources.stop(Duration.ofSeconds(5));
    }
    String scrape = registry.scrape();
    assertTrue(scrape.contains("specwatch_ingest_requests_total{endpoint=\"/v1/events\",protocol=\"http\"} 1.0"),
        scrape);
    assertFalse(scrape.contains("protocol=\"grpc\""), "gRPC is off (grpc_port: 0): no gRPC series");
  }
}
