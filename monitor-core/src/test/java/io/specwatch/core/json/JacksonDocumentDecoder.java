package io.specwatch.core.json;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import io.specwatch.core.program.DocPath;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The decoder as it was before the byte-level scanner (session 4), kept as the reference that
 * {@link DocumentDecoderDifferentialTest} holds {@link DocumentDecoder} to: a UTF-8 check, then
 * Jackson's streaming parser, capturing the values at the paths of a trie.
 *
 * <p>One deliberate difference is applied on top of the old code: Jackson guesses UTF-16 or
 * UTF-32 when one of the first four bytes is zero, and could then accept a line that is not
 * UTF-8 JSON. RFC 8259 and the contract say JSON text is UTF-8, where a zero byte is never valid,
 * so such a line is "not valid JSON" here as in the scanner.
 */
final class JacksonDocumentDecoder {
  private static final String NOT_JSON = DocumentDecoder.NOT_JSON;
  private static final String NOT_OBJECT = DocumentDecoder.NOT_OBJECT;

  private static final class Node {
    final Map<String, Node> keys = new HashMap<>();
    final Map<Integer, Node> indexes = new HashMap<>();
    int slot = -1;
    int[] subtreeSlots = new int[0];
    int seenGeneration;
  }

  /** Longest field name the symbol-table parser takes (see the constructor). */
  static final int CANONICAL_NAME_BYTES = 64;

  /** Marks a document the canonicalizing parser gave up on; never returned to callers. */
  private static final String RETRY = new String("retry");

  private final JsonFactory canonical;
  private final JsonFactory plain;
  private final Node root = new Node();
  private final Map<DocPath, Integer> slots = new LinkedHashMap<>();
  private final int maxDepth;
  private int generation;

  JacksonDocumentDecoder(List<DocPath> paths, int maxDepth) {
    this.maxDepth = maxDepth;
    // Two parsers. The usual one canonicalizes field names in Jackson's shared symbol table, which
    // is what makes parsing fast. That table keeps up to 6000 names across documents and copies
    // its whole long-name area whenever a document adds a name, so lines with fresh long keys made
    // parsing quadratic and retained hundreds of MB. The usual parser therefore only takes names
    // up to CANONICAL_NAME_BYTES; a document with a longer name goes to the second parser, which
    // keeps no names. Apart from the nesting depth, nothing limits a document but its size
    // (checked by the source): a valid JSON object with a long number, key or string is a
    // document, as the contract says.
    this.canonical = JsonFactory.builder()
        .disable(JsonFactory.Feature.INTERN_FIELD_NAMES) // names are looked up with equals()
        .streamReadConstraints(StreamReadConstraints.builder()
            .maxNestingDepth(maxDepth)
            .maxNameLength(CANONICAL_NAME_BYTES)
            .maxNumberLength(Integer.MAX_VALUE)
            .maxStringLength(Integer.MAX_VALUE)
            .build())
        .build();
    this.plain = JsonFactory.builder()
        .disable(JsonFactory.Feature.CANONICALIZE_FIELD_NAMES)
        .disable(JsonFactory.Feature.INTERN_FIELD_NAMES)
        .streamReadConstraints(StreamReadConstraints.builder()
            .maxNestingDepth(maxDepth)
            .maxNameLength(Integer.MAX_VALUE)
            .maxNumberLength(Integer.MAX_VALUE)
            .maxStringLength(Integer.MAX_VALUE)
            .build())
        .build();
    for (DocPath p : paths) {
      slots.computeIfAbsent(p, this::insert);
    }
    computeSubtreeSlots(root);
  }

  private int insert(DocPath path) {
    Node n = root;
    for (DocPath.Segment s : path.segments()) {
      n = s.isKey() ? n.keys.computeIfAbsent(s.key(), k -> new Node())
          : n.indexes.computeIfAbsent(s.index(), k -> new Node());
    }
    n.slot = slots.size();
    return n.slot;
  }

  private static List<Integer> computeSubtreeSlots(Node n) {
    List<Integer> all = new ArrayList<>();
    if (n.slot >= 0) {
      all.add(n.slot);
    }
    for (Node c : n.keys.values()) {
      all.addAll(computeSubtreeSlots(c));
    }
    for (Node c : n.indexes.values()) {
      all.addAll(computeSubtreeSlots(c));
    }
    n.subtreeSlots = all.stream().mapToInt(Integer::intValue).toArray();
    return all;
  }

  /** The document slot of {@code path}, which must be one of the paths given at construction. */
  public int slotOf(DocPath path) {
    Integer s = slots.get(path);
    if (s == null) {
      throw new IllegalArgumentException("path " + path + " was not registered with the decoder");
    }
    return s;
  }

  public Document newDocument() {
    return new Document(slots.size());
  }

