package io.specwatch.ingest.otlp;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Writes compact JSON as UTF-8 straight into one growable byte array that is reused for a whole
 * request: the documents of a batch are byte ranges of it, so mapping a request allocates one
 * buffer (grown by doubling) instead of a String, a byte[] and a builder per record.
 *
 * <p>Commas are placed by the writer: each nesting level remembers whether it already holds a
 * member, so callers just say {@link #name} / value. It does not check that calls are well
 * nested; {@link OtlpMapper} is its only caller and its tests parse every document it writes.
 */
final class JsonBytesWriter {
  private static final byte[] HEX = "0123456789abcdef".getBytes(StandardCharsets.US_ASCII);
  /** Deep enough for the mapper's own objects plus {@link AnyValueWriter#MAX_DEPTH} levels. */
  private static final int MAX_LEVELS = 96;

  private byte[] buf = new byte[4096];
  private int len;
  private final boolean[] hasMember = new boolean[MAX_LEVELS];
  private int level;
  /** True right after {@link #name}: the value that follows needs no comma. */
  private boolean afterName;

  int length() {
    return len;
  }

  byte[] buffer() {
    return buf;
  }

  /** Drops everything written from {@code mark} on (a record that turned out to be rejected). */
  void truncate(int mark) {
    len = mark;
    level = 0;
    afterName = false;
  }

  void clear() {
    truncate(0);
  }

  void beginObject() {
    beforeValue();
    put((byte) '{');
    open();
  }

  void endObject() {
    level--;
    put((byte) '}');
  }

  void beginArray() {
    beforeValue();
    put((byte) '[');
    open();
  }

  void endArray() {
    level--;
    put((byte) ']');
  }

  /** A member name; the value must follow. */
  void name(String name) {
    comma();
    string(name);
    put((byte) ':');
    afterName = true;
  }

  void value(String s) {
    beforeValue();
    string(s);
  }

  void value(long n) {
    beforeValue();
    ascii(Long.toString(n));
  }

  void value(boolean b) {
    beforeValue();
    ascii(b ? "true" : "false");
  }

  /** Finite doubles as JSON numbers; NaN and infinities, which JSON lacks, as strings. */
  void value(double d) {
    beforeValue();
    if (Double.isFinite(d)) {
      if (d == Math.rint(d) && Math.abs(d) < 1e15) {
        ascii(Long.toString((long) d)); // 3.0 -> 3: what a spec's `int` field can read
      } else {
        ascii(Double.toString(d));
      }
    } else {
      string(Double.isNaN(d) ? "NaN" : d > 0 ? "Infinity" : "-Infinity");
    }
  }

  void nullValue() {
    beforeValue();
    ascii("null");
  }

  /** Bytes that already are one JSON text (a document received as JSON), copied as they are. */
  void rawBytes(byte[] src, int off, int n) {
    ensure(n);
    System.arraycopy(src, off, buf, len, n);
    len += n;
  }

  private void open() {
    if (level == MAX_LEVELS - 1) {
      throw new IllegalStateException("JSON nested deeper than " + (MAX_LEVELS - 1));
    }
    hasMember[++level] = false;
  }

  /** Values inside arrays need a comma; a member's value follows its name and needs none. */
  private void beforeValue() {
    if (afterName) {
      afterName = false;
      return;
    }
    comma();
  }

  private void comma() {
    if (level > 0) {
      if (hasMember[level]) {
        put((byte) ',');
      }
      hasMember[level] = true;
    }
  }

  private void ascii(String s) {
    int n = s.length();
    ensure(n);
    for (int i = 0; i < n; i++) {
      buf[len++] = (byte) s.charAt(i);
    }
  }

  /** A JSON string: escaped per RFC 8259, UTF-8 encoded; a lone surrogate becomes U+FFFD. */
  private void string(String s) {
    int n = s.length();
    ensure(n * 3 + 2); // worst case per char: 3 UTF-8 bytes (a pair is 2 chars for 4 bytes)
    buf[len++] = '"';
    for (int i = 0; i < n; i++) {
      char c = s.charAt(i);
      if (c < 0x80) {
        if (c == '"' || c == '\\') {
          ensure(2 + (n - i) * 3);
          buf[len++] = '\\';
          buf[len++] = (byte) c;
        } else if (c < 0x20) {
          ensure(6 + (n - i) * 3);
          buf[len++] = '\\';
          buf[len++] = 'u';
          buf[len++] = '0';
          buf[len++] = '0';
          buf[len++] = HEX[c >> 4];
          buf[len++] = HEX[c & 15];
        } else {
          buf[len++] = (byte) c;
        }
      } else if (c < 0x800) {
        buf[len++] = (byte) (0xC0 | c >> 6);
        buf[len++] = (byte) (0x80 | c & 0x3F);
      } else if (Character.isHighSurrogate(c) && i + 1 < n && Character.isLowSurrogate(s.charAt(i + 1))) {
        int cp = Character.toCodePoint(c, s.charAt(++i));
        buf[len++] = (byte) (0xF0 | cp >> 18);
        buf[len++] = (byte) (0x80 | cp >> 12 & 0x3F);
        buf[len++] = (byte) (0x80 | cp >> 6 & 0x3F);
        buf[len++] = (byte) (0x80 | cp & 0x3F);
      } else {
        char out = Character.isSurrogate(c) ? '\uFFFD' : c;
        buf[len++] = (byte) (0xE0 | out >> 12);
        buf[len++] = (byte) (0x80 | out >> 6 & 0x3F);
        buf[len++] = (byte) (0x80 | out & 0x3F);
      }
    }
    ensure(1);
    buf[len++] = '"';
  }

  private void put(byte b) {
    ensure(1);
    buf[len++] = b;
  }

  private void ensure(int more) {
    if (len + more > buf.length) {
      buf = Arrays.copyOf(buf, Math.max(buf.length * 2, len + more));
    }
  }
}
