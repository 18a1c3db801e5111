package io.specwatch.core.json;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class JsonTextTest {
  private static String json(String s) {
    StringBuilder sb = new StringBuilder();
    JsonText.appendString(sb, s);
    return sb.toString();
  }

  @Test
  void nullIsTheJsonLiteral() {
    assertEquals("null", json(null));
  }

  @Test
  void plainTextIsQuoted() {
    assertEquals("\"\"", json(""));
    assertEquals("\"payment.captured\"", json("payment.captured"));
    assertEquals("\"a/b\"", json("a/b")); // the solidus needs no escape
    assertEquals("\"\u007f\"", json("\u007f")); // DEL is not a control character in JSON
  }

  @Test
  void quotesBackslashesAndShortEscapes() {
    assertEquals("\"say \\\"hi\\\"\"", json("say \"hi\""));
    assertEquals("\"C:\\\\dir\"", json("C:\\dir"));
    assertEquals("\"\\n\\r\\t\\b\\f\"", json("\n\r\t\b\f"));
  }

  @Test
  void everyOtherControlCharacterIsAUnicodeEscape() {
    for (char c = 0; c < 0x20; c++) {
      String expected = switch (c) {
        case '\n' -> "\\n";
        case '\r' -> "\\r";
        case '\t' -> "\\t";
        case '\b' -> "\\b";
        case '\f' -> "\\f";
        default -> String.format("\\u%04x", (int) c);
      };
      assertEquals("\"" + expected + "\"", json(String.valueOf(c)), "U+" + Integer.toHexString(c));
    }
    assertEquals("\"a\\u0000b\"", json("a\u0000b"));
    assertEquals("\"\\u001f\"", json("\u001f"));
  }

  @Test
  void lineAndParagraphSeparatorsAreEscaped() {
    // Valid JSON either way, but not valid in older JavaScript string literals.
    assertEquals("\"a\\u2028b\\u2029c\"", json("a\u2028b\u2029c"));
  }

  @Test
  void loneSurrogatesAreEscapedAndPairsKept() {
    assertEquals("\"😀\"", json("\ud83d\ude00"));
    assertEquals("\"\\ud83d\"", json("\ud83d"));
    assertEquals("\"\\ude00\"", json("\ude00"));
    assertEquals("\"x\\ud83dy\"", json("x\ud83dy"));
    assertEquals("\"\\ude00\\ud83d\"", json("\ude00\ud83d")); // reversed: both lone
    assertEquals("\"\\ud83d😀\"", json("\ud83d\ud83d\ude00")); // a high, then a pair
    assertEquals("\"😀\\ude00\"", json("\ud83d\ude00\ude00")); // a pair, then a low
    assertEquals("\"\udbff\udfff\"", json("\udbff\udfff")); // U+10FFFF is a pair
  }

  @Test
  void nonAsciiTextIsWrittenAsIs() {
    assertEquals("\"Café Zürich 日本 €\"", json("Café Zürich 日本 €"));
  }

  @Test
  void theOutputIsValidUtf8JsonThatReadsBackAsTheSameString() throws IOException {
    // Random strings over all of UTF-16, lone surrogates included: the JSON text must be valid
    // UTF-8 once encoded (lone surrogates are escaped, so no '?' replacement) and a JSON parser
    // must read back exactly the original.
    SplittableRandom r = new SplittableRandom(5);
    JsonFactory f = new JsonFactory();
    for (int i = 0; i < 20_000; i++) {
      char[] cs = new char[r.nextInt(0, 12)];
      for (int k = 0; k < cs.length; k++) {
        int pick = r.nextInt(4);
        cs[k] = (char) (pick == 0 ? r.nextInt(0x20) : pick == 1 ? r.nextInt(0xD800, 0xE000)
            : pick == 2 ? r.nextInt(0x20, 0x80) : r.nextInt(0x10000));
      }
      String s = new String(cs);
      byte[] utf8 = json(s).getBytes(StandardCharsets.UTF_8);
      assertEquals(true, Utf8.isValid(utf8, 0, utf8.length));
      try (JsonParser p = f.createParser(utf8)) {
        assertEquals(JsonToken.VALUE_STRING, p.nextToken());
        assertEquals(s, p.getText());
      }
    }
  }
}
