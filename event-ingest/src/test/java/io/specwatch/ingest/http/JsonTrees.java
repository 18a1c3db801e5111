package io.specwatch.ingest.http;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * JSON text as plain Java values (maps, lists, strings, numbers), to compare documents whose
 * object members may come in another order: the SDK's attribute order depends on hash codes
 * that change from run to run, and member order means nothing to a spec.
 */
final class JsonTrees {
  private static final JsonFactory JSON = new JsonFactory();

  private JsonTrees() {}

  static Object parse(String json) {
    try (JsonParser p = JSON.createParser(json)) {
      p.nextToken();
      Object value = value(p);
      if (p.nextToken() != null) {
        throw new IllegalArgumentException("more than one JSON value: " + json);
      }
      return value;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static List<Object> parseAll(List<String> jsons) {
    return jsons.stream().map(JsonTrees::parse).toList();
  }

  private static Object value(JsonParser p) throws IOException {
    JsonToken t = p.currentToken();
    switch (t) {
      case START_OBJECT: {
        Map<String, Object> m = new HashMap<>();
        while (p.nextToken() != JsonToken.END_OBJECT) {
          String name = p.currentName();
          p.nextToken();
          m.put(name, value(p));
        }
        return m;
      }
      case START_ARRAY: {
        List<Object> l = new ArrayList<>();
        while (p.nextToken() != JsonToken.END_ARRAY) {
          l.add(value(p));
        }
        return l;
      }
      case VALUE_STRING:
        return p.getText();
      case VALUE_NUMBER_INT:
        return p.getBigIntegerValue();
      case VALUE_NUMBER_FLOAT:
        return p.getDecimalValue();
      case VALUE_TRUE:
        return true;
      case VALUE_FALSE:
        return false;
      default:
        return null;
    }
  }
}
