package io.specwatch.load.model;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The reference model's own JSON reader, written from RFC 8259 and the contract (no engine class,
 * no Jackson): strict UTF-8 first, then strict JSON. Values: {@link Map} (duplicate keys: the last
 * wins), {@link List}, {@link String}, {@link Long} (an integer: no fraction or exponent, fits 64
 * bits), {@link Num} (any other number), {@link Boolean} and {@link #NULL}.
 */
public final class MJson {
  private MJson() {}

  public static final Object NULL = new Object() {
    @Override
    public String toString() {
      return "null";
    }
  };

  /** A JSON number that is not an integer of 64 bits ({@code 1.5}, {@code 1e2}, {@code 2^64}). */
  public record Num(String text) {}

  /** Why a text is not JSON. */
  public static final class Bad extends Exception {
    Bad(String message) {
      super(message, null, false, false);
    }
  }

  public static final int MAX_DEPTH = 500;

  /** Parses one JSON text from raw bytes. */
  public static Object parse(byte[] b, int off, int len) throws Bad {
    String text = decodeUtf8(b, off, len);
    Parser p = new Parser(text);
    p.ws();
    Object v = p.value(1);
    p.ws();
    if (p.i != text.length()) {
      throw new Bad("trailing content at " + p.i);
    }
    return v;
  }

  public static Object parse(String s) throws Bad {
    byte[] b = s.getBytes(java.nio.charset.StandardCharsets.UTF_8);
    return parse(b, 0, b.length);
  }

  /** Well-formed UTF-8 per the Unicode standard, table 3-7 (no overlongs, surrogates, > U+10FFFF). */
  static String decodeUtf8(byte[] b, int off, int len) throws Bad {
    StringBuilder sb = new StringBuilder(len);
    int i = off;
    int end = off + len;
    while (i < end) {
      int c0 = b[i] & 0xFF;
      if (c0 < 0x80) {
        sb.append((char) c0);
        i++;
        continue;
      }
      int n;
      int lo = 0x80;
      int hi = 0xBF;
      int cp;
      if (c0 >= 0xC2 && c0 <= 0xDF) {
        n = 1;
        cp = c0 & 0x1F;
      } else if (c0 >= 0xE0 && c0 <= 0xEF) {
        n = 2;
        cp = c0 & 0x0F;
        if (c0 == 0xE0) {
          lo = 0xA0;
        } else if (c0 == 0xED) {
          hi = 0x9F;
        }
      } else if (c0 >= 0xF0 && c0 <= 0xF4) {
        n = 3;
        cp = c0 & 0x07;
        if (c0 == 0xF0) {
          lo = 0x90;
        } else if (c0 == 0xF4) {
          hi = 0x8F;
        }
      } else {
        throw new Bad("invalid UTF-8 byte " + Integer.toHexString(c0));
      }
      if (i + n >= end) {
        throw new Bad("truncated UTF-8 sequence");
      }
      for (int k = 1; k <= n; k++) {
        int c = b[i + k] & 0xFF;
        int l = k == 1 ? lo : 0x80;
        int h = k == 1 ? hi : 0xBF;
        if (c < l || c > h) {
          throw new Bad("invalid UTF-8 continuation " + Integer.toHexString(c));
        }
        cp = (cp << 6) | (c & 0x3F);
      }
      sb.appendCodePoint(cp);
      i += n + 1;
    }
    return sb.toString();
  }

  private static final class Parser {
    final String s;
    int i;

    Parser(String s) {
      this.s = s;
    }

    void ws() {
      while (i < s.length()) {
        char c = s.charAt(i);
        if (c == ' ' || c == '\t' || c == '\n' || c == '\r') {
          i++;
        } else {
          return;
        }
      }
    }

    char peek() throws Bad {
      if (i >= s.length()) {
        throw new Bad("unexpected end");
      }
      return s.charAt(i);
    }

    Object value(int depth) throws Bad {
      char c = peek();
      switch (c) {
        case '{':
          return object(depth);
        case '[':
          return array(depth);
        case '"':
          return string();
        case 't':
          word("true");
          return Boolean.TRUE;
        case 'f':
          word("false");
          return Boolean.FALSE;
        case 'n':
          word("null");
          return NULL;
        default:
          if (c == '-' || (c >= '0' && c <= '9')) {
            return number();
          }
          throw new Bad("unexpected " + c);
      }
    }

    void word(String w) throws Bad {
      if (!s.startsWith(w, i)) {
        throw new Bad("bad literal");
      }
      i += w.length();
    }

    Map<String, Object> object(int depth) throws Bad {
      if (depth > MAX_DEPTH) {
        throw new Bad("too deep");
      }
      i++;
      Map<String, Object> m = new LinkedHashMap<>();
      ws();
      if (peek() == '}') {
        i++;
        return m;
      }
      while (true) {
        ws();
        if (peek() != '"') {
          throw new Bad("expected a key");
        }
        String k = string();
        ws();
        if (peek() != ':') {
          throw new Bad("expected :");
        }
        i++;
        ws();
        Object v = value(depth + 1);
        m.remove(k); // the last duplicate wins
        m.put(k, v);
        ws();
        char c = peek();
        i++;
        if (c == '}') {
          return m;
        }
        if (c != ',') {
          throw new Bad("expected , or }");
        }
      }
    }

    List<Object> array(int depth) throws Bad {
      if (depth > MAX_DEPTH) {
        throw new Bad("too deep");
      }
      i++;
      List<Object> a = new ArrayList<>();
      ws();
      if (peek() == ']') {
        i++;
        return a;
      }
      while (true) {
        ws();
        a.add(value(depth + 1));
        ws();
        char c = peek();
        i++;
        if (c == ']') {
          return a;
        }
        if (c != ',') {
          throw new Bad("expected , or ]");
        }
      }
    }

    String string() throws Bad {
      i++;
      StringBuilder sb = new StringBuilder();
      while (true) {
        char c = peek();
        i++;
        if (c == '"') {
          return sb.toString();
        }
        if (c < 0x20) {
          throw new Bad("control character in string");
        }
        if (c != '\\') {
          sb.append(c);
          continue;
        }
        char e = peek();
        i++;
        switch (e) {
          case '"' -> sb.append('"');
          case '\\' -> sb.append('\\');
          case '/' -> sb.append('/');
          case 'b' -> sb.append('\b');
          case 'f' -> sb.append('\f');
          case 'n' -> sb.append('\n');
          case 'r' -> sb.append('\r');
          case 't' -> sb.append('\t');
          case 'u' -> {
            if (i + 4 > s.length()) {
              throw new Bad("short \\u escape");
            }
            int v = 0;
            for (int k = 0; k < 4; k++) {
              int d = Character.digit(s.charAt(i + k), 16);
              if (d < 0 || s.charAt(i + k) > 'f') {
                throw new Bad("bad \\u escape");
              }
              v = v * 16 + d;
            }
            i += 4;
            sb.append((char) v);
          }
          default -> throw new Bad("bad escape \\" + e);
        }
      }
    }

    Object number() throws Bad {
      int start = i;
      boolean integer = true;
      if (peek() == '-') {
        i++;
      }
      char c = peek();
      if (c == '0') {
        i++;
      } else if (c >= '1' && c <= '9') {
        while (i < s.length() && isDigit(s.charAt(i))) {
          i++;
        }
      } else {
        throw new Bad("bad number");
      }
      if (i < s.length() && s.charAt(i) == '.') {
        integer = false;
        i++;
        if (i >= s.length() || !isDigit(s.charAt(i))) {
          throw new Bad("bad fraction");
        }
        while (i < s.length() && isDigit(s.charAt(i))) {
          i++;
        }
      }
      if (i < s.length() && (s.charAt(i) == 'e' || s.charAt(i) == 'E')) {
        integer = false;
        i++;
        if (i < s.length() && (s.charAt(i) == '+' || s.charAt(i) == '-')) {
          i++;
        }
        if (i >= s.length() || !isDigit(s.charAt(i))) {
          throw new Bad("bad exponent");
        }
        while (i < s.length() && isDigit(s.charAt(i))) {
          i++;
        }
      }
      String text = s.substring(start, i);
      if (integer) {
        try {
          return Long.parseLong(text);
        } catch (NumberFormatException tooBig) {
          return new Num(text);
        }
      }
      return new Num(text);
    }

    static boolean isDigit(char c) {
      return c >= '0' && c <= '9';
    }
  }

  // ---------------------------------------------------------------- paths and canonical text

  /** The value at a dotted path of object keys, or null when missing (JSON null counts as missing). */
  public static Object at(Object doc, String[] path) {
    Object v = doc;
    for (String k : path) {
      if (!(v instanceof Map<?, ?> m)) {
        return null;
      }
      v = m.get(k);
      if (v == null || v == NULL) {
        return null;
      }
    }
    return v;
  }

  /** A key or id: a string, or an integer as its decimal string; else null. */
  public static String keyText(Object v) {
    if (v instanceof String s) {
      return s;
    }
    if (v instanceof Long l) {
      return Long.toString(l);
    }
    return null;
  }

  /** A canonical text of a parsed value (object members in order), for comparisons. */
  public static String canonical(Object v) {
    StringBuilder sb = new StringBuilder();
    canonical(sb, v);
    return sb.toString();
  }

  private static void canonical(StringBuilder sb, Object v) {
    if (v instanceof Map<?, ?> m) {
      sb.append('{');
      boolean first = true;
      for (Map.Entry<?, ?> e : m.entrySet()) {
        if (!first) {
          sb.append(',');
        }
        first = false;
        quote(sb, (String) e.getKey());
        sb.append(':');
        canonical(sb, e.getValue());
      }
      sb.append('}');
    } else if (v instanceof List<?> a) {
      sb.append('[');
      for (int k = 0; k < a.size(); k++) {
        if (k > 0) {
          sb.append(',');
        }
        canonical(sb, a.get(k));
      }
      sb.append(']');
    } else if (v instanceof String s) {
      quote(sb, s);
    } else if (v instanceof Num n) {
      sb.append(n.text());
    } else {
      sb.append(v); // Long, Boolean, NULL
    }
  }

  public static void quote(StringBuilder sb, String s) {
    sb.append('"');
    for (int k = 0; k < s.length(); k++) {
      char c = s.charAt(k);
      if (c == '"' || c == '\\') {
        sb.append('\\').append(c);
      } else if (c < 0x20) {
        sb.append(String.format("\\u%04x", (int) c));
      } else {
        sb.append(c);
      }
    }
    sb.append('"');
  }
}
