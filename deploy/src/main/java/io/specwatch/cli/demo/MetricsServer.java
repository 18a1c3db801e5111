package io.specwatch.cli.demo;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.specwatch.core.engine.RuntimeStats;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Supplier;

/**
 * A minimal metrics endpoint on the loopback interface only: {@code /metrics} in the Prometheus
 * text exposition format (version 0.0.4) and {@code /healthz}. Built on the JDK's HTTP server so
 * the demo needs nothing installed; Micrometer replaces it later.
 */
public final class MetricsServer implements AutoCloseable {
  static final String CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";

  private final HttpServer server;
  private final ExecutorService executor;

  private MetricsServer(HttpServer server, ExecutorService executor) {
    this.server = server;
    this.executor = executor;
  }

  /**
   * Starts serving on 127.0.0.1.
   *
   * @param port the port, or 0 for a free one (see {@link #address()})
   * @throws IOException when the port cannot be bound (e.g. already in use)
   */
  public static MetricsServer start(int port, Supplier<DemoSnapshot> source) throws IOException {
    HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 16);
    ExecutorService executor = Executors.newSingleThreadExecutor(r -> {
      Thread t = new Thread(r, "specwatch-metrics");
      t.setDaemon(true);
      return t;
    });
    server.setExecutor(executor);
    server.createContext("/metrics", exchange -> {
      if (exact(exchange, "/metrics")) {
        respond(exchange, 200, render(source.get()));
      }
    });
    server.createContext("/healthz", exchange -> {
      if (exact(exchange, "/healthz")) {
        respond(exchange, 200, "ok\n");
      }
    });
    server.start();
    return new MetricsServer(server, executor);
  }

  /** The bound address (with the port chosen when 0 was asked for). */
  public InetSocketAddress address() {
    return server.getAddress();
  }

  /** {@code http://127.0.0.1:PORT}. */
  public String url() {
    return "http://" + address().getAddress().getHostAddress() + ":" + address().getPort();
  }

  @Override
  public void close() {
    server.stop(0);
    executor.shutdownNow();
  }

  /** Contexts match by prefix; anything but the exact path (and GET or HEAD) is answered here. */
  private static boolean exact(HttpExchange exchange, String path) throws IOException {
    if (!exchange.getRequestURI().getPath().equals(path)) {
      respond(exchange, 404, "not found\n");
      return false;
    }
    String method = exchange.getRequestMethod();
    if (!method.equals("GET") && !method.equals("HEAD")) {
      exchange.getResponseHeaders().set("Allow", "GET, HEAD");
      respond(exchange, 405, "method not allowed\n");
      return false;
    }
    return true;
  }

  private static void respond(HttpExchange exchange, int status, String body) throws IOException {
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    exchange.getResponseHeaders().set("Content-Type", CONTENT_TYPE);
    boolean head = exchange.getRequestMethod().equals("HEAD");
    exchange.sendResponseHeaders(status, head ? -1 : bytes.length);
    try (OutputStream out = exchange.getResponseBody()) {
      if (!head) {
        out.write(bytes);
      }
    }
  }

  /** The exposition text for one snapshot. */
  public static String render(DemoSnapshot s) {
    StringBuilder sb = new StringBuilder(2048);
    header(sb, "specwatch_documents_total", "counter", "Documents published into the pipeline.");
    sb.append("specwatch_documents_total ").append(s.documents()).append('\n');

    header(sb, "specwatch_events_total", "counter", "Events decoded from documents and applied, per spec.");
    for (RuntimeStats r : s.specs()) {
      sample(sb, "specwatch_events_total", r.spec, r.events);
    }
    header(sb, "specwatch_duplicates_total", "counter", "Documents dropped as duplicates of an earlier event id, per spec.");
    for (RuntimeStats r : s.specs()) {
      sample(sb, "specwatch_duplicates_total", r.spec, r.duplicates);
    }
    header(sb, "specwatch_malformed_total", "counter", "Malformed documents and events, per spec.");
    for (RuntimeStats r : s.specs()) {
      sample(sb, "specwatch_malformed_total", r.spec, r.malformed);
    }

    header(sb, "specwatch_violations_total", "counter", "Violations raised, per spec, kind and rule.");
    for (ViolationCounter.Count c : s.violations()) {
      sb.append("specwatch_violations_total{spec=\"");
      escape(sb, c.rule().spec());
      sb.append("\",kind=\"").append(c.rule().kind().label()).append("\",rule=\"");
      escape(sb, c.rule().rule() == null ? "" : c.rule().rule());
      sb.append("\"} ").append(c.count()).append('\n');
    }

    header(sb, "specwatch_live_instances", "gauge", "Entity instances held in memory (ended ones until they are forgotten), per spec.");
    for (RuntimeStats r : s.specs()) {
      sample(sb, "specwatch_live_instances", r.spec, r.liveInstances);
    }
    header(sb, "specwatch_pipeline_backlog", "gauge", "Ring slots published but not yet evaluated.");
    sb.append("specwatch_pipeline_backlog ").append(s.backlog()).append('\n');
    return sb.toString();
  }

  private static void header(StringBuilder sb, String name, String type, String help) {
    sb.append("# HELP ").append(name).append(' ').append(help).append('\n');
    sb.append("# TYPE ").append(name).append(' ').append(type).append('\n');
  }

  private static void sample(StringBuilder sb, String name, String spec, long value) {
    sb.append(name).append("{spec=\"");
    escape(sb, spec);
    sb.append("\"} ").append(value).append('\n');
  }

  /** Label values escape backslash, double quote and line feed. */
  static void escape(StringBuilder sb, String s) {
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case '\\' -> sb.append("\\\\");
        case '"' -> sb.append("\\\"");
        case '\n' -> sb.append("\\n");
        default -> sb.append(c);
      }
    }
  }
}
