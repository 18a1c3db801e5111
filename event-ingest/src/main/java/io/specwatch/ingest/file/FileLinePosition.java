package io.specwatch.ingest.file;

import io.specwatch.core.Position;

/**
 * A line of a named JSONL source. Its JSON is only {@code "line":N}, exactly what
 * {@code specwatch check} prints, so the daemon's output over a file equals the offline check's;
 * the source name lets the daemon keep one checkpoint position per source.
 */
public record FileLinePosition(String source, long line) implements Position {
  @Override
  public void appendJsonMembers(StringBuilder sb) {
    sb.append("\"line\":").append(line);
  }
}
