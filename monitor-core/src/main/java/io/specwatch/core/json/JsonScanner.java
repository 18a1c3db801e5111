package io.specwatch.core.json;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * The byte level of {@link DocumentDecoder}: a cursor over one UTF-8 JSON text that checks the
 * grammar (RFC 8259) and the encoding (as {@link Utf8}) in the same pass, skips whole values
 * without building anything, and reads the scalars the decoder captures.
 *
 * <p>It accepts and rejects what the Jackson streaming parser (with a UTF-8 check in front) did
 * before it, except that a zero byte among the first four is not taken for UTF-16 or UTF-32 (JSON
 * text is UTF-8); the differential test in the test tree holds it to that: no leading
 * zeros, {@code 1.}, {@code .5}, {@code +1}, {@code NaN}; no control characters in strings; only
 * the escapes of RFC 8259, a {@code \\u} escape giving one {@code char} (so a lone surrogate
 * escape is kept as it is); whitespace is space, tab, CR and LF only.
 *
 * <p>An error throws one of two preallocated {@link Malformed} instances (no stack trace): the
 * happy path never tests a status after each call, and a malformed line costs no allocation.
 * Nothing here recurses with the input: nested values are skipped with an explicit stack, so a
 * document nested 100,000 deep fails on the depth limit, not on the thread's stack. One instance
 * per decoder, used by one thread.
 */
final class JsonScanner {
  /** Why scanning stopped: not JSON, or nested deeper than the limit. */
  static final class Malformed extends RuntimeException {
    private static final long serialVersionUID = 1L;
    final boolean tooDeep;

    private Malformed(boolean tooDeep) {
      super(tooDeep ? "too deep" : "not JSON", null, false, false);
      this.tooDeep = tooDeep;
    }
  }

  static final Malformed NOT_JSON = new Malformed(false);
  static final Malformed TOO_DEEP = new Malformed(true);

