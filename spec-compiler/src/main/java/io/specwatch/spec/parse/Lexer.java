package io.specwatch.spec.parse;

import java.util.ArrayList;
import java.util.List;

/**
 * Turns spec text into tokens. Newlines are tokens (the parser decides where they end a
 * statement); consecutive newlines collapse into one. {@code //} comments are skipped;
 * consecutive {@code ///} lines directly above a line are attached to that line's first token as
 * its doc comment. Errors are reported to the sink and the lexer goes on.
 */
public final class Lexer {
  /** Receives lexical errors. */
  public interface ErrorSink {
    void error(int line, int column, String message);
  }

  private final String src;
  private final ErrorSink errors;
  private final List<Token> tokens = new ArrayList<>();
  private int pos;
  private int line = 1;
  private int lineStart;
  private final List<String> pendingDoc = new ArrayList<>();
  private boolean atLineStart = true;

  public Lexer(String src, ErrorSink errors) {
    this.src = src;
    this.errors = errors;
  }

  public List<Token> tokenize() {
    while (pos < src.length()) {
      char c = src.charAt(pos);
      if (c == '\n') {
        newline(pos);
        continue;
      }
      if (c == '\r' && peek(1) == '\n') {
        pos++;
        newline(pos - 1); // a CRLF ends the line where its CR is
        continue;
      }
      if (c == ' ' || c == '\t' || c == '\r' || c == '\f') {
        pos++;
        continue;
      }
      if (c == '/' && peek(1) == '/') {
        comment();
        continue;
      }
      int startCol = pos - lineStart + 1;
      int start = pos;
      if (isIdentStart(c)) {
        while (pos < src.length() && isIdentPart(src.charAt(pos))) {
          pos++;
        }
        add(TokenKind.WORD, start, startCol, null, 0, false);
      } else if (isDigit(c)) {
        number(start, startCol);
      } else if (c == '"') {
        string(start, startCol);
      } else if (c == '\'' && singleQuoted(start, startCol)) {
        continue;
      } else {
        punctuation(c, start, startCol);
      }
    }
    add(TokenKind.NEWLINE, pos, pos - lineStart + 1, null, 0, false);
    add(TokenKind.EOF, pos, pos - lineStart + 1, null, 0, false);
    return tokens;
  }

  private char peek(int ahead) {
    int i = pos + ahead;
    return i < src.length() ? src.charAt(i) : '\0';
  }

  /** Consumes the {@code \n} at {@code pos}; {@code at} is where the line ends (its CR, if any). */
  private void newline(int at) {
    if (atLineStart) {
      pendingDoc.clear(); // a blank line separates a doc comment from what follows
    }
    if (!tokens.isEmpty() && !tokens.get(tokens.size() - 1).is(TokenKind.NEWLINE)) {
      tokens.add(new Token(TokenKind.NEWLINE, "\n", line, at - lineStart + 1, at, pos + 1, null, 0,
          false, null));
    }
    pos++;
    line++;
    lineStart = pos;
    atLineStart = true;
  }

  private void comment() {
    boolean doc = peek(2) == '/' && peek(3) != '/';
    int start = pos + (doc ? 3 : 2);
    int newlineAt = src.indexOf('\n', pos);
    int end = newlineAt < 0 ? src.length() : newlineAt;
    if (end > start && src.charAt(end - 1) == '\r') {
      end--; // the comment stops before a CRLF
    }
    if (atLineStart) {
      if (doc) {
        String text = src.substring(start, end).strip();
        if (!text.isEmpty()) {
          pendingDoc.add(text);
        }
        // Skip the line break without treating the doc line as blank.
        if (newlineAt < 0) {
          pos = src.length();
        } else {
          pos = newlineAt + 1;
          line++;
          lineStart = pos;
        }
        return;
      }
      pendingDoc.clear(); // a `//` line between a doc comment and its declaration detaches it
    }
    pos = end;
  }

