package io.specwatch.ingest.http;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import io.specwatch.ingest.otlp.BearerTokens;
import io.specwatch.ingest.otlp.IngestEndpoint;
import io.specwatch.ingest.otlp.IngestStats;
import io.specwatch.ingest.otlp.IngestStats.Refusal;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * What every receiver endpoint checks before it looks at a body, in this order: the server is
 * not stopping (503), the path is exact (404), the method is POST (405), the bearer token (401);
 * then the body is read within the limits (413, 415, 400) and handed to {@link #handleBody}.
 * Every request and every refusal is counted, by endpoint and reason; a path this handler's
 * context caught but does not serve (the JDK routes {@code /v1/logsx} to {@code /v1/logs}) counts
 * as {@link IngestEndpoint#HTTP_OTHER}. Subclasses only say how their errors are encoded.
 */
abstract class ReceiverHandler implements HttpHandler {
  private static final Logger LOG = Logger.getLogger(ReceiverHandler.class.getName());

  protected final IngestServerConfig config;
  protected final IngestStats stats;
  protected final IngestEndpoint endpoint;
  private final AtomicBoolean stopping;
  private final AtomicInteger inFlight;

  ReceiverHandler(IngestEndpoint endpoint, IngestServerConfig config, IngestStats stats,
      AtomicBoolean stopping, AtomicInteger inFlight) {
    this.endpoint = endpoint;
    this.config = config;
    this.stats = stats;
    this.stopping = stopping;
    this.inFlight = inFlight;
  }

  @Override
  public final void handle(HttpExchange ex) {
    inFlight.incrementAndGet();
    String path = ex.getRequestURI().getPath();
    IngestEndpoint e = path.equals(endpoint.path()) ? endpoint : IngestEndpoint.HTTP_OTHER;
    try {
      stats.countRequest(e);
      if (stopping.get()) {
        refuse(ex, e, 503, Refusal.STOPPING, "specwatch is stopping; retry later");
      } else if (e == IngestEndpoint.HTTP_OTHER) {
        refuse(ex, e, 404, Refusal.NOT_FOUND, "no endpoint " + path
            + " (specwatch takes POST /v1/logs, /v1/traces and /v1/events)");
      } else if (!ex.getRequestMethod().equals("POST")) {
        ex.getResponseHeaders().set("Allow", "POST");
        refuse(ex, 405, Refusal.METHOD_NOT_ALLOWED, path + " takes POST, not "
            + ex.getRequestMethod());
      } else if (!BearerTokens.matches(config.bearerToken(),
          ex.getRequestHeaders().getFirst("Authorization"))) {
        ex.getResponseHeaders().set("WWW-Authenticate", "Bearer");
        refuse(ex, 401, Refusal.UNAUTHORIZED, "missing or wrong bearer token "
            + "(header `Authorization: Bearer ...`)");
      } else {
        String type = mediaType(ex);
        if (!accepts(type)) {
          refuse(ex, 415, Refusal.UNSUPPORTED_MEDIA_TYPE, "unsupported Content-Type `"
              + ex.getRequestHeaders().getFirst("Content-Type") + "`: " + acceptedTypes());
          return;
        }
        RequestBody.Bytes body;
        try {
          body = RequestBody.read(ex.getRequestHeaders(), ex.getRequestBody(),
              config.maxRequestBytes(), config.maxDecompressedBytes());
        } catch (BodyError err) {
          refuse(ex, err.status, err.refusal, err.getMessage());
          return;
        }
        handleBody(ex, type, body);
      }
    } catch (IOException err) {
      // The client went away mid-request: nothing to answer, and nothing was published.
      LOG.log(Level.FINE, "request on " + path + " failed", err);
    } catch (RuntimeException err) {
      // A bug, never bad input: log it, count it, answer 500, keep serving others.
      LOG.log(Level.WARNING, "internal error on " + path, err);
      stats.countRefusal(e, Refusal.INTERNAL_ERROR);
      try {
        send(ex, 500, "text/plain; charset=utf-8",
            ("internal error: " + err).getBytes(StandardCharsets.UTF_8));
      } catch (IOException | RuntimeException ignored) {
        // headers were sent already, or the connection is gone: nothing more to say
      }
    } finally {
      ex.close();
      inFlight.decrementAndGet();
    }
  }

  /** Reads and discards up to {@code max} bytes; true when the stream ended within them. */
  private static boolean drain(InputStream in, long max) throws IOException {
    byte[] sink = new byte[8192];
    long total = 0;
    int n;
    while ((n = in.read(sink)) >= 0) {
      total += n;
      if (total > max) {
        return false;
      }
    }
    return true;
  }

  /** The Content-Type without parameters, lower case; empty when absent. */
  static String mediaType(HttpExchange ex) {
    String type = ex.getRequestHeaders().getFirst("Content-Type");
    if (type == null) {
      return "";
    }
    int semi = type.indexOf(';');
    return (semi < 0 ? type : type.substring(0, semi)).trim().toLowerCase(Locale.ROOT);
  }

  abstract boolean accepts(String mediaType);

  /** For the 415 message: what the endpoint takes. */
  abstract String acceptedTypes();

  abstract void handleBody(HttpExchange ex, String mediaType, RequestBody.Bytes body)
      throws IOException;

  /** Writes an error reply in the endpoint's encoding. */
  abstract void replyError(HttpExchange ex, int status, String message) throws IOException;

  /** Refuses a request to this handler's endpoint: counts it, then answers with the reason. */
  final void refuse(HttpExchange ex, int status, Refusal reason, String message)
      throws IOException {
    refuse(ex, endpoint, status, reason, message);
  }

  private void refuse(HttpExchange ex, IngestEndpoint e, int status, Refusal reason,
      String message) throws IOException {
    stats.countRefusal(e, reason);
    // Read (and drop) what the client may still be sending before answering: closing on a
    // client mid-upload resets the connection, and the reset can destroy the answer. A body far
    // over the limit is not worth reading: then the connection is closed after the answer.
    if (!drain(ex.getRequestBody(), 2L * config.maxRequestBytes())) {
      ex.getResponseHeaders().set("Connection", "close");
    }
    if (status == 429 || status == 503) {
      ex.getResponseHeaders().set("Retry-After", Long.toString(retryAfterSeconds()));
    }
    replyError(ex, status, message);
  }

  /** Retry-After takes whole seconds; never 0, which would invite a retry storm. */
  final long retryAfterSeconds() {
    Duration d = config.retryAfter();
    return Math.max(1, d.getSeconds() + (d.getNano() > 0 ? 1 : 0));
  }

  static void send(HttpExchange ex, int status, String contentType, byte[] body)
      throws IOException {
    ex.getResponseHeaders().set("Content-Type", contentType);
    ex.sendResponseHeaders(status, body.length == 0 ? -1 : body.length);
    if (body.length > 0) {
      try (OutputStream out = ex.getResponseBody()) {
        out.write(body);
      }
    }
  }
}
