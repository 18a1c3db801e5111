package io.specwatch.core.json;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.specwatch.core.program.DocPath;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * Holds the byte-level {@link DocumentDecoder} to the Jackson decoder it replaced
 * ({@link JacksonDocumentDecoder}): on many thousands of generated, mutated, truncated and random
 * documents ({@link FuzzDocuments}), both must give the same reason and, for a document, the same
 * kind and value in every slot. Seeded ({@code -Dspecwatch.fuzz.seed=N} to vary it) and bounded in
 * count and time; a mismatch prints the seed, the document number and the input.
 */
class DocumentDecoderDifferentialTest {
  private static final long SEED = Long.getLong("specwatch.fuzz.seed", 20261121L);
  private static final int DOCUMENTS = Integer.getInteger("specwatch.fuzz.documents", 150_000);
  private static final long MAX_MILLIS = Long.getLong("specwatch.fuzz.millis", 4_000);
  /** Enough to mean something even on a loaded machine. */
  private static final int MIN_DOCUMENTS = 10_000;

  private static List<DocPath> paths() {
    List<DocPath> paths = new ArrayList<>(Paths.paths("a", "a.b", "a.b.c", "a.a", "a.a.a", "l",
        "l[0]", "l[1].k", "l[2][0]", "l[0][1]", "payment_id", "[\"x y\"]", "[\"é\"]",
        "[\"ключ\"]", "m[0]", "m[3]", "s", "n", "d.d", "k", "c.b[1]", "[\"\"]", "[\"a/b\"]",
        "ts", "type", "z[0].a"));
    paths.add(new DocPath(List.of(DocPath.Segment.key(FuzzDocuments.LONG_NAME))));
    paths.add(new DocPath(List.of(DocPath.Segment.key(FuzzDocuments.LONG_NAME),
        DocPath.Segment.key("a"))));
    paths.add(new DocPath(List.of(DocPath.Segment.key("\"q"))));
    paths.add(new DocPath(List.of(DocPath.Segment.key("q\""))));
    paths.add(new DocPath(List.of(DocPath.Segment.key("\ud800")))); // only reachable escaped
    return paths;
  }

  @Test
  void theScannerAgreesWithJacksonOnGeneratedDocuments() {
    List<DocPath> paths = paths();
    // The default depth limit, and a small one that generated documents reach often.
    Pair deep = new Pair(paths, DocumentDecoder.DEFAULT_MAX_DEPTH);
    Pair shallow = new Pair(paths, 6);
    SplittableRandom rnd = new SplittableRandom(SEED);
    FuzzDocuments deepDocs = new FuzzDocuments(rnd, DocumentDecoder.DEFAULT_MAX_DEPTH);
    FuzzDocuments shallowDocs = new FuzzDocuments(rnd, 6);
    long deadline = System.currentTimeMillis() + MAX_MILLIS;
    int n = 0;
    java.util.Map<String, Integer> outcomes = new java.util.TreeMap<>();
    for (; n < DOCUMENTS && (n % 1000 != 0 || System.currentTimeMillis() < deadline); n++) {
      boolean small = n % 8 != 0;
      byte[] doc = (small ? shallowDocs : deepDocs).next();
      // Somewhere in a larger buffer, between bytes that must not be read.
      int before = rnd.nextInt(4);
      int after = rnd.nextInt(12);
      byte[] buf = new byte[before + doc.length + after];
      for (int i = 0; i < buf.length; i++) {
        buf[i] = (byte) "\"}]x\\ 1{".charAt(rnd.nextInt(8));
      }
      System.arraycopy(doc, 0, buf, before, doc.length);
      String reason = (small ? shallow : deep).check(buf, before, doc.length, n);
      outcomes.merge(reason == null ? "accepted" : reason, 1, Integer::sum);
    }
    int accepted = outcomes.getOrDefault("accepted", 0);
    System.out.println("differential: seed " + SEED + ", " + n + " documents: " + outcomes);
    assertTrue(n >= MIN_DOCUMENTS, "only " + n + " documents in " + MAX_MILLIS + " ms");
    // The generator must keep producing both outcomes, or the comparison says little.
    assertTrue(accepted > n / 10 && accepted < n * 9 / 10,
        accepted + " of " + n + " documents accepted");
    for (String reason : List.of(DocumentDecoder.NOT_JSON, DocumentDecoder.NOT_OBJECT,
        "document nested deeper than 6 levels", "document nested deeper than 500 levels")) {
      assertTrue(outcomes.getOrDefault(reason, 0) > n / 1000, "too few \"" + reason + "\"");
    }
  }

