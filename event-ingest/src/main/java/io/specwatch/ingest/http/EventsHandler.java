package io.specwatch.ingest.http;

import com.sun.net.httpserver.HttpExchange;
import io.specwatch.core.json.JsonText;
import io.specwatch.ingest.otlp.DocumentBatch;
import io.specwatch.ingest.otlp.IngestEndpoint;
import io.specwatch.ingest.otlp.IngestStats;
import io.specwatch.ingest.otlp.IngestStats.Refusal;
import io.specwatch.ingest.otlp.OtlpIngest;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * {@code POST /v1/events}: audit events from services that do not speak OpenTelemetry, as one
 * JSON object ({@code application/json}) or JSON lines ({@code application/x-ndjson}), with the
 * same limits, token and back-pressure as the OTLP endpoints. The reply is
 * {@code {"accepted":n,"rejected":m,"errors":["line 3: ..."]}}: 200 when any line was good (the
 * body is in, do not resend it; a line that is not a JSON object is still published, so the
 * spec reports it as {@code malformed} as {@code check} would), 400 when no line was good
 * (nothing published), 429 with {@code Retry-After} when the pipeline is full (nothing was
 * taken; resend the whole body). A JSONL line over the document limit is one bad line (published
 * as a {@code malformed} violation, as {@code check} reports it); a single
 * {@code application/json} document over it is the whole body, so 413.
 */
final class EventsHandler extends ReceiverHandler {
  private static final Set<String> LINES_TYPES = Set.of("application/x-ndjson",
      "application/jsonl", "application/json-lines", "application/jsonlines", "application/ndjson");
  private static final String JSON = "application/json";

  private final OtlpIngest ingest;

  EventsHandler(IngestServerConfig config, IngestStats stats, OtlpIngest ingest,
      AtomicBoolean stopping, AtomicInteger inFlight) {
    super(IngestEndpoint.HTTP_EVENTS, config, stats, stopping, inFlight);
    this.ingest = ingest;
  }

  @Override
  boolean accepts(String mediaType) {
    return mediaType.equals(JSON) || LINES_TYPES.contains(mediaType);
  }

  @Override
  String acceptedTypes() {
    return "/v1/events takes application/json (one object) or application/x-ndjson (JSON lines)";
  }

  @Override
  void handleBody(HttpExchange ex, String mediaType, RequestBody.Bytes body) throws IOException {
    DocumentBatch batch = new DocumentBatch(ingest.maxDocumentBytes());
    long request = ingest.nextRequest();
    if (mediaType.equals(JSON)) {
      if (body.length() > ingest.maxDocumentBytes()) {
        refuse(ex, 413, Refusal.TOO_LARGE, "the body is one document: "
            + EventLines.oversized(body.length(), ingest.maxDocumentBytes()));
        return;
      }
      EventLines.single(body.bytes(), body.length(), request, batch);
    } else {
      EventLines.splitLines(body.bytes(), body.length(), request, batch);
    }
    int valid = batch.size() - batch.flagged();
    int invalid = batch.flagged() + batch.rejected();
    if (valid == 0 && invalid > 0) {
      // Nothing usable (likely the wrong format altogether): refuse the body, publish nothing.
      stats.countRefusal(endpoint, Refusal.MALFORMED);
      send(ex, 400, JSON, reply(0, invalid, batch.errors()));
      return;
    }
    OtlpIngest.Result r = ingest.publish(batch, endpoint);
    if (r.full()) {
      refuse(ex, 429, Refusal.PIPELINE_FULL, "specwatch's pipeline is full; nothing was taken: "
          + "resend after the Retry-After delay");
      return;
    }
    List<String> errors = batch.errors();
    int dropped = r.rejected() - batch.rejected();
    if (dropped > 0) {
      errors = new ArrayList<>(errors);
      errors.add(r.errorMessage());
    }
    // Flagged lines were published (as malformed documents) but are not accepted events.
    send(ex, 200, JSON, reply(r.published() - batch.flagged(), r.rejected() + batch.flagged(),
        errors));
  }

  private static byte[] reply(int accepted, int rejected, List<String> errors) {
    StringBuilder sb = new StringBuilder(64);
    sb.append("{\"accepted\":").append(accepted).append(",\"rejected\":").append(rejected)
        .append(",\"errors\":[");
    for (int i = 0; i < errors.size(); i++) {
      if (i > 0) {
        sb.append(',');
      }
      JsonText.appendString(sb, errors.get(i));
    }
    return sb.append("]}").toString().getBytes(StandardCharsets.UTF_8);
  }

  @Override
  void replyError(HttpExchange ex, int status, String message) throws IOException {
    StringBuilder sb = new StringBuilder("{\"error\":");
    JsonText.appendString(sb, message);
    send(ex, status, JSON, sb.append('}').toString().getBytes(StandardCharsets.UTF_8));
  }
}
