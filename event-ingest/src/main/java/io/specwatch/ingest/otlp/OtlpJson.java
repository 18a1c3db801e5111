package io.specwatch.ingest.otlp;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Message;
import com.google.protobuf.util.JsonFormat;
import java.io.IOException;
import java.io.StringWriter;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Set;

/**
 * Reads OTLP/JSON request bodies into the protobuf messages. OTLP/JSON is protobuf's JSON mapping
 * with one exception: trace and span ids are hex, where protobuf's mapping says base64 (and
 * JsonFormat would silently misread hex as base64). So ids are rewritten to base64 first, in one
 * streaming pass, then JsonFormat parses, ignoring unknown fields as the OTLP spec requires.
 */
public final class OtlpJson {
  private static final Set<String> ID_FIELDS = Set.of("traceId", "spanId", "parentSpanId",
      "trace_id", "span_id", "parent_span_id");
  private static final JsonFactory JSON = JsonFactory.builder().build();
  private static final JsonFormat.Parser PARSER = JsonFormat.parser().ignoringUnknownFields();

  private OtlpJson() {}

  /** Thrown for a body that is not OTLP/JSON; the message says why, for the 400 reply. */
  public static final class MalformedJson extends Exception {
    MalformedJson(String message, Throwable cause) {
      super(message, cause);
    }
  }

  /** Parses {@code body} (UTF-8 JSON) into {@code builder}. */
  public static void merge(byte[] body, int len, Message.Builder builder) throws MalformedJson {
    String rewritten = idsToBase64(body, len);
    try {
      PARSER.merge(rewritten, builder);
    } catch (InvalidProtocolBufferException | RuntimeException e) {
      throw new MalformedJson("invalid OTLP/JSON: " + e.getMessage(), e);
    }
  }

  private static String idsToBase64(byte[] body, int len) throws MalformedJson {
    StringWriter out = new StringWriter(len + 16);
    try (JsonParser p = JSON.createParser(body, 0, len);
        JsonGenerator g = JSON.createGenerator(out)) {
      String field = null;
      JsonToken t;
      while ((t = p.nextToken()) != null) {
        if (t == JsonToken.FIELD_NAME) {
          field = p.currentName();
          g.copyCurrentEvent(p);
        } else if (t == JsonToken.VALUE_STRING && field != null && ID_FIELDS.contains(field)
            && p.getParsingContext().inObject()) {
          g.writeString(hexToBase64(field, p.getText()));
          field = null;
        } else {
          g.copyCurrentEvent(p);
          field = null;
        }
      }
    } catch (IOException e) {
      throw new MalformedJson("invalid JSON: " + e.getMessage(), e);
    }
    return out.toString();
  }

  private static String hexToBase64(String field, String hex) throws MalformedJson {
    try {
      return Base64.getEncoder().encodeToString(HexFormat.of().parseHex(hex));
    } catch (IllegalArgumentException e) {
      throw new MalformedJson("`" + field + "` must be a hex string, was \"" + abbreviate(hex) + "\"", e);
    }
  }

  private static String abbreviate(String s) {
    return s.length() <= 40 ? s : s.substring(0, 40) + "...";
  }
}
