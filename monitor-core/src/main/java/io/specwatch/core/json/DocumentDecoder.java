package io.specwatch.core.json;

import io.specwatch.core.program.DocPath;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Parses a document in one pass over its bytes and captures only the values at the paths the
 * specs use; every other subtree is checked and skipped without being materialised.
 *
 * <p>The paths form a trie of {@link PathNode}s. Walking the document, a member whose name is not
 * in the trie is skipped; a member that is captures its kind and scalar value in the
 * {@link Document} slot of its path. Duplicate keys: the last one wins, so a repeated member first
 * clears what an earlier copy captured below it. The grammar and UTF-8 checks are
 * {@link JsonScanner}'s. One decoder is used by one thread.
 *
 * <p>It replaced Jackson's streaming parser behind a separate UTF-8 pass, which the test tree
 * keeps as the reference of a differential test (see {@link JsonScanner} for the one deliberate
 * difference); it takes about half the time and makes no {@code String} per member name.
 */
public final class DocumentDecoder {
  public static final int DEFAULT_MAX_DEPTH = 500;

  /** Why a line is not a usable document; the text goes into the malformed violation. */
  public static final String NOT_JSON = "not valid JSON";
  public static final String NOT_OBJECT = "not a JSON object";

  private final PathNode root = new PathNode();
  private final Map<DocPath, Integer> slots = new LinkedHashMap<>();
  private final JsonScanner scanner;
  private final String tooDeep;
  private int generation;

  public DocumentDecoder(List<DocPath> paths) {
    this(paths, DEFAULT_MAX_DEPTH);
  }

  public DocumentDecoder(List<DocPath> paths, int maxDepth) {
    // Apart from the nesting depth, nothing limits a document but its size (checked by the
    // source): a valid JSON object with a long number, key or string is a document, as the
    // contract says.
    this.scanner = new JsonScanner(maxDepth);
    this.tooDeep = "document nested deeper than " + maxDepth + " levels";
    for (DocPath p : paths) {
      slots.computeIfAbsent(p, this::insert);
    }
    root.freeze();
  }

  private int insert(DocPath path) {
    PathNode n = root;
    for (DocPath.Segment s : path.segments()) {
      n = s.isKey() ? n.childForKey(s.key()) : n.childForIndex(s.index());
    }
    n.slot = slots.size();
    return n.slot;
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
   * @return null when the bytes are one JSON object, else the reason it is malformed (and
   *     {@code out} is then empty)
   */
  public String decode(byte[] buf, int off, int len, Document out) {
    out.clear();
    out.buf = buf;
    generation++;
    JsonScanner s = scanner;
    s.reset(buf, off, off + len);
    try {
      if (len >= 3 && buf[off] == (byte) 0xEF && buf[off + 1] == (byte) 0xBB
          && buf[off + 2] == (byte) 0xBF) {
        s.pos += 3; // one UTF-8 byte order mark at the start, which RFC 8259 lets a parser skip
      }
      int c = s.skipWhitespace();
      String result = null;
      if (c == '{') {
        s.enter();
        walkObject(root, out);
      } else {
        s.skipValue(c); // an array, a string...: "not a JSON object" only if it is JSON at all
        result = NOT_OBJECT;
      }
      if (s.skipWhitespace() >= 0) {
        throw JsonScanner.NOT_JSON; // trailing content after the value
      }
      return result;
    } catch (JsonScanner.Malformed m) {
      out.clear();
      // The scan stopped at the depth limit; the rest must still be UTF-8 for that to be the
      // reason (a line that is not UTF-8 is "not valid JSON" whatever else is wrong with it).
      return m.tooDeep && Utf8.isValid(buf, s.pos, off + len - s.pos) ? tooDeep : NOT_JSON;
    }
  }

  /** Walks the members of the object just entered, capturing those in {@code node}'s trie. */
  private void walkObject(PathNode node, Document out) {
    JsonScanner s = scanner;
    for (int c = s.closeOrFirst('}'); c != JsonScanner.CLOSED; c = s.commaOrClose('}')) {
      if (c != '"') {
        throw JsonScanner.NOT_JSON;
      }
      s.scanString();
      PathNode child = s.stringEscaped ? node.child(s.stringValue())
          : node.child(s.buf, s.stringStart, s.stringEnd - s.stringStart);
      s.expect(':');
      c = s.skipWhitespace();
      if (child == null) {
        s.skipValue(c);
      } else {
        capture(child, c, out);
      }
    }
  }

  /** Walks the elements of the array just entered, capturing those in {@code node}'s trie. */
  private void walkArray(PathNode node, Document out) {
    JsonScanner s = scanner;
    int index = 0;
    for (int c = s.closeOrFirst(']'); c != JsonScanner.CLOSED; c = s.commaOrClose(']')) {
      PathNode child = node.childAt(index++);
      if (child == null) {
        s.skipValue(c);
      } else {
        capture(child, c, out);
      }
    }
  }

  /** Reads the value starting with byte {@code c} into the slots of {@code node} and below. */
  private void capture(PathNode node, int c, Document out) {
    if (node.seenGeneration == generation) {
      // A duplicate key: forget what the earlier copy captured, the last one wins.
      for (int slot : node.subtreeSlots) {
        out.kinds[slot] = JsonKind.MISSING;
        out.strings[slot] = null;
      }
    }
    node.seenGeneration = generation;
    JsonScanner s = scanner;
    int slot = node.slot;
    switch (c) {
      case '{' -> {
        set(out, slot, JsonKind.OBJECT);
        if (node.hasKeys()) {
          s.enter();
          walkObject(node, out);
        } else {
          s.skipValue(c);
        }
      }
      case '[' -> {
        set(out, slot, JsonKind.ARRAY);
        if (node.hasIndexes()) {
          s.enter();
          walkArray(node, out);
        } else {
          s.skipValue(c);
        }
      }
      case '"' -> {
        s.scanString();
        if (slot >= 0) {
          out.kinds[slot] = JsonKind.STRING;
          if (s.stringEscaped) {
            out.strings[slot] = s.stringValue(); // rare: unescaping needs the scanner's state
          } else {
            out.strings[slot] = null; // made only if asked for (see Document)
            out.starts[slot] = s.stringStart;
            out.ends[slot] = s.stringEnd;
            out.ascii[slot] = s.stringAscii;
          }
        }
      }
      case 't', 'f' -> {
        if (c == 't') {
          s.scanTrue();
        } else {
          s.scanFalse();
        }
        if (slot >= 0) {
          set(out, slot, JsonKind.BOOL);
          out.longs[slot] = c == 't' ? 1 : 0;
        }
      }
      case 'n' -> {
        s.scanNull();
        set(out, slot, JsonKind.MISSING);
      }
      default -> {
        if (c != '-' && (c < '0' || c > '9')) {
          throw JsonScanner.NOT_JSON;
        }
        boolean fitsLong = s.scanNumber();
        if (slot >= 0) {
          set(out, slot, fitsLong ? JsonKind.INT : JsonKind.OTHER_NUMBER);
          out.longs[slot] = fitsLong ? s.numberValue : 0;
        }
      }
    }
  }

  private static void set(Document out, int slot, byte kind) {
    if (slot >= 0) {
      out.kinds[slot] = kind;
      out.strings[slot] = null;
    }
  }
}
