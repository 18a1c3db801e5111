package io.specwatch.ingest.otlp;

import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.KeyValue;
import java.util.Base64;
import java.util.List;

/**
 * OTLP's {@code AnyValue} and attribute lists as JSON: string, bool, int64 (a JSON number),
 * double, array (a JSON array), kvlist (a JSON object), bytes (a base64 string), unset (null).
 * Attribute lists become objects; a repeated key is written twice and, as for any document,
 * the last copy wins when a spec reads it.
 */
final class AnyValueWriter {
  /**
   * Values nested deeper than this (arrays and kvlists inside each other) reject their record:
   * protobuf itself allows 100 levels, and a spec never needs more than a few.
   */
  static final int MAX_DEPTH = 64;

  private AnyValueWriter() {}

  /** Thrown when a value is nested too deeply; the mapper rejects the record with the message. */
  static final class TooDeep extends Exception {
    TooDeep() {
      super("an attribute or body value is nested deeper than " + MAX_DEPTH + " levels", null,
          false, false);
    }
  }

  static void writeAttributes(JsonBytesWriter w, List<KeyValue> attributes) throws TooDeep {
    writeAttributes(w, attributes, 0);
  }

  private static void writeAttributes(JsonBytesWriter w, List<KeyValue> attributes, int depth)
      throws TooDeep {
    w.beginObject();
    for (int i = 0, n = attributes.size(); i < n; i++) {
      KeyValue kv = attributes.get(i);
      w.name(kv.getKey());
      write(w, kv.getValue(), depth + 1);
    }
    w.endObject();
  }

  static void write(JsonBytesWriter w, AnyValue v) throws TooDeep {
    write(w, v, 0);
  }

  private static void write(JsonBytesWriter w, AnyValue v, int depth) throws TooDeep {
    if (depth > MAX_DEPTH) {
      throw new TooDeep();
    }
    switch (v.getValueCase()) {
      case STRING_VALUE -> w.value(v.getStringValue());
      case BOOL_VALUE -> w.value(v.getBoolValue());
      case INT_VALUE -> w.value(v.getIntValue());
      case DOUBLE_VALUE -> w.value(v.getDoubleValue());
      case BYTES_VALUE -> w.value(Base64.getEncoder().encodeToString(v.getBytesValue().toByteArray()));
      case ARRAY_VALUE -> {
        w.beginArray();
        List<AnyValue> values = v.getArrayValue().getValuesList();
        for (int i = 0, n = values.size(); i < n; i++) {
          write(w, values.get(i), depth + 1);
        }
        w.endArray();
      }
      case KVLIST_VALUE -> writeAttributes(w, v.getKvlistValue().getValuesList(), depth);
      default -> w.nullValue(); // VALUE_NOT_SET: an empty AnyValue is OTLP's null
    }
  }
}
