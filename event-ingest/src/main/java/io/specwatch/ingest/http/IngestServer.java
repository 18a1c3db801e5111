package io.specwatch.ingest.http;

import com.sun.net.httpserver.HttpServer;
import io.grpc.Server;
import io.grpc.ServerInterceptors;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.specwatch.core.DocumentPublisher;
import io.specwatch.ingest.otlp.BatchPublisher;
import io.specwatch.ingest.otlp.GrpcCallStats;
import io.specwatch.ingest.otlp.GrpcGate;
import io.specwatch.ingest.otlp.GrpcExportService;
import io.specwatch.ingest.otlp.IngestStats;
import io.specwatch.ingest.otlp.OtlpIngest;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

/**
 * The sidecar receivers, started and stopped as one: OTLP/HTTP ({@code /v1/logs},
 * {@code /v1/traces}) and the plain {@code /v1/events} endpoint on one HTTP port (the JDK's
 * HTTP server: no extra dependency), and the OTLP/gRPC logs and trace services on another
 * (grpc-netty-shaded). Everything they receive becomes documents published into one
 * {@link DocumentPublisher}, normally the daemon's pipeline.
 *
 * <pre>
 *   try (IngestServer server = IngestServer.start(config, pipeline)) {
 *     ... server.httpPort(), server.stats() ...
 *   } // stop(): refuse new requests (503 / UNAVAILABLE), finish those in flight, return
 * </pre>
 */
public final class IngestServer implements AutoCloseable {
  /** How long {@link #close} lets requests in flight finish. */
  public static final Duration DEFAULT_GRACE = Duration.ofSeconds(10);

  private final IngestStats stats = new IngestStats();
  private final AtomicBoolean stopping = new AtomicBoolean();
  private final AtomicInteger httpInFlight = new AtomicInteger();
  private final GrpcCallStats grpcCalls = new GrpcCallStats(stats);
  private HttpServer http;
  private ExecutorService httpThreads;
  private Server grpc;
  private ExecutorService grpcThreads;
  private boolean stopped;

  private IngestServer() {}

  /** Binds and starts the receivers the config switches on; throws if a port cannot be bound. */
  public static IngestServer start(IngestServerConfig config, DocumentPublisher publisher)
      throws IOException {
    IngestServer server = new IngestServer();
    try {
      server.startReceivers(config, publisher);
    } catch (IOException | RuntimeException e) {
      server.stop(Duration.ZERO);
      throw e;
    }
    return server;
  }

  private void startReceivers(IngestServerConfig config, DocumentPublisher publisher)
      throws IOException {
    BatchPublisher batches = new BatchPublisher(publisher, config.commitTimeout());
    OtlpIngest ingest = new OtlpIngest(batches, stats, config.maxDocumentBytes(), new AtomicLong());
    if (config.httpPort() >= 0) {
      http = HttpServer.create(new InetSocketAddress(config.host(), config.httpPort()), 64);
      http.createContext("/v1/logs", new OtlpHttpHandler(OtlpHttpHandler.Signal.LOGS, config,
          stats, ingest, stopping, httpInFlight));
      http.createContext("/v1/traces", new OtlpHttpHandler(OtlpHttpHandler.Signal.TRACES, config,
          stats, ingest, stopping, httpInFlight));
      http.createContext("/v1/events", new EventsHandler(config, stats, ingest, stopping,
          httpInFlight));
      http.createContext("/", new NotFoundHandler(config, stats, stopping, httpInFlight));
      httpThreads = Executors.newFixedThreadPool(config.threads(), daemonThreads("specwatch-http"));
      http.setExecutor(httpThreads);
      http.start();
    }
    if (config.grpcPort() >= 0) {
      grpcThreads = Executors.newFixedThreadPool(config.threads(), daemonThreads("specwatch-grpc"));
      GrpcGate gate = new GrpcGate(config.bearerToken(), stopping);
      grpc = NettyServerBuilder
          .forAddress(new InetSocketAddress(config.host(), config.grpcPort()))
          .executor(grpcThreads)
          .maxInboundMessageSize(config.maxDecompressedBytes())
          .addStreamTracerFactory(grpcCalls)
          .addService(ServerInterceptors.intercept(
              GrpcExportService.logs(ingest, config.retryAfter()), gate))
          .addService(ServerInterceptors.intercept(
              GrpcExportService.traces(ingest, config.retryAfter()), gate))
          .build().start();
    }
  }

  private static ThreadFactory daemonThreads(String name) {
    AtomicInteger n = new AtomicInteger();
    return r -> {
      Thread t = new Thread(r, name + "-" + n.incrementAndGet());
      t.setDaemon(true);
      return t;
    };
  }

  /** The bound HTTP port (the real one when the config said 0), or -1 when switched off. */
  public int httpPort() {
    return http == null ? -1 : http.getAddress().getPort();
  }

  /** The bound gRPC port, or -1 when switched off. */
  public int grpcPort() {
    return grpc == null ? -1 : grpc.getPort();
  }

  public IngestStats stats() {
    return stats;
  }

  /**
   * Stops cleanly: new requests are refused (HTTP 503 with Retry-After, gRPC UNAVAILABLE, both
   * counted as {@code stopping}) so clients retry elsewhere or later; requests in flight finish,
   * within {@code grace}; then the sockets close and this returns. Everything a client was told
   * 200 about has been published.
   */
  public synchronized void stop(Duration grace) {
    if (stopped) {
      return;
    }
    stopped = true;
    stopping.set(true);
    long deadline = System.nanoTime() + grace.toNanos();
    // Both receivers answer "stopping" themselves while their calls in flight finish (the JDK 17
    // server's stop(delay) waits the whole delay even when idle, and a gRPC server that is shut
    // down refuses new calls below where they could be counted), then close at once.
    while ((httpInFlight.get() > 0 || grpcCalls.inFlight() > 0)
        && System.nanoTime() - deadline < 0) {
      LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(5));
    }
    if (grpc != null) {
      grpc.shutdown();
    }
    if (http != null) {
      http.stop(0);
      httpThreads.shutdown();
    }
    try {
      if (grpc != null && !grpc.awaitTermination(remaining(deadline), TimeUnit.NANOSECONDS)) {
        grpc.shutdownNow();
      }
      if (grpcThreads != null) {
        grpcThreads.shutdown();
        grpcThreads.awaitTermination(remaining(deadline), TimeUnit.NANOSECONDS);
      }
      if (httpThreads != null) {
        httpThreads.awaitTermination(remaining(deadline), TimeUnit.NANOSECONDS);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      if (grpc != null) {
        grpc.shutdownNow();
      }
    }
  }

  private static long remaining(long deadline) {
    return Math.max(0, deadline - System.nanoTime());
  }

  @Override
  public void close() {
    stop(DEFAULT_GRACE);
  }
}