  /**
   * Decodes one document into {@code out}.
   *
   * @return null when the bytes are one JSON object, else the reason it is malformed
   */
  public String decode(byte[] buf, int off, int len, Document out) {
    // JSON text is UTF-8 (RFC 8259). Jackson lets overlong forms, encoded surrogates and code
    // points above U+10FFFF through, even in strings it skips, so the bytes are checked first.
    if (!Utf8.isValid(buf, off, len) || zeroInFirstFour(buf, off, len)) {
      out.clear();
      return NOT_JSON;
    }
    String reason = parse(canonical, buf, off, len, out);
    if (reason == RETRY) {
      reason = parse(plain, buf, off, len, out);
    }
    return reason;
  }

  private static boolean zeroInFirstFour(byte[] buf, int off, int len) {
    for (int i = off; i < off + Math.min(4, len); i++) {
      if (buf[i] == 0) {
        return true;
      }
    }
    return false;
  }

  private String parse(JsonFactory factory, byte[] buf, int off, int len, Document out) {
    out.clear();
    generation++;
    try (JsonParser p = factory.createParser(buf, off, len)) {
      JsonToken t = p.nextToken();
      if (t == null) {
        return NOT_JSON;
      }
      if (t != JsonToken.START_OBJECT) {
        // An array, a string, a number...: "not a JSON object" only if it is valid JSON at all.
        p.skipChildren();
        return p.nextToken() == null ? NOT_OBJECT : NOT_JSON;
      }
      walkObject(p, root, out);
      if (p.nextToken() != null) {
        return NOT_JSON; // trailing content after the object
      }
      return null;
    } catch (StreamConstraintsException e) {
      // The canonicalizing parser also limits name length; the plain one only the depth.
      return factory == canonical ? RETRY : "document nested deeper than " + maxDepth + " levels";
    } catch (IOException e) {
      return NOT_JSON;
    }
  }

  private void walkObject(JsonParser p, Node node, Document out) throws IOException {
    JsonToken t;
    while ((t = p.nextToken()) == JsonToken.FIELD_NAME) {
      Node child = node.keys.isEmpty() ? null : node.keys.get(p.currentName());
      JsonToken value = p.nextToken();
      if (child == null) {
        p.skipChildren();
      } else {
        capture(p, value, child, out);
      }
    }
    if (t != JsonToken.END_OBJECT) {
      throw new IOException("unexpected token " + t);
    }
  }

  private void walkArray(JsonParser p, Node node, Document out) throws IOException {
    int index = 0;
    JsonToken value;
    while ((value = p.nextToken()) != JsonToken.END_ARRAY) {
      if (value == null) {
        throw new IOException("unexpected end of input");
      }
      Node child = node.indexes.isEmpty() ? null : node.indexes.get(index);
      if (child == null) {
        p.skipChildren();
      } else {
        capture(p, value, child, out);
      }
      index++;
    }
  }

  private void capture(JsonParser p, JsonToken value, Node node, Document out) throws IOException {
    if (node.seenGeneration == generation) {
      // A duplicate key: forget what the earlier copy captured, the last one wins.
      for (int s : node.subtreeSlots) {
        out.kinds[s] = JsonKind.MISSING;
        out.strings[s] = null;
      }
    }
    node.seenGeneration = generation;
    int slot = node.slot;
    switch (value) {
      case START_OBJECT -> {
        set(out, slot, JsonKind.OBJECT);
        if (node.keys.isEmpty()) {
          p.skipChildren();
        } else {
          walkObject(p, node, out);
        }
      }
      case START_ARRAY -> {
        set(out, slot, JsonKind.ARRAY);
        if (node.indexes.isEmpty()) {
          p.skipChildren();
        } else {
          walkArray(p, node, out);
        }
      }
      case VALUE_STRING -> {
        if (slot >= 0) {
          out.kinds[slot] = JsonKind.STRING;
          out.strings[slot] = p.getText();
        }
      }
      case VALUE_NUMBER_INT -> {
        if (slot >= 0) {
          JsonParser.NumberType nt = p.getNumberType();
          if (nt == JsonParser.NumberType.INT || nt == JsonParser.NumberType.LONG) {
            out.kinds[slot] = JsonKind.INT;
            out.longs[slot] = p.getLongValue();
          } else {
            out.kinds[slot] = JsonKind.OTHER_NUMBER;
          }
        }
      }
      case VALUE_NUMBER_FLOAT -> set(out, slot, JsonKind.OTHER_NUMBER);
      case VALUE_TRUE -> {
        set(out, slot, JsonKind.BOOL);
        if (slot >= 0) {
          out.longs[slot] = 1;
        }
      }
      case VALUE_FALSE -> {
        set(out, slot, JsonKind.BOOL);
        if (slot >= 0) {
          out.longs[slot] = 0;
        }
      }
      case VALUE_NULL -> set(out, slot, JsonKind.MISSING);
      default -> throw new IOException("unexpected token " + value);
    }
  }

  private static void set(Document out, int slot, byte kind) {
    if (slot >= 0) {
      out.kinds[slot] = kind;
      out.strings[slot] = null;
    }
  }
}
