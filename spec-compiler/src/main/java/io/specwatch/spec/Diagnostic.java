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
        .append(message).append('\n');
    if (sourceLine != null) {
      String gutter = String.valueOf(line);
      sb.append(' ').append(gutter).append(" | ").append(sourceLine).append('\n');
      sb.append(' ').append(" ".repeat(gutter.length())).append(" | ");
      // Tabs stay tabs under the caret, so it lines up in a terminal.
      for (int i = 0; i < column - 1 && i < sourceLine.length(); i++) {
        sb.append(sourceLine.charAt(i) == '\t' ? '\t' : ' ');
      }
      sb.append("^\n");
    }
    return sb.toString();
  }
}
