package io.specwatch.core;

/** A 1-based line number in a JSONL input. Blank lines are skipped but counted. */
public record LinePosition(long line) implements Position {
  @Override
  public void appendJsonMembers(StringBuilder sb) {
    sb.append("\"line\":").append(line);
  }
}
