package io.specwatch.spec.parse;

/**
 * A token with its position (1-based line and column, 0-based offsets into the source).
 * {@code doc} is the doc comment directly above the token when it starts a line, else null.
 * {@code value} holds a STRING's decoded text; {@code number} an INT's or DURATION's value.
 */
public record Token(TokenKind kind, String text, int line, int column, int start, int end,
    String value, long number, boolean numberTooLarge, String doc) {

  public boolean is(TokenKind k) {
    return kind == k;
  }

  public boolean isWord(String w) {
    return kind == TokenKind.WORD && text.equals(w);
  }

  public String describe() {
    return switch (kind) {
      case WORD -> "`" + text + "`";
      case INT, DURATION, STRING -> "`" + text + "`";
      default -> kind.description;
    };
  }
}