  private static final VarHandle LONGS =
      MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
  private static final long ONES = 0x0101010101010101L;
  private static final long HIGHS = 0x8080808080808080L;
  private static final long QUOTES = ONES * '"';
  private static final long BACKSLASHES = ONES * '\\';
  private static final long SPACES = ONES * 0x20;
  private static final int TRUE = 't' | 'r' << 8 | 'u' << 16 | 'e' << 24;
  private static final int NULL = 'n' | 'u' << 8 | 'l' << 16 | 'l' << 24;
  private static final int ALSE = 'a' | 'l' << 8 | 's' << 16 | 'e' << 24;
  private static final VarHandle INTS =
      MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.LITTLE_ENDIAN);

  private final int maxDepth;
  byte[] buf;
  /** The next byte to read. */
  int pos;
  /** One past the last byte of the text. */
  int end;
  /** Containers open at {@link #pos}; the root object is depth 1 (as Jackson counts). */
  int depth;
  /** Whether each open container being skipped is an object ('{') or an array ('['). */
  private byte[] open = new byte[64];
  /** Decoding buffer for strings with escapes. */
  private char[] chars = new char[64];

  // What the last scanString() saw: the content between the quotes, and what it holds.
  int stringStart;
  int stringEnd;
  boolean stringEscaped;
  boolean stringAscii;

  /** The value of the last scanNumber() that returned true. */
  long numberValue;

  JsonScanner(int maxDepth) {
    this.maxDepth = maxDepth;
  }

  void reset(byte[] buf, int off, int end) {
    this.buf = buf;
    this.pos = off;
    this.end = end;
    this.depth = 0;
  }

  /** Skips whitespace; returns the next byte (0..255) without consuming it, or -1 at the end. */
  int skipWhitespace() {
    final byte[] b = buf;
    int i = pos;
    for (; i < end; i++) {
      int c = b[i] & 0xFF;
      if (c > ' ') {
        pos = i;
        return c;
      }
      if (c != ' ' && c != '\n' && c != '\r' && c != '\t') {
        throw NOT_JSON;
      }
    }
    pos = i;
    return -1;
  }

  /** Consumes {@code expected} after optional whitespace. */
  void expect(char expected) {
    if (skipWhitespace() != expected) {
      throw NOT_JSON;
    }
    pos++;
  }

  /** What {@link #closeOrFirst} and {@link #commaOrClose} return when the container closed. */
  static final int CLOSED = -2;

  /**
   * At the start of a container just entered: consumes {@code close} ('}' or ']') and returns
   * {@link #CLOSED} when it is empty, else returns the first byte of its first member.
   */
  int closeOrFirst(char close) {
    int c = skipWhitespace();
    if (c == close) {
      pos++;
      depth--;
      return CLOSED;
    }
    return c;
  }

  /**
   * After a member or element: a comma is consumed and the next one's first byte returned (-1 at
   * the end of input, which the caller rejects as it would any other byte that starts no value);
   * {@code close} is consumed and {@link #CLOSED} returned; anything else is not JSON.
   */
  int commaOrClose(char close) {
    int c = skipWhitespace();
    if (c == ',') {
      pos++;
      return skipWhitespace();
    }
    if (c == close) {
      pos++;
      depth--;
      return CLOSED;
    }
    throw NOT_JSON;
  }

  /** Opens a container at {@link #pos} ('{' or '['): counts the level, consumes the bracket. */
  void enter() {
    if (++depth > maxDepth) {
      throw TOO_DEEP;
    }
    pos++;
  }

  // ---------------------------------------------------------------- strings

  /**
   * Scans the string whose opening quote is at {@link #pos}, checking escapes, control characters
   * and UTF-8; leaves {@link #pos} after the closing quote and the content in {@link #stringStart}
   * to {@link #stringEnd}. Eight bytes at a time while none is special.
   */
  void scanString() {
    final byte[] b = buf;
    final int e = end;
    int i = pos + 1;
    stringStart = i;
    boolean escaped = false;
    boolean ascii = true;
    for (;;) {
      while (i + 8 <= e) {
        long special = specialBytes((long) LONGS.get(b, i));
        if (special != 0) {
          i += Long.numberOfTrailingZeros(special) >>> 3;
          break;
        }
        i += 8;
      }
      if (i >= e) {
        throw NOT_JSON;
      }
      int c = b[i];
      if (c == '"') {
        stringEnd = i;
        pos = i + 1;
        stringEscaped = escaped;
        stringAscii = ascii;
        return;
      }
      if (c == '\\') {
        escaped = true;
        i = escapeEnd(b, i, e);
      } else if (c < 0) {
        ascii = false;
        i = Utf8.sequenceEnd(b, i, e);
        if (i < 0) {
          throw NOT_JSON;
        }
      } else if (c < 0x20) {
        throw NOT_JSON; // a control character must be escaped
      } else {
        i++;
      }
    }
  }

  /**
   * The high bit of each byte that is a quote, a backslash, a control character or not ASCII. The
   * lowest flagged byte is exact (borrows only run upwards from a flagged byte), which is the one
   * the scan stops at.
   */
  private static long specialBytes(long w) {
    long q = w ^ QUOTES;
    long s = w ^ BACKSLASHES;
    return (((q - ONES) & ~q) | ((s - ONES) & ~s) | ((w - SPACES) & ~w) | w) & HIGHS;
  }

  /** Checks the escape at {@code b[i] == '\\'}; returns the index after it. */
  private static int escapeEnd(byte[] b, int i, int e) {
    if (i + 1 >= e) {
      throw NOT_JSON;
    }
    switch (b[i + 1]) {
      case '"', '\\', '/', 'b', 'f', 'n', 'r', 't':
        return i + 2;
      case 'u':
        if (i + 6 > e) {
          throw NOT_JSON;
        }
        for (int k = i + 2; k < i + 6; k++) {
          if (hexValue(b[k]) < 0) {
            throw NOT_JSON;
          }
        }
        return i + 6;
      default:
        throw NOT_JSON;
    }
  }

  private static int hexValue(byte c) {
    if (c >= '0' && c <= '9') {
      return c - '0';
    }
    int lower = c | 0x20;
    if (lower >= 'a' && lower <= 'f') {
      return lower - 'a' + 10;
    }
    return -1;
  }

  /**
   * The last scanned string as Java text. ASCII without escapes, the usual case, is a Latin-1
   * copy of the bytes (no decoding); other text is decoded as UTF-8, escapes by hand, each
   * {@code \\u} escape giving one {@code char} as Jackson's {@code getText()} does.
   */
  String stringValue() {
    int len = stringEnd - stringStart;
    if (!stringEscaped) {
      return new String(buf, stringStart, len,
          stringAscii ? StandardCharsets.ISO_8859_1 : StandardCharsets.UTF_8);
    }
    if (chars.length < len) {
      chars = new char[Math.max(len, chars.length * 2)];
    }
    final byte[] b = buf;
    final char[] out = chars;
    int n = 0;
    int i = stringStart;
    while (i < stringEnd) {
      int c = b[i];
      if (c == '\\') {
        byte kind = b[i + 1];
        if (kind == 'u') {
          out[n++] = (char) (hexValue(b[i + 2]) << 12 | hexValue(b[i + 3]) << 8
              | hexValue(b[i + 4]) << 4 | hexValue(b[i + 5]));
          i += 6;
        } else {
          out[n++] = unescape(kind);
          i += 2;
        }
      } else if (c >= 0) {
        out[n++] = (char) c;
        i++;
      } else {
        // Already checked by scanString: a well-formed sequence of 2 to 4 bytes.
        int lead = c & 0xFF;
        if (lead < 0xE0) {
          out[n++] = (char) ((lead & 0x1F) << 6 | (b[i + 1] & 0x3F));
          i += 2;
        } else if (lead < 0xF0) {
          out[n++] = (char) ((lead & 0x0F) << 12 | (b[i + 1] & 0x3F) << 6 | (b[i + 2] & 0x3F));
          i += 3;
        } else {
          int cp = (lead & 0x07) << 18 | (b[i + 1] & 0x3F) << 12 | (b[i + 2] & 0x3F) << 6
              | (b[i + 3] & 0x3F);
          out[n++] = Character.highSurrogate(cp);
          out[n++] = Character.lowSurrogate(cp);
          i += 4;
        }
      }
    }
    return new String(out, 0, n);
  }

  private static char unescape(byte kind) {
    return switch (kind) {
      case 'b' -> '\b';
      case 'f' -> '\f';
      case 'n' -> '\n';
      case 'r' -> '\r';
      case 't' -> '\t';
      default -> (char) kind; // '"', '\\', '/'
    };
  }

  // ---------------------------------------------------------------- numbers and literals

  /**
   * Scans the number at {@link #pos} ({@code -?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?});
   * returns true when it is an integer that fits a long, its value in {@link #numberValue}. What
   * may follow (a comma, a bracket, whitespace) is the caller's grammar to check.
   */
  boolean scanNumber() {
    final byte[] b = buf;
    final int e = end;
    int i = pos;
    boolean negative = b[i] == '-';
    if (negative) {
      i++;
    }
    int digitsStart = i;
    if (i >= e || !isDigit(b[i])) {
      throw NOT_JSON;
    }
    if (b[i] == '0') {
      i++; // a leading zero is the whole integer part; "01" fails on the caller's grammar
    } else {
      do {
        i++;
      } while (i < e && isDigit(b[i]));
    }
    int digitsEnd = i;
    boolean integral = true;
    if (i < e && b[i] == '.') {
      i = digitsAfter(b, i + 1, e);
      integral = false;
    }
    if (i < e && (b[i] | 0x20) == 'e') {
      i++;
      if (i < e && (b[i] == '+' || b[i] == '-')) {
        i++;
      }
      i = digitsAfter(b, i, e);
      integral = false;
    }
    pos = i;
    return integral && digitsEnd - digitsStart <= 19 && toLong(b, digitsStart, digitsEnd, negative);
  }

  /** Skips one or more digits from {@code i}; returns the index after them. */
  private static int digitsAfter(byte[] b, int i, int e) {
    int start = i;
    while (i < e && isDigit(b[i])) {
      i++;
    }
    if (i == start) {
      throw NOT_JSON;
    }
    return i;
  }

  private static boolean isDigit(byte c) {
    return c >= '0' && c <= '9';
  }

  /**
   * Accumulates the digits negatively (as {@link Long#parseLong} does, so that Long.MIN_VALUE
   * fits); false when the value does not fit a long.
   */
  private boolean toLong(byte[] b, int from, int to, boolean negative) {
    long v = 0;
    for (int i = from; i < to; i++) {
      int d = b[i] - '0';
      if (v < Long.MIN_VALUE / 10) {
        return false;
      }
      v *= 10;
      if (v < Long.MIN_VALUE + d) {
        return false;
      }
      v -= d;
    }
    if (!negative) {
      if (v == Long.MIN_VALUE) {
        return false;
      }
      v = -v;
    }
    numberValue = v;
    return true;
  }

  /** Consumes {@code true} at {@link #pos}. */
  void scanTrue() {
    scanWord(TRUE, 4);
  }

  /** Consumes {@code null} at {@link #pos}. */
  void scanNull() {
    scanWord(NULL, 4);
  }

  /** Consumes {@code false} at {@link #pos}. */
  void scanFalse() {
    pos++;
    scanWord(ALSE, 4);
  }

  private void scanWord(int word, int len) {
    if (pos + len > end || (int) INTS.get(buf, pos) != word) {
      throw NOT_JSON;
    }
    pos += len;
  }

  // ---------------------------------------------------------------- skipping

  /**
   * Skips the value starting with byte {@code c} at {@link #pos} (whitespace already skipped),
   * checking it all, without building anything.
   */
  void skipValue(int c) {
    switch (c) {
      case '"' -> scanString();
      case '{', '[' -> skipContainer();
      case 't' -> scanTrue();
      case 'f' -> scanFalse();
      case 'n' -> scanNull();
      default -> {
        if (c != '-' && (c < '0' || c > '9')) {
          throw NOT_JSON;
        }
        scanNumber();
      }
    }
  }

  /** Skips the object or array opening at {@link #pos}, however deep, without recursing. */
  private void skipContainer() {
    final int base = depth;
    push();
    boolean justOpened = true;
    for (;;) {
      int c = skipWhitespace();
      boolean inObject = open[depth - 1] == '{';
      if (justOpened && c == (inObject ? '}' : ']')) {
        pos++;
        if (--depth == base) {
          return;
        }
      } else {
        if (inObject) {
          if (c != '"') {
            throw NOT_JSON;
          }
          scanString();
          expect(':');
          c = skipWhitespace();
        }
        if (c == '{' || c == '[') {
          push();
          justOpened = true;
          continue;
        }
        skipValue(c);
      }
      // After a value: a comma starts the next one, closing brackets end containers.
      for (;;) {
        c = skipWhitespace();
        if (c == ',') {
          pos++;
          justOpened = false;
          break;
        }
        if (c != (open[depth - 1] == '{' ? '}' : ']')) {
          throw NOT_JSON;
        }
        pos++;
        if (--depth == base) {
          return;
        }
      }
    }
  }

  /** Opens the container at {@link #pos} on the skip stack. */
  private void push() {
    if (depth >= open.length) {
      open = Arrays.copyOf(open, Math.max(open.length * 2, depth + 1));
    }
    open[depth] = buf[pos];
    enter();
  }
}