  private void number(int start, int startCol) {
    while (pos < src.length() && (isDigit(src.charAt(pos)) || src.charAt(pos) == '_')) {
      pos++;
    }
    String digits = src.substring(start, pos);
    boolean tooLarge = false;
    long value = 0;
    if (digits.endsWith("_") || digits.contains("__")) {
      errors.error(line, startCol, "malformed number `" + digits + "`: `_` goes between digits");
    }
    for (int i = 0; i < digits.length(); i++) {
      char d = digits.charAt(i);
      if (d == '_') {
        continue;
      }
      // Accumulate as a negative number so that -9223372036854775808 is representable.
      long next = value * 10 - (d - '0');
      if (value < Long.MIN_VALUE / 10 || next > value) {
        tooLarge = true;
      }
      value = next;
    }
    // `value` holds minus the number (or garbage if tooLarge); the parser negates where needed.
    if (peek(0) == '.' && isDigit(peek(1))) {
      int dot = pos;
      pos++;
      while (pos < src.length() && (isDigit(src.charAt(pos)) || src.charAt(pos) == '_')) {
        pos++;
      }
      errors.error(line, startCol, "`" + src.substring(start, pos) + "` is not an integer: numbers "
          + "are whole; expected an integer such as " + src.substring(start, dot)
          + ", or a duration such as 1500ms");
    }
    String unit = null;
    int unitStart = pos;
    while (pos < src.length() && isIdentPart(src.charAt(pos))) {
      pos++;
    }
    if (pos > unitStart) {
      unit = src.substring(unitStart, pos);
      long factor = switch (unit) {
        case "ms" -> 1L;
        case "s" -> 1000L;
        case "m" -> 60_000L;
        case "h" -> 3_600_000L;
        case "d" -> 86_400_000L;
        default -> 0L;
      };
      if (factor == 0) {
        errors.error(line, unitStart - lineStart + 1,
            "unknown duration unit `" + unit + "`: expected ms, s, m, h or d");
        factor = 1;
      }
      long ms = value * factor;
      if (tooLarge || (value != 0 && ms / factor != value)) {
        tooLarge = true;
      }
      add(TokenKind.DURATION, start, startCol, unit, ms, tooLarge);
      return;
    }
    add(TokenKind.INT, start, startCol, null, value, tooLarge);
  }

  private void string(int start, int startCol) {
    StringBuilder sb = new StringBuilder();
    pos++;
    while (true) {
      if (pos >= src.length() || src.charAt(pos) == '\n') {
        errors.error(line, startCol, "unterminated string: expected a closing `\"` on the same line");
        break;
      }
      char c = src.charAt(pos);
      if (c == '"') {
        pos++;
        break;
      }
      if (c == '\\') {
        char e = peek(1);
        if (pos + 1 >= src.length() || e == '\n' || (e == '\r' && peek(2) == '\n')) {
          pos++; // a backslash at the end of the line: the string is unterminated
          continue;
        }
        switch (e) {
          case '"' -> sb.append('"');
          case '\\' -> sb.append('\\');
          case 'n' -> sb.append('\n');
          case 't' -> sb.append('\t');
          case 'u' -> {
            int digits = 0;
            while (digits < 4 && pos + 2 + digits < src.length()
                && isHexDigit(src.charAt(pos + 2 + digits))) {
              digits++;
            }
            if (digits == 4) {
              sb.append((char) Integer.parseInt(src.substring(pos + 2, pos + 6), 16));
            } else {
              errors.error(line, pos - lineStart + 1, "bad escape `" + printable(src.substring(pos,
                  pos + 2 + digits)) + "`: expected `\\u` and four hex digits, as in `\\u00e9`");
            }
            pos += digits;
          }
          default -> errors.error(line, pos - lineStart + 1,
              "bad escape `\\" + printable(String.valueOf(e))
                  + "`: expected one of \\\" \\\\ \\n \\t \\uXXXX");
        }
        pos += Character.isHighSurrogate(e) && Character.isLowSurrogate(peek(2)) ? 3 : 2;
        continue;
      }
      sb.append(c);
      pos++;
    }
    add(TokenKind.STRING, start, startCol, sb.toString(), 0, false);
  }

  /** A 'string' in single quotes: one clear error, and a string token so parsing goes on. */
  private boolean singleQuoted(int start, int startCol) {
    int close = start + 1;
    while (close < src.length() && src.charAt(close) != '\'' && src.charAt(close) != '\n') {
      close++;
    }
    if (close >= src.length() || src.charAt(close) != '\'') {
      return false;
    }
    String text = src.substring(start + 1, close);
    errors.error(line, startCol, "a string is written in double quotes: expected \""
        + printable(text) + "\", found '" + printable(text) + "'");
    pos = close + 1;
    add(TokenKind.STRING, start, startCol, text, 0, false);
    return true;
  }

