package io.specwatch.ingest.http;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import io.specwatch.core.OversizedDocument;
import io.specwatch.ingest.otlp.DocumentBatch;
import io.specwatch.ingest.otlp.OtlpPosition;
import java.io.IOException;

/**
 * Splits a {@code /v1/events} body into documents: the whole body (one JSON object), or one
 * object per line (JSONL; blank lines skipped but counted, a trailing CR dropped, as
 * {@code check} reads files). Each document is checked to be one well-formed JSON object, so the
 * client hears at once about a line it got wrong; such a line is still published (flagged), so
 * the spec reports it as {@code malformed} exactly as {@code check} does for the same line. A
 * top-level {@code trace_id} / {@code span_id} string is carried into the position, so
 * violations link to the trace here too. A line over the document limit is not held at all: it
 * is published as rejected, so the spec reports it as {@code malformed} with the reason, as the
 * file source and {@code check} do for such a line; the other lines are taken.
 */
final class EventLines {
  /** Nesting is checked by the pipeline's decoder (500 levels); this only must not give up first. */
  private static final JsonFactory JSON = JsonFactory.builder()
      .streamReadConstraints(StreamReadConstraints.builder().maxNestingDepth(2000).build())
      .build();
  private static final int MAX_ID_CHARS = 64;

  private EventLines() {}

  /** Adds every line of a JSONL body to the batch, rejecting (with the line number) bad ones. */
  static void splitLines(byte[] body, int len, long request, DocumentBatch batch) {
    int line = 0;
    int start = 0;
    while (start < len) {
      int end = start;
      while (end < len && body[end] != '\n') {
        end++;
      }
      line++;
      int stop = end > start && body[end - 1] == '\r' ? end - 1 : end;
      add(body, start, stop - start, request, line, batch);
      start = end + 1;
    }
  }

  /** Adds a whole body that holds one JSON object. */
  static void single(byte[] body, int len, long request, DocumentBatch batch) {
    if (isBlank(body, 0, len)) {
      batch.reject("the body is empty: send one JSON object (application/json) or JSON lines "
          + "(application/x-ndjson)");
      return;
    }
    add(body, 0, len, request, 1, batch);
  }

  private static void add(byte[] buf, int off, int len, long request, int line,
      DocumentBatch batch) {
    if (isBlank(buf, off, len)) {
      return;
    }
    if (len > batch.maxDocumentBytes()) {
      String reason = oversized(len, batch.maxDocumentBytes());
      batch.addUnreadable(new OtlpPosition(OtlpPosition.HTTP_EVENTS, request, line, null, null),
          reason, "line " + line + ": " + reason);
      return;
    }
    String[] ids = new String[2];
    String problem = check(buf, off, len, ids);
    OtlpPosition pos = new OtlpPosition(OtlpPosition.HTTP_EVENTS, request, line, ids[0], ids[1]);
    if (problem == null) {
      batch.add(buf, off, len, pos);
    } else {
      batch.addFlagged(buf, off, len, pos, "line " + line + ": " + problem);
    }
  }

  /** The malformed violation's message for a document over the limit, as the file source words it. */
  static String oversized(long size, int max) {
    return OversizedDocument.reason(size, max, "limits.max_document_bytes");
  }

  /** Null when the bytes are one JSON object; else why not. Fills in top-level trace/span ids. */
  private static String check(byte[] buf, int off, int len, String[] ids) {
    try (JsonParser p = JSON.createParser(buf, off, len)) {
      if (p.nextToken() != JsonToken.START_OBJECT) {
        return "a document must be a JSON object";
      }
      JsonToken t;
      while ((t = p.nextToken()) != JsonToken.END_OBJECT) {
        String name = p.currentName();
        t = p.nextToken();
        if (t == JsonToken.VALUE_STRING && p.getTextLength() <= MAX_ID_CHARS
            && ("trace_id".equals(name) || "span_id".equals(name))) {
          ids["trace_id".equals(name) ? 0 : 1] = p.getText();
        } else {
          p.skipChildren();
        }
      }
      if (p.nextToken() != null) {
        return "more than one JSON value (send JSON lines as application/x-ndjson)";
      }
      return null;
    } catch (IOException e) {
      return "invalid JSON: " + firstLine(e.getMessage());
    }
  }

  private static String firstLine(String s) {
    if (s == null) {
      return "unreadable";
    }
    int nl = s.indexOf('\n');
    return nl < 0 ? s : s.substring(0, nl);
  }

  private static boolean isBlank(byte[] buf, int off, int len) {
    for (int i = off; i < off + len; i++) {
      byte b = buf[i];
      if (b != ' ' && b != '\t' && b != '\r' && b != '\n') {
        return false;
      }
    }
    return true;
  }
}