  @Test
  void handPickedEdgesAgree() {
    Pair pair = new Pair(paths(), 3);
    String[] docs = {
        "{\"p\\u0061yment_id\":\"p-1\"}", "{\"\\ud800\":1}", "{\"\\uD800\":1}",
        "{\"" + FuzzDocuments.LONG_NAME + "\":{\"a\":2}}", "{\"n\":-0}", "{\"n\":-0.0}",
        "{\"n\":9223372036854775807}", "{\"n\":9223372036854775808}", "{\"s\":\"\\ud83d\\ude00\"}",
        "{\"s\":\"\\ud800\"}", "{\"a\":{\"b\":{\"c\":1}}}", "{\"a\":{\"b\":{\"c\":[1]}}}",
        "{\"a\":{\"b\":{\"c\":{}}}}", "[[[]]]", "[[[[]]]]", "{\"x\":[[[1]]]}", "\uFEFF{}",
        "\uFEFF", " \uFEFF{}", "{\"l\":[[0,7],{\"k\":1},[5]],\"l\":[[1,8]]}", "{}\u00e9",
        "{\"a\":[[[[", "{\"a\":[[[[\u00e9", "{\"x\":\"\u0000\"}", "\"\\u0000\"", "123", "-",
        "{\"n\":1}  ", "{\"a\":truex}", "{\"a\":nulll}", "{\"a\":fals}", "{\"a\":true,}",
    };
    for (int i = 0; i < docs.length; i++) {
      byte[] b = docs[i].getBytes(StandardCharsets.UTF_8);
      pair.check(b, 0, b.length, i);
    }
  }

  /** The two decoders over the same paths. */
  private static final class Pair {
    final DocumentDecoder scanner;
    final JacksonDocumentDecoder jackson;
    final Document scanned;
    final Document reference;
    final int slots;

    Pair(List<DocPath> paths, int maxDepth) {
      scanner = new DocumentDecoder(paths, maxDepth);
      jackson = new JacksonDocumentDecoder(paths, maxDepth);
      scanned = scanner.newDocument();
      reference = jackson.newDocument();
      slots = scanned.kinds.length;
      for (DocPath p : paths) {
        assertEquals(jackson.slotOf(p), scanner.slotOf(p), p.toString());
      }
    }

    /** Decodes with both and compares; returns the reason (null: a document). */
    String check(byte[] buf, int off, int len, int n) {
      String want = jackson.decode(buf, off, len, reference);
      String got;
      try {
        got = scanner.decode(buf, off, len, scanned);
      } catch (RuntimeException e) {
        throw new AssertionError(describe(buf, off, len, n) + ": the scanner threw", e);
      }
      if (!java.util.Objects.equals(want, got)) {
        fail(describe(buf, off, len, n) + ": reason " + quote(got) + ", Jackson " + quote(want));
      }
      if (want != null) {
        // The decoder's promise: a line it rejects leaves nothing captured behind.
        for (int s = 0; s < slots; s++) {
          if (scanned.kinds[s] != JsonKind.MISSING || scanned.strings[s] != null) {
            fail(describe(buf, off, len, n) + ": rejected (" + want + ") but slot " + s
                + " still holds kind " + scanned.kinds[s]);
          }
        }
        return want;
      }
      for (int s = 0; s < slots; s++) {
        byte kind = reference.kinds[s];
        String text = reference.stringValue(s);
        if (kind == JsonKind.STRING && scanned.kinds[s] == kind) {
          // Before the string is made: the byte-level reads must agree with the text.
          if (!scanned.stringEquals(s, text, Document.utf8Of(text))) {
            fail(describe(buf, off, len, n) + ": slot " + s + " is not equal by bytes to "
                + quote(text));
          }
          if (scanned.timeValue(s) != Rfc3339.parse(text)) {
            fail(describe(buf, off, len, n) + ": slot " + s + " reads as time "
                + scanned.timeValue(s) + ", its text as " + Rfc3339.parse(text));
          }
        }
        boolean same = scanned.kinds[s] == kind
            && java.util.Objects.equals(scanned.stringValue(s), text)
            && (kind != JsonKind.INT && kind != JsonKind.BOOL
                || scanned.longs[s] == reference.longs[s]);
        if (!same) {
          fail(describe(buf, off, len, n) + ": slot " + s + " is kind " + scanned.kinds[s] + " "
              + scanned.longs[s] + " " + quote(scanned.stringValue(s)) + ", Jackson kind " + kind
              + " " + reference.longs[s] + " " + quote(text));
        }
      }
      return null;
    }
  }

  private static String describe(byte[] buf, int off, int len, int n) {
    return "seed " + SEED + ", document " + n + " (" + len + " bytes): "
        + quote(new String(buf, off, len, StandardCharsets.UTF_8)) + " hex "
        + HexFormat.of().formatHex(buf, off, off + Math.min(len, 400));
  }

  private static String quote(String s) {
    if (s == null) {
      return "null";
    }
    StringBuilder sb = new StringBuilder();
    JsonText.appendString(sb, s.length() > 400 ? s.substring(0, 400) + "..." : s);
    return sb.toString();
  }
}
