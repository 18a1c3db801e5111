package io.specwatch.core.json;

import io.specwatch.core.program.DocPath;
import java.util.ArrayList;
import java.util.List;

/** Test helper: builds a {@link DocPath} from the spec syntax, e.g. {@code a.b[0]["x.y"]}. */
final class Paths {
  private Paths() {}

  static DocPath path(String text) {
    List<DocPath.Segment> segments = new ArrayList<>();
    int i = 0;
    while (i < text.length()) {
      char c = text.charAt(i);
      if (c == '.') {
        i++;
      } else if (c == '[' && text.charAt(i + 1) == '"') {
        int end = text.indexOf("\"]", i + 2);
        segments.add(DocPath.Segment.key(text.substring(i + 2, end)));
        i = end + 2;
      } else if (c == '[') {
        int end = text.indexOf(']', i);
        segments.add(DocPath.Segment.index(Integer.parseInt(text.substring(i + 1, end))));
        i = end + 1;
      } else {
        int end = i;
        while (end < text.length() && text.charAt(end) != '.' && text.charAt(end) != '[') {
          end++;
        }
        segments.add(DocPath.Segment.key(text.substring(i, end)));
        i = end;
      }
    }
    return new DocPath(segments);
  }

  static List<DocPath> paths(String... texts) {
    List<DocPath> out = new ArrayList<>();
    for (String t : texts) {
      out.add(path(t));
    }
    return out;
  }
}
