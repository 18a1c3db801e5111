package io.specwatch.core.program;

import java.util.List;

/**
 * A path into a JSON document, such as {@code order.customer.id}, {@code attributes["payment.id"]}
 * or {@code items[0].sku}. Each segment is either an object key or an array index.
 */
public record DocPath(List<Segment> segments) {

  /** One step of a path: {@code key != null} for an object member, else an array index. */
  public record Segment(String key, int index) {
    public static Segment key(String key) {
      return new Segment(key, -1);
    }

    public static Segment index(int index) {
      return new Segment(null, index);
    }

    public boolean isKey() {
      return key != null;
    }
  }

  public DocPath {
    segments = List.copyOf(segments);
    if (segments.isEmpty()) {
      throw new IllegalArgumentException("a path has at least one segment");
    }
  }

  /** The path as a user would write it: identifiers joined with dots, others quoted. */
  @Override
  public String toString() {
    StringBuilder sb = new StringBuilder();
    for (Segment s : segments) {
      if (!s.isKey()) {
        sb.append('[').append(s.index()).append(']');
      } else if (isIdentifier(s.key())) {
        if (sb.length() > 0) {
          sb.append('.');
        }
        sb.append(s.key());
      } else {
        sb.append("[\"").append(s.key().replace("\\", "\\\\").replace("\"", "\\\"")).append("\"]");
      }
    }
    return sb.toString();
  }

  private static boolean isIdentifier(String s) {
    if (s.isEmpty() || !(Character.isLetter(s.charAt(0)) || s.charAt(0) == '_')) {
      return false;
    }
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      boolean ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_';
      if (!ok) {
        return false;
      }
    }
    return true;
  }
}
