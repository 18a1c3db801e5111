package io.specwatch.core.json;

import static io.specwatch.core.json.JsonKind.ARRAY;
import static io.specwatch.core.json.JsonKind.BOOL;
import static io.specwatch.core.json.JsonKind.INT;
import static io.specwatch.core.json.JsonKind.MISSING;
import static io.specwatch.core.json.JsonKind.OBJECT;
import static io.specwatch.core.json.JsonKind.OTHER_NUMBER;
import static io.specwatch.core.json.JsonKind.STRING;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class DocumentDecoderTest {
  private static final String NOT_JSON = DocumentDecoder.NOT_JSON;
  private static final String NOT_OBJECT = DocumentDecoder.NOT_OBJECT;
  private static final String TOO_DEEP = "document nested deeper than 500 levels";

  /** A decoder over some paths, and the document it last decoded. */
  private static final class Run {
    final DocumentDecoder decoder;
    final Document doc;
    String reason;

    Run(String... paths) {
      this(DocumentDecoder.DEFAULT_MAX_DEPTH, paths);
    }

    Run(int maxDepth, String... paths) {
      decoder = new DocumentDecoder(Paths.paths(paths), maxDepth);
      doc = decoder.newDocument();
    }

    Run decode(String json) {
      return decode(json.getBytes(StandardCharsets.UTF_8));
    }

    Run decode(byte[] bytes) {
      reason = decoder.decode(bytes, 0, bytes.length, doc);
      return this;
    }

    int slot(String path) {
      return decoder.slotOf(Paths.path(path));
    }

    byte kind(String path) {
      return doc.kind(slot(path));
    }

    String string(String path) {
      assertEquals(STRING, kind(path), path);
      return doc.stringValue(slot(path));
    }

    long integer(String path) {
      assertEquals(INT, kind(path), path);
      return doc.longValue(slot(path));
    }

    boolean bool(String path) {
      assertEquals(BOOL, kind(path), path);
      return doc.longValue(slot(path)) != 0;
    }

    String keyText(String path) {
      return doc.keyText(slot(path));
    }
  }

  private static byte[] concat(String before, byte[] middle, String after) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.writeBytes(before.getBytes(StandardCharsets.UTF_8));
    out.writeBytes(middle);
    out.writeBytes(after.getBytes(StandardCharsets.UTF_8));
    return out.toByteArray();
  }

  private static byte[] bytes(int... values) {
    byte[] b = new byte[values.length];
    for (int i = 0; i < values.length; i++) {
      b[i] = (byte) values[i];
    }
    return b;
  }

  // ---- paths ----

  @Test
  void pathsThroughObjectsArraysAndQuotedKeys() {
    Run r = new Run("order.customer.id", "items[0].sku", "items[1].sku", "items[2].sku",
        "attributes[\"payment.id\"]", "attributes[\"not\"]", "matrix[1][0]", "type");
    r.decode("{\"type\":\"t\",\"order\":{\"customer\":{\"id\":\"c-1\",\"name\":\"Ann\"}},"
        + "\"items\":[{\"sku\":\"A\"},{\"sku\":\"B\",\"qty\":2}],"
        + "\"attributes\":{\"payment.id\":\"p-1\",\"not\":7},\"matrix\":[[1,2],[3,4]]}");
    assertNull(r.reason);
    assertEquals("c-1", r.string("order.customer.id"));
    assertEquals("A", r.string("items[0].sku"));
    assertEquals("B", r.string("items[1].sku"));
    assertEquals(MISSING, r.kind("items[2].sku"));
    assertEquals("p-1", r.string("attributes[\"payment.id\"]"));
    assertEquals(7, r.integer("attributes[\"not\"]"));
    assertEquals(3, r.integer("matrix[1][0]"));
    assertEquals("t", r.string("type"));
  }

  @Test
  void aDottedKeyIsNotAPathAndAQuotedSegmentIsNotTwoKeys() {
    Run r = new Run("a.b", "[\"a.b\"]");
    r.decode("{\"a.b\":1}");
    assertEquals(MISSING, r.kind("a.b"));
    assertEquals(1, r.integer("[\"a.b\"]"));
    r.decode("{\"a\":{\"b\":2}}");
    assertEquals(2, r.integer("a.b"));
    assertEquals(MISSING, r.kind("[\"a.b\"]"));
  }

  @Test
  void anIndexOnAnObjectIsMissing() {
    Run r = new Run("items[0]", "items[0].sku", "x[1]");
    r.decode("{\"items\":{\"0\":{\"sku\":\"A\"}},\"x\":{\"1\":5}}");
    assertNull(r.reason);
    assertEquals(MISSING, r.kind("items[0]"));
    assertEquals(MISSING, r.kind("items[0].sku"));
    assertEquals(MISSING, r.kind("x[1]"));
  }

  @Test
  void aKeyOnAnArrayIsMissing() {
    Run r = new Run("items[\"sku\"]", "items.sku", "items[\"0\"]", "items[0]");
    r.decode("{\"items\":[\"sku\",{\"sku\":1}]}");
    assertNull(r.reason);
    assertEquals(MISSING, r.kind("items[\"sku\"]"));
    assertEquals(MISSING, r.kind("items.sku"));
    assertEquals(MISSING, r.kind("items[\"0\"]"));
    assertEquals("sku", r.string("items[0]"));
  }

  @Test
  void aPathThroughAScalarIsMissing() {
    Run r = new Run("a.b", "s[0]");
    r.decode("{\"a\":5,\"s\":\"text\"}");
    assertNull(r.reason);
    assertEquals(MISSING, r.kind("a.b"));
    assertEquals(MISSING, r.kind("s[0]"));
  }

  @Test
  void nullIsMissing() {
    Run r = new Run("a", "b.c", "d[0]", "e");
    r.decode("{\"a\":null,\"b\":{\"c\":null},\"d\":[null],\"e\":{}}");
    assertNull(r.reason);
    assertEquals(MISSING, r.kind("a"));
    assertEquals(MISSING, r.kind("b.c"));
    assertEquals(MISSING, r.kind("d[0]"));
    assertEquals(OBJECT, r.kind("e"));
    assertNull(r.keyText("a"));
  }

  @Test
  void kindsOfValues() {
    Run r = new Run("s", "i", "t", "f", "o", "a", "n", "x");
    r.decode("{\"s\":\"str\",\"i\":-42,\"t\":true,\"f\":false,\"o\":{\"k\":1},\"a\":[1],\"n\":1.5}");
    assertNull(r.reason);
    assertEquals("str", r.string("s"));
    assertEquals(-42, r.integer("i"));
    assertEquals(true, r.bool("t"));
    assertEquals(false, r.bool("f"));
    assertEquals(OBJECT, r.kind("o"));
    assertEquals(ARRAY, r.kind("a"));
    assertEquals(OTHER_NUMBER, r.kind("n"));
    assertEquals(MISSING, r.kind("x"));
    assertNull(r.doc.stringValue(r.slot("o")));
  }

  @Test
  void aPrefixPathAndItsExtensionAreBothCaptured() {
    Run r = new Run("a", "a.b", "l", "l[1]");
    r.decode("{\"a\":{\"b\":\"x\"},\"l\":[0,9]}");
    assertEquals(OBJECT, r.kind("a"));
    assertEquals("x", r.string("a.b"));
    assertEquals(ARRAY, r.kind("l"));
    assertEquals(9, r.integer("l[1]"));
  }

  @Test
  void aPathGivenTwiceHasOneSlot() {
    DocumentDecoder d = new DocumentDecoder(Paths.paths("a.b", "c", "a.b"));
    assertEquals(0, d.slotOf(Paths.path("a.b")));
    assertEquals(1, d.slotOf(Paths.path("c")));
    assertEquals(2, d.newDocument().kinds.length);
  }

  @Test
  void anUnregisteredPathIsRejected() {
    DocumentDecoder d = new DocumentDecoder(Paths.paths("a"));
    assertThrows(IllegalArgumentException.class, () -> d.slotOf(Paths.path("b")));
  }

  @Test
  void stringEscapesAreDecoded() {
    Run r = new Run("s", "u");
    r.decode("{\"s\":\"q\\\"b\\\\s\\/n\\nt\\tu\\u00e9\\ud83d\\ude00\",\"u\":\"é€😀\"}");
    assertNull(r.reason);
    assertEquals("q\"b\\s/n\nt\tué\ud83d\ude00", r.string("s"));
    assertEquals("é€😀", r.string("u"));
  }

  @Test
  void keysAreMatchedAfterUnescaping() {
    Run r = new Run("a.b", "[\"x y\"]", "[\"é\"]");
    r.decode("{\"\\u0061\":{\"\\u0062\":1},\"x\\u0020y\":2,\"\\u00e9\":3}");
    assertNull(r.reason);
    assertEquals(1, r.integer("a.b"));
    assertEquals(2, r.integer("[\"x y\"]"));
    assertEquals(3, r.integer("[\"é\"]"));
  }

  // ---- duplicate keys ----

  @Test
  void duplicateKeysLastWins() {
    Run r = new Run("a", "b");
    r.decode("{\"a\":1,\"b\":true,\"a\":\"x\",\"b\":null}");
    assertNull(r.reason);
    assertEquals("x", r.string("a"));
    assertEquals(MISSING, r.kind("b"));
    r.decode("{\"a\":\"x\",\"a\":7}");
    assertEquals(7, r.integer("a"));
    assertNull(r.doc.stringValue(r.slot("a")));
  }

  @Test
  void aDuplicateReplacesAnEarlierObjectAndForgetsItsCapturedChildren() {
    Run r = new Run("a", "a.b", "a.c", "a.b.d");
    r.decode("{\"a\":{\"b\":{\"d\":\"deep\"},\"c\":2},\"a\":{\"c\":3}}");
    assertNull(r.reason);
    assertEquals(OBJECT, r.kind("a"));
    assertEquals(MISSING, r.kind("a.b"));
    assertEquals(MISSING, r.kind("a.b.d"));
    assertEquals(3, r.integer("a.c"));

    r.decode("{\"a\":{\"b\":1,\"c\":2},\"a\":5}");
    assertEquals(5, r.integer("a"));
    assertEquals(MISSING, r.kind("a.b"));
    assertEquals(MISSING, r.kind("a.c"));

    r.decode("{\"a\":{\"b\":1,\"c\":2},\"a\":null}");
    assertEquals(MISSING, r.kind("a"));
    assertEquals(MISSING, r.kind("a.b"));
    assertEquals(MISSING, r.kind("a.c"));

    r.decode("{\"a\":{\"b\":{\"d\":1}},\"a\":{\"b\":\"s\"}}");
    assertEquals("s", r.string("a.b"));
    assertEquals(MISSING, r.kind("a.b.d"));
  }

  @Test
  void aDuplicateArrayReplacesTheEarlierElements() {
    Run r = new Run("l[0]", "l[1]", "l[1].k");
    r.decode("{\"l\":[1,{\"k\":\"v\"}],\"l\":[3]}");
    assertNull(r.reason);
    assertEquals(3, r.integer("l[0]"));
    assertEquals(MISSING, r.kind("l[1]"));
    assertEquals(MISSING, r.kind("l[1].k"));
  }

  @Test
  void duplicatesInsideNestedObjectsAndAcrossDocuments() {
    Run r = new Run("a.b", "a.c");
    r.decode("{\"a\":{\"b\":1,\"c\":1,\"b\":2}}");
    assertEquals(2, r.integer("a.b"));
    assertEquals(1, r.integer("a.c"));
    // The next document starts afresh: its first copy of a key is not a duplicate of the last
    // document's, and nothing captured before survives.
    r.decode("{\"a\":{\"c\":9}}");
    assertEquals(MISSING, r.kind("a.b"));
    assertEquals(9, r.integer("a.c"));
    r.decode("{\"a\":{\"b\":4}}");
    assertEquals(4, r.integer("a.b"));
    assertEquals(MISSING, r.kind("a.c"));
  }

  @Test
  void anEarlierCopyThatWasSkippedDoesNotClearALaterCapture() {
    Run r = new Run("a.b");
    r.decode("{\"a\":{\"b\":1},\"z\":{\"a\":{\"b\":2}}}");
    assertEquals(1, r.integer("a.b"));
  }

  // ---- numbers ----

  @Test
  void integersAreNumbersWithoutFractionOrExponentThatFit64Bits() {
    Run r = new Run("n");
    assertEquals(100, r.decode("{\"n\":100}").integer("n"));
    assertEquals(0, r.decode("{\"n\":-0}").integer("n"));
    assertEquals(Long.MAX_VALUE, r.decode("{\"n\":9223372036854775807}").integer("n"));
    assertEquals(Long.MIN_VALUE, r.decode("{\"n\":-9223372036854775808}").integer("n"));
    assertEquals(2_147_483_648L, r.decode("{\"n\":2147483648}").integer("n"));
    for (String other : List.of("100.0", "1e2", "1E2", "1e+2", "1e-2", "-1.5", "0.0", "0e0",
        "9223372036854775808", "-9223372036854775809", "18446744073709551616",
        "1" + "0".repeat(1000), "-" + "9".repeat(5000), "1." + "5".repeat(5000))) {
      r.decode("{\"n\":" + other + "}");
      assertNull(r.reason, other);
      assertEquals(OTHER_NUMBER, r.kind("n"), other);
      assertNull(r.keyText("n"), other);
    }
  }

  @Test
  void longNumbersKeysAndStringsAreFineWhereverTheyAre() {
    // Jackson's default limits (1000-digit numbers, 50,000-byte names) would make these valid
    // JSON objects malformed; the contract knows no such limits.
    Run r = new Run("c", "k" + "x".repeat(199));
    String longKey = "k" + "x".repeat(199);
    r.decode("{\"skipped\":" + "7".repeat(100_000) + ",\"" + "n".repeat(60_000) + "\":1,"
        + "\"s\":\"" + "z".repeat(500_000) + "\",\"c\":\"ok\",\"" + longKey + "\":5}");
    assertNull(r.reason);
    assertEquals("ok", r.string("c"));
    assertEquals(5, r.integer(longKey));
  }

  @Test
  void aLongKeyIsCapturedLikeAShortOne() {
    // Names longer than 64 bytes once took another path (Jackson's symbol table stopped at 64
    // bytes); they must still match, repeat and fail like short ones.
    String longKey = "a".repeat(65);
    Run r = new Run(longKey + ".b", "c", "d[1]");
    r.decode("{\"c\":1,\"" + longKey + "\":{\"b\":\"x\"},\"d\":[0,true]," + "\"c\":2}");
    assertNull(r.reason);
    assertEquals("x", r.string(longKey + ".b"));
    assertEquals(2, r.integer("c"));
    assertEquals(true, r.bool("d[1]"));
    r.decode("{\"" + longKey + "\":{\"b\":\"x\"},\"" + longKey + "\":{}}");
    assertEquals(MISSING, r.kind(longKey + ".b"));
    r.decode("{\"" + longKey + "\":1,\"c\":");
    assertEquals(NOT_JSON, r.reason);
  }

  @Test
  void keyTextOfStringsAndIntegers() {
    Run r = new Run("k");
    assertEquals("42", r.decode("{\"k\":42}").keyText("k"));
    assertEquals("42", r.decode("{\"k\":\"42\"}").keyText("k"));
    assertEquals("-7", r.decode("{\"k\":-7}").keyText("k"));
    assertEquals("", r.decode("{\"k\":\"\"}").keyText("k"));
    assertNull(r.decode("{\"k\":true}").keyText("k"));
    assertNull(r.decode("{\"k\":12.5}").keyText("k"));
    assertNull(r.decode("{\"k\":{}}").keyText("k"));
    assertNull(r.decode("{\"k\":[]}").keyText("k"));
    assertNull(r.decode("{}").keyText("k"));
  }

  // ---- what is not a document ----

  @ParameterizedTest(name = "[{index}] {0}")
  @ValueSource(strings = {
      "{\"a\":1} x", "{\"a\":1}{}", "{\"a\":1} {\"a\":2}", "{\"a\":1},", "{\"a\":1}]", "{\"a\":1}}",
      "{\"a\":1} 2", "{\"a\":1}\u0000", "{} // comment", "{} null",
  })
  void trailingContentAfterTheObjectIsNotValidJson(String text) {
    assertEquals(NOT_JSON, new Run("a").decode(text).reason);
  }

  @Test
  void whitespaceAroundTheObjectIsFine() {
    Run r = new Run("a");
    assertNull(r.decode("  \t{\"a\":1} \t ").reason);
    assertNull(r.decode("{ \"a\" : 1 }\r").reason);
    assertEquals(1, r.integer("a"));
  }

  @ParameterizedTest(name = "[{index}] {0}")
  @ValueSource(strings = {
      "[]", "[1,2]", "[{\"a\":1}]", "\"text\"", "42", "-1.5", "true", "false", "null", " [ ] ",
  })
  void otherJsonValuesAtTheRootAreNotObjects(String text) {
    assertEquals(NOT_OBJECT, new Run("a").decode(text).reason);
  }

  @ParameterizedTest(name = "[{index}] {0}")
  @ValueSource(strings = {
      "", " ", "{", "}", "{\"a\"", "{\"a\":", "{\"a\":1", "{\"a\":1,", "{\"a\":\"x", "{\"a\":[1,2",
      "{\"a\":{\"b\":1}", "{\"a\" 1}", "{a:1}", "{'a':1}", "{\"a\":1,}", "{\"a\":01}",
      "{\"a\":NaN}", "{\"a\":Infinity}", "{\"a\":+1}", "{\"a\":.5}", "{\"a\":1.}", "{\"a\":\"\\x\"}",
      "{\"a\":\"\\u12\"}", "{\"a\":\"tab\there\"}", "{\"a\":\"nl\nhere\"}", "{\"a\":tru}",
      "{\"a\":nul}", "[1,", "42 43", "\"unterminated", "[1]]", "\u0000", "{\u0000}",
      "{\"a\":1}\f", "\u00a0{\"a\":1}", "\ufeff\ufeff{}",
  })
  void truncatedOrInvalidJsonIsNotValidJson(String text) {
    assertEquals(NOT_JSON, new Run("a").decode(text).reason);
  }

  @Test
  void aByteOrderMarkBeforeTheObjectIsTolerated() {
    // Jackson skips one UTF-8 BOM at the start of a text, as RFC 8259 allows a parser to do.
    Run r = new Run("a");
    assertNull(r.decode(concat("", bytes(0xEF, 0xBB, 0xBF), "{\"a\":1}")).reason);
    assertEquals(1, r.integer("a"));
  }

  @Test
  void aMalformedDocumentLeavesNothingCaptured() {
    Run r = new Run("a", "b");
    r.decode("{\"a\":1,\"b\":2}");
    assertEquals(1, r.integer("a"));
    r.decode("{\"a\":5,\"b\":");
    assertEquals(NOT_JSON, r.reason);
    r.decode("{\"b\":3}");
    assertEquals(MISSING, r.kind("a"));
    assertEquals(3, r.integer("b"));
  }

  @Test
  void decodesASliceOfALargerBuffer() {
    Run r = new Run("a");
    byte[] buf = "garbage{\"a\":7}more garbage".getBytes(StandardCharsets.UTF_8);
    assertNull(r.decoder.decode(buf, 7, 7, r.doc));
    assertEquals(7, r.integer("a"));
    // A slice that ends inside the object is truncated.
    assertEquals(NOT_JSON, r.decoder.decode(buf, 7, 6, r.doc));
  }

  // ---- UTF-8 ----

  /** Byte sequences that are not UTF-8 (RFC 3629), including those Jackson alone accepts. */
  private static final byte[][] INVALID_UTF8 = {
      bytes(0x80), // a continuation byte alone
      bytes(0xBF),
      bytes(0xC0, 0x80), // overlong NUL, which Jackson decodes to U+0000
      bytes(0xC1, 0xBF), // overlong
      bytes(0xC3), // truncated 2-byte sequence
      bytes(0xC3, 0x28), // bad continuation
      bytes(0xE0, 0x80, 0x80), // overlong 3-byte
      bytes(0xE0, 0x9F, 0xBF), // overlong 3-byte (U+07FF)
      bytes(0xED, 0xA0, 0x80), // encoded high surrogate U+D800
      bytes(0xED, 0xBF, 0xBF), // encoded low surrogate U+DFFF
      bytes(0xED, 0xA0, 0xBD, 0xED, 0xB8, 0x80), // CESU-8 pair
      bytes(0xE2, 0x82), // truncated 3-byte sequence
      bytes(0xE2, 0x28, 0xA1),
      bytes(0xF0, 0x80, 0x80, 0x80), // overlong 4-byte
      bytes(0xF0, 0x8F, 0xBF, 0xBF), // overlong 4-byte (U+FFFF)
      bytes(0xF4, 0x90, 0x80, 0x80), // above U+10FFFF
      bytes(0xF5, 0x80, 0x80, 0x80),
      bytes(0xF0, 0x9F, 0x98), // truncated 4-byte sequence
      bytes(0xF8, 0x88, 0x80, 0x80, 0x80), // 5-byte form
      bytes(0xFC, 0x84, 0x80, 0x80, 0x80, 0x80),
      bytes(0xFE),
      bytes(0xFF),
  };

  @Test
  void invalidUtf8InACapturedStringIsNotValidJson() {
    Run r = new Run("c");
    for (byte[] bad : INVALID_UTF8) {
      r.decode(concat("{\"c\":\"x", bad, "y\"}"));
      assertEquals(NOT_JSON, r.reason, Arrays.toString(bad));
    }
  }

  @Test
  void invalidUtf8InASkippedStringIsNotValidJson() {
    Run r = new Run("c");
    for (byte[] bad : INVALID_UTF8) {
      String what = Arrays.toString(bad);
      assertEquals(NOT_JSON, r.decode(concat("{\"s\":\"x", bad, "y\",\"c\":\"ok\"}")).reason, what);
      assertEquals(NOT_JSON,
          r.decode(concat("{\"s\":[{\"t\":\"x", bad, "\"}],\"c\":\"ok\"}")).reason, what);
      assertEquals(NOT_JSON, r.decode(concat("{\"c\":\"ok\",\"z\":\"", bad, "\"}")).reason, what);
    }
  }

  @Test
  void invalidUtf8InAKeyIsNotValidJson() {
    Run r = new Run("c");
    for (byte[] bad : INVALID_UTF8) {
      String what = Arrays.toString(bad);
      assertEquals(NOT_JSON, r.decode(concat("{\"x", bad, "y\":1,\"c\":\"ok\"}")).reason, what);
      assertEquals(NOT_JSON, r.decode(concat("{\"c", bad, "\":1}")).reason, what);
      // Also in a key long enough for the second parser.
      assertEquals(NOT_JSON, r.decode(concat("{\"" + "k".repeat(300), bad, "\":1}")).reason, what);
    }
  }

  @Test
  void invalidUtf8OutsideStringsIsNotValidJson() {
    Run r = new Run("c");
    for (byte[] bad : INVALID_UTF8) {
      assertEquals(NOT_JSON, r.decode(concat("{\"c\":1}", bad, "")).reason);
      assertEquals(NOT_JSON, r.decode(concat("", bad, "{\"c\":1}")).reason);
      assertEquals(NOT_JSON, r.decode(bad).reason);
    }
  }

  @Test
  void validMultiByteUtf8IsKept() {
    Run r = new Run("c", "[\"ключ\"]");
    String[] samples = {"é", "ß", "€", "\u07FF", "\u0800", "\uD7FF", "\uE000", "\uFFFD", "\uFFFF",
        "😀", "\uDBFF\uDFFF", "\uD800\uDC00", "日本語", "a\u2028b"};
    for (String s : samples) {
      r.decode("{\"c\":\"" + s + "\",\"ключ\":\"" + s + "\"}");
      assertNull(r.reason, s);
      assertEquals(s, r.string("c"));
      assertEquals(s, r.string("[\"ключ\"]"));
    }
  }

  @Test
  void anEscapedLoneSurrogateIsValidJson() {
    // \ud800 is ASCII text; JSON allows it, and the string holds a lone surrogate.
    Run r = new Run("c");
    assertEquals("\ud800", r.decode("{\"c\":\"\\ud800\"}").string("c"));
  }

  // ---- nesting and size ----

  private static String nestedArrays(int depth) {
    return "[".repeat(depth) + "]".repeat(depth);
  }

  @Test
  void nestingUpTo500LevelsIsFine() {
    Run r = new Run("c");
    // The root object is level 1: an array 499 deep inside it makes 500 levels.
    assertNull(r.decode("{\"x\":" + nestedArrays(499) + ",\"c\":1}").reason);
    assertEquals(1, r.integer("c"));
    assertNull(r.decode("{\"x\":" + "{\"a\":".repeat(499) + "1" + "}".repeat(499) + "}").reason);
  }

  @Test
  void nestingDeeperThan500LevelsIsMalformedWithAReason() {
    Run r = new Run("c", "a.a.a");
    assertEquals(TOO_DEEP, r.decode("{\"x\":" + nestedArrays(500) + ",\"c\":1}").reason);
    assertEquals(TOO_DEEP,
        r.decode("{\"x\":" + "{\"a\":".repeat(500) + "1" + "}".repeat(500) + "}").reason);
    // Along a path the decoder walks, not only in skipped subtrees.
    assertEquals(TOO_DEEP,
        r.decode("{\"a\":" + "{\"a\":".repeat(500) + "1" + "}".repeat(500) + "}").reason);
    assertEquals(MISSING, r.kind("c"));
    // An array root that deep: also about the depth.
    assertEquals(TOO_DEEP, r.decode(nestedArrays(501)).reason);
  }

  @Test
  void theDepthLimitIsConfigurable() {
    Run r = new Run(3, "a.b");
    assertNull(r.decode("{\"a\":{\"b\":[1]}}").reason);
    assertEquals("document nested deeper than 3 levels", r.decode("{\"a\":{\"b\":[[1]]}}").reason);
  }

  @Test
  void nesting100000DeepNeitherOverflowsTheStackNorPasses() throws Exception {
    String[] docs = {
        "{\"x\":" + nestedArrays(100_000) + "}",
        "{\"x\":" + "[".repeat(100_000), // never closed
        "{\"a\":" + "{\"a\":".repeat(100_000) + "1" + "}".repeat(100_000) + "}", // along a path
        "{\"x\":" + "{\"k\":".repeat(100_000) + "1" + "}".repeat(100_000) + "}",
        nestedArrays(100_000),
    };
    // A small stack: the decoder must not recurse with the input's depth.
    AtomicReference<Object> result = new AtomicReference<>();
    Thread t = new Thread(null, () -> {
      try {
        Run r = new Run("a.a.a", "c");
        String[] reasons = new String[docs.length];
        for (int i = 0; i < docs.length; i++) {
          reasons[i] = r.decode(docs[i]).reason;
        }
        result.set(reasons);
      } catch (Throwable e) {
        result.set(e);
      }
    }, "small-stack", 256 * 1024);
    t.start();
    t.join();
    if (result.get() instanceof Throwable e) {
      throw new AssertionError("decoding deep documents threw", e);
    }
    String[] reasons = (String[]) result.get();
    for (String reason : reasons) {
      assertEquals(TOO_DEEP, reason);
    }
  }

  @Test
  void aDocumentWithAMillionKeysDecodes() {
    StringBuilder sb = new StringBuilder(16_000_000).append('{');
    for (int i = 0; i < 1_000_000; i++) {
      sb.append("\"k").append(i).append("\":").append(i).append(',');
    }
    sb.append("\"k500000\":\"dup\",\"c\":7}");
    byte[] doc = sb.toString().getBytes(StandardCharsets.UTF_8);
    Run r = new Run("c", "k999999", "k500000", "k0");
    assertTimeoutPreemptively(Duration.ofSeconds(60), () -> {
      for (int round = 0; round < 2; round++) {
        r.decode(doc);
        assertNull(r.reason);
        assertEquals(7, r.integer("c"));
        assertEquals(999_999, r.integer("k999999"));
        assertEquals(0, r.integer("k0"));
        assertEquals("dup", r.string("k500000"));
      }
    });
  }

  @Test
  void freshLongKeysInEveryDocumentStayCheap() {
    // Regression: with field names canonicalized in Jackson's shared symbol table, each new long
    // name copied the table's whole long-name area and up to 6000 names were kept across
    // documents, so this loop took minutes and retained hundreds of MB. Now it takes seconds.
    Run r = new Run("c");
    String filler = "x".repeat(20_000);
    assertTimeoutPreemptively(Duration.ofSeconds(60), () -> {
      for (int doc = 0; doc < 1000; doc++) {
        StringBuilder sb = new StringBuilder(210_000).append("{\"c\":").append(doc);
        for (int k = 0; k < 10; k++) {
          sb.append(",\"").append(doc).append('-').append(k).append(filler).append("\":1");
        }
        r.decode(sb.append('}').toString());
        assertNull(r.reason);
        assertEquals(doc, r.integer("c"));
      }
    });
  }

  // ---- robustness ----

  @Test
  void randomAndMutatedBytesNeverThrow() {
    Run r = new Run("a", "a.b", "l[0]", "s");
    SplittableRandom rnd = new SplittableRandom(2024);
    byte[] seed = "{\"a\":{\"b\":[1,2.5,\"x\",true,null,{\"c\":\"é😀\"}]},\"l\":[{}],\"s\":\"\\u00e9\"}"
        .getBytes(StandardCharsets.UTF_8);
    for (int i = 0; i < 50_000; i++) {
      byte[] doc;
      if (i % 2 == 0) {
        doc = new byte[rnd.nextInt(0, 64)];
        rnd.nextBytes(doc);
      } else {
        doc = seed.clone();
        for (int m = rnd.nextInt(1, 4); m > 0; m--) {
          doc[rnd.nextInt(doc.length)] = (byte) rnd.nextInt(256);
        }
        if (rnd.nextBoolean()) {
          doc = Arrays.copyOf(doc, rnd.nextInt(doc.length + 1));
        }
      }
      String reason = r.decode(doc).reason; // must not throw
      if (reason == null) {
        // Whatever was accepted is valid UTF-8 JSON, so a strict parse agrees.
        assertArrayEquals(doc, new String(doc, StandardCharsets.UTF_8).getBytes(StandardCharsets.UTF_8),
            "accepted invalid UTF-8");
      }
    }
  }

  /**
   * Strings are kept as bytes until asked for: equality and time parsing read the bytes, and
   * must give what the made string would. Escaped values, non-ASCII text and literals that
   * only an escape can spell (a lone surrogate) are the cases where bytes and text differ.
   */
  @Test
  void stringsComparedAndParsedFromTheirBytesAgreeWithTheirText() {
    Run r = new Run("t", "e", "u", "s", "q", "n");
    r.decode("{\"t\":\"2026-03-02T14:30:00.010+05:30\",\"e\":\"payment\\u002ecaptured\","
        + "\"u\":\"caf\u00e9\",\"s\":\"\\ud800\",\"q\":\"?\",\"n\":7}");
    Document d = r.doc;
    int t = r.slot("t");
    int e = r.slot("e");
    int u = r.slot("u");
    int s = r.slot("s");
    int q = r.slot("q");
    assertEquals(Rfc3339.parse("2026-03-02T14:30:00.010+05:30"), d.timeValue(t));
    assertEquals(Rfc3339.INVALID, d.timeValue(u), "non-ASCII text is no time");
    String lone = "\ud800";
    assertEquals(null, Document.utf8Of(lone), "a lone surrogate has no UTF-8");
    assertEquals(true, d.stringEquals(e, "payment.captured", Document.utf8Of("payment.captured")),
        "an escaped value equals its text");
    assertEquals(true, d.stringEquals(u, "caf\u00e9", Document.utf8Of("caf\u00e9")));
    assertEquals(false, d.stringEquals(u, "cafe", Document.utf8Of("cafe")));
    assertEquals(false, d.stringEquals(q, lone, Document.utf8Of(lone)),
        "\"?\" is not a lone surrogate, though getBytes would make one a ?");
    assertEquals(true, d.stringEquals(s, lone, Document.utf8Of(lone)), "its escape is");
    assertEquals(false, d.stringEquals(t, "2026", Document.utf8Of("2026")), "a prefix is not equal");
    // Made on demand, and the same afterwards.
    assertEquals("caf\u00e9", d.stringValue(u));
    assertEquals(true, d.stringEquals(u, "caf\u00e9", Document.utf8Of("caf\u00e9")));
    assertEquals("7", d.keyText(r.slot("n")));
    assertEquals("2026-03-02T14:30:00.010+05:30", d.keyText(t));
  }
}
