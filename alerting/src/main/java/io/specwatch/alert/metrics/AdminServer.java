package io.specwatch.alert.metrics;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.BooleanSupplier;

/**
 * The admin port: {@code /metrics} (Prometheus text format),
 * {@code /healthz} (200 while the process serves) and {@code /readyz} (200 when the monitor is
 * ready to take traffic, 503 otherwise: e.g. while restoring a checkpoint). Built on the JDK's
 * HTTP server: a scrape every few seconds needs nothing more.
 *
 * <p>It binds loopback unless told otherwise: the metrics name specs and rules, which are not for
 * every network. A daemon in a Kubernetes pod passes {@code 0.0.0.0} on purpose, because the
 * kubelet's probes and Prometheus reach the pod IP, never the pod's loopback.
 */
public final class AdminServer implements AutoCloseable {
  static final String TEXT = "text/plain; charset=utf-8";

  private final HttpServer server;
  private final ExecutorService executor;

  private AdminServer(HttpServer server, ExecutorService executor) {
    this.server = server;
    this.executor = executor;
  }

  /**
   * Starts serving on 127.0.0.1.
   *
   * @param port the port, or 0 for a free one (see {@link #url()})
   * @throws IOException when the port cannot be bound
   */
  public static AdminServer start(int port, PrometheusMeterRegistry registry, BooleanSupplier ready)
      throws IOException {
    return start(InetAddress.getLoopbackAddress().getHostAddress(), port, registry, ready);
  }

  /**
   * Starts serving on {@code host}.
   *
   * @param host the address to bind: {@code 127.0.0.1} keeps the port local, {@code 0.0.0.0}
   *     opens it on every interface (for probes and scrapes from outside the host or pod)
   * @param port the port, or 0 for a free one (see {@link #url()})
   * @throws IOException when the address cannot be bound
   */
  public static AdminServer start(String host, int port, PrometheusMeterRegistry registry,
      BooleanSupplier ready) throws IOException {
    HttpServer server = HttpServer.create(new InetSocketAddress(host, port), 16);
    ExecutorService executor = Executors.newFixedThreadPool(2, r -> {
      Thread t = new Thread(r, "specwatch-admin");
      t.setDaemon(true);
      return t;
    });
    server.setExecutor(executor);
    server.createContext("/metrics", ex -> {
      if (exact(ex, "/metrics")) {
        respond(ex, 200, "text/plain; version=0.0.4; charset=utf-8", registry.scrape());
      }
    });
    server.createContext("/healthz", ex -> {
      if (exact(ex, "/healthz")) {
        respond(ex, 200, TEXT, "ok\n");
      }
    });
    server.createContext("/readyz", ex -> {
      if (exact(ex, "/readyz")) {
        boolean ok = ready.getAsBoolean();
        respond(ex, ok ? 200 : 503, TEXT, ok ? "ready\n" : "not ready\n");
      }
    });
    server.createContext("/", ex -> respond(ex, 404, TEXT, "not found: try /metrics, /healthz, /readyz\n"));
    server.start();
    return new AdminServer(server, executor);
  }

  /** {@code http://HOST:PORT} as bound (the port chosen when 0 was asked for). */
  public String url() {
    InetSocketAddress a = server.getAddress();
    return "http://" + a.getAddress().getHostAddress() + ":" + a.getPort();
  }

  public int port() {
    return server.getAddress().getPort();
  }

  @Override
  public void close() {
    server.stop(0);
    executor.shutdownNow();
  }

  /** Contexts match by prefix; only the exact path with GET or HEAD is served. */
  private static boolean exact(HttpExchange ex, String path) throws IOException {
    if (!ex.getRequestURI().getPath().equals(path)) {
      respond(ex, 404, TEXT, "not found\n");
      return false;
    }
    String method = ex.getRequestMethod();
    if (!method.equals("GET") && !method.equals("HEAD")) {
      ex.getResponseHeaders().set("Allow", "GET, HEAD");
      respond(ex, 405, TEXT, "method not allowed\n");
      return false;
    }
    return true;
  }

  private static void respond(HttpExchange ex, int status, String type, String body) throws IOException {
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    ex.getResponseHeaders().set("Content-Type", type);
    boolean head = ex.getRequestMethod().equals("HEAD");
    ex.sendResponseHeaders(status, head ? -1 : bytes.length);
    try (OutputStream out = ex.getResponseBody()) {
      if (!head) {
        out.write(bytes);
      }
    }
  }
}
