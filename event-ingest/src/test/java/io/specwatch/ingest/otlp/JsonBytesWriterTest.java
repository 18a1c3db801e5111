package io.specwatch.ingest.otlp;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class JsonBytesWriterTest {
  static String text(JsonBytesWriter w) {
    return new String(w.buffer(), 0, w.length(), StandardCharsets.UTF_8);
  }

  @Test
  void placesCommasInNestedObjectsAndArrays() {
    JsonBytesWriter w = new JsonBytesWriter();
    w.beginObject();
    w.name("a");
    w.beginArray();
    w.value(1);
    w.beginObject();
    w.endObject();
    w.beginArray();
    w.endArray();
    w.nullValue();
    w.endArray();
    w.name("b");
    w.value(true);
    w.endObject();
    assertEquals("{\"a\":[1,{},[],null],\"b\":true}", text(w));
  }

  @Test
  void encodesUtf8AndReplacesLoneSurrogates() {
    JsonBytesWriter w = new JsonBytesWriter();
    w.value("a\u00e9\u20ac\ud83d\ude00 \ud800 \udc00 \u007f");
    assertEquals("\"aé€😀 \ufffd \ufffd \u007f\"", text(w));
  }

  @Test
  void truncateDropsAHalfWrittenDocumentAndStartsAfresh() {
    JsonBytesWriter w = new JsonBytesWriter();
    w.beginObject();
    w.name("kept");
    w.value(1);
    w.endObject();
    int mark = w.length();
    w.beginObject();
    w.name("x");
    w.beginArray();
    w.value("half");
    w.truncate(mark);
    w.beginObject();
    w.name("next");
    w.value(2);
    w.endObject();
    assertEquals("{\"kept\":1}{\"next\":2}", text(w));
  }

  @Test
  void growsPastItsInitialBuffer() {
    JsonBytesWriter w = new JsonBytesWriter();
    String big = "\"".repeat(10_000);
    w.value(big);
    assertEquals(2 + 20_000, w.length());
  }
}