  private void punctuation(char c, int start, int startCol) {
    char n = peek(1);
    TokenKind k;
    int len = 1;
    switch (c) {
      case '{' -> k = TokenKind.LBRACE;
      case '}' -> k = TokenKind.RBRACE;
      case '(' -> k = TokenKind.LPAREN;
      case ')' -> k = TokenKind.RPAREN;
      case '[' -> k = TokenKind.LBRACKET;
      case ']' -> k = TokenKind.RBRACKET;
      case ',' -> k = TokenKind.COMMA;
      case ';' -> k = TokenKind.SEMI;
      case ':' -> k = TokenKind.COLON;
      case '.' -> k = TokenKind.DOT;
      case '*' -> k = TokenKind.STAR;
      case '/' -> k = TokenKind.SLASH;
      case '%' -> k = TokenKind.PERCENT;
      case '=' -> {
        k = n == '=' ? TokenKind.EQ : TokenKind.ASSIGN;
        len = n == '=' ? 2 : 1;
      }
      case '!' -> {
        if (n != '=') {
          errors.error(line, startCol, "unexpected `!`: write `not` for negation, `!=` for inequality");
          pos++;
          return;
        }
        k = TokenKind.NE;
        len = 2;
      }
      case '<' -> {
        k = n == '=' ? TokenKind.LE : TokenKind.LT;
        len = n == '=' ? 2 : 1;
      }
      case '>' -> {
        k = n == '=' ? TokenKind.GE : TokenKind.GT;
        len = n == '=' ? 2 : 1;
      }
      case '+' -> {
        k = n == '=' ? TokenKind.PLUS_ASSIGN : TokenKind.PLUS;
        len = n == '=' ? 2 : 1;
      }
      case '-' -> {
        k = n == '=' ? TokenKind.MINUS_ASSIGN : TokenKind.MINUS;
        len = n == '=' ? 2 : 1;
      }
      default -> {
        int cp = src.codePointAt(pos);
        boolean invisible = Character.isISOControl(cp) || Character.isSurrogate(c)
            || Character.isWhitespace(cp) || Character.isSpaceChar(cp);
        String shown = invisible ? String.format("U+%04X", cp)
            : "`" + new String(Character.toChars(cp)) + "`";
        String hint = c == '#' ? " (a comment starts with `//`)"
            : c == '\'' ? " (a string is written in \"double quotes\")" : "";
        errors.error(line, startCol, "unexpected character " + shown + hint);
        pos += Character.charCount(src.codePointAt(pos));
        return;
      }
    }
    pos += len;
    add(k, start, startCol, null, 0, false);
  }

  private void add(TokenKind kind, int start, int col, String value, long number, boolean tooLarge) {
    String doc = null;
    if (atLineStart && kind != TokenKind.NEWLINE && kind != TokenKind.EOF) {
      if (!pendingDoc.isEmpty()) {
        doc = String.join(" ", pendingDoc);
      }
      pendingDoc.clear();
      atLineStart = false;
    }
    int end = Math.max(pos, start);
    tokens.add(new Token(kind, src.substring(start, Math.min(end, src.length())), line, col, start,
        end, value, number, tooLarge, doc));
  }

  private static boolean isDigit(char c) {
    return c >= '0' && c <= '9';
  }

  private static boolean isHexDigit(char c) {
    return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
  }

  /** Source text for a message: control characters and lone surrogates as U+XXXX. */
  static String printable(String s) {
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      boolean pair = Character.isHighSurrogate(c) && i + 1 < s.length()
          && Character.isLowSurrogate(s.charAt(i + 1));
      if (pair) {
        sb.append(c).append(s.charAt(++i));
      } else if (Character.isISOControl(c) || Character.isSurrogate(c)) {
        sb.append(String.format("U+%04X", (int) c));
      } else {
        sb.append(c);
      }
    }
    return sb.toString();
  }

  private static boolean isIdentStart(char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_';
  }

  private static boolean isIdentPart(char c) {
    return isIdentStart(c) || (c >= '0' && c <= '9');
  }
}
