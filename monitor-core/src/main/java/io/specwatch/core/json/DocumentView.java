package io.specwatch.core.json;

/**
 * One spec's view of a decoded {@link Document}: the spec numbers its paths 0..n-1, the decoder
 * numbers the union of all specs' paths; {@code map} translates.
 */
public final class DocumentView {
  private final int[] map;
  private Document doc;

  public DocumentView(int[] map) {
    this.map = map.clone();
  }

  public void bind(Document doc) {
    this.doc = doc;
  }

  public byte kind(int path) {
    return doc.kind(map[path]);
  }

  public long longValue(int path) {
    return doc.longValue(map[path]);
  }

  public String stringValue(int path) {
    return doc.stringValue(map[path]);
  }

  /** See {@link Document#stringEquals}. */
  public boolean stringEquals(int path, String text, byte[] utf8) {
    return doc.stringEquals(map[path], text, utf8);
  }

  /** See {@link Document#timeValue}. */
  public long timeValue(int path) {
    return doc.timeValue(map[path]);
  }

  /** See {@link Document#isAsciiBytes}. */
  public boolean isAsciiBytes(int path) {
    return doc.isAsciiBytes(map[path]);
  }

  public byte[] buf() {
    return doc.buf();
  }

  public int start(int path) {
    return doc.start(map[path]);
  }

  public int end(int path) {
    return doc.end(map[path]);
  }

  public String keyText(int path) {
    return doc.keyText(map[path]);
  }
}
