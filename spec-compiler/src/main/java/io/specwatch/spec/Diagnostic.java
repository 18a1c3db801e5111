package io.specwatch.spec;

/**
 * A compile error at a position of a source file. Rendered as the contract asks: {@code
 * file:line:column}, the message (which says what was expected), the source line and a caret.
 */
public record Diagnostic(String file, int line, int column, String message, String sourceLine) {

  /** For example: {@code spec.sw:15:1: error: ...}, then the line and a caret under column 1. */
  public String render() {
    StringBuilder sb = new StringBuilder();
    sb.append(file).append(':').append(line).append(':').append(column).append(": error: ")
        .append(printable(message)).append('\n');
    if (sourceLine != null) {
      String gutter = String.valueOf(line);
      sb.append(' ').append(gutter).append(" | ").append(printable(sourceLine)).append('\n');
      sb.append(' ').append(" ".repeat(gutter.length())).append(" | ");
      // Tabs stay tabs under the caret, so it lines up in a terminal.
      for (int i = 0; i < column - 1 && i < sourceLine.length(); i++) {
        sb.append(sourceLine.charAt(i) == '\t' ? '\t' : ' ');
      }
      sb.append("^\n");
    }
    return sb.toString();
  }

  /**
   * The text with control characters other than tab replaced by U+FFFD, one for one, so that a
   * stray carriage return or escape sequence in a spec cannot garble a terminal or move the caret.
   */
  private static String printable(String s) {
    StringBuilder sb = null;
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c != '\t' && Character.isISOControl(c)) {
        if (sb == null) {
          sb = new StringBuilder(s);
        }
        sb.setCharAt(i, '\uFFFD');
      }
    }
    return sb == null ? s : sb.toString();
  }
}
