package io.specwatch.ingest.http;

import com.sun.net.httpserver.HttpExchange;
import io.specwatch.core.json.JsonText;
import io.specwatch.ingest.otlp.IngestEndpoint;
import io.specwatch.ingest.otlp.IngestStats;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Every path no receiver serves: 404 (503 while stopping), counted as
 * {@link IngestEndpoint#HTTP_OTHER}. Without it the JDK server would answer 404 itself, uncounted.
 */
final class NotFoundHandler extends ReceiverHandler {
  NotFoundHandler(IngestServerConfig config, IngestStats stats, AtomicBoolean stopping,
      AtomicInteger inFlight) {
    super(IngestEndpoint.HTTP_OTHER, config, stats, stopping, inFlight);
  }

  @Override
  boolean accepts(String mediaType) {
    return false;
  }

  @Override
  String acceptedTypes() {
    return "nothing";
  }

  @Override
  void handleBody(HttpExchange ex, String mediaType, RequestBody.Bytes body) {
    throw new IllegalStateException("a path no receiver serves never gets this far");
  }

  @Override
  void replyError(HttpExchange ex, int status, String message) throws IOException {
    StringBuilder sb = new StringBuilder("{\"error\":");
    JsonText.appendString(sb, message);
    send(ex, status, "application/json", sb.append('}').toString().getBytes(StandardCharsets.UTF_8));
  }
}
