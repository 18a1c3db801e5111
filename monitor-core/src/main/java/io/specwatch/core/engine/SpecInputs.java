package io.specwatch.core.engine;

import io.specwatch.core.json.Document;
import io.specwatch.core.json.DocumentDecoder;
import io.specwatch.core.json.DocumentView;
import io.specwatch.core.program.DocPath;
import io.specwatch.core.program.Program;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The decoding side of a set of specs: one decoder over the union of the paths they read, the
 * document it fills, and each spec's view of that document. A document is parsed once for all
 * specs. Not thread-safe: one instance per decoding thread.
 */
public final class SpecInputs {
  private final List<Program> programs;
  private final DocumentDecoder decoder;
  private final Document document;
  private final DocumentView[] views;

  public SpecInputs(List<Program> programs, int maxNestingDepth) {
    Set<String> names = new HashSet<>();
    List<DocPath> all = new ArrayList<>();
    for (Program p : programs) {
      if (!names.add(p.name())) {
        throw new IllegalArgumentException("two specs are named `" + p.name() + "`");
      }
      all.addAll(p.paths());
    }
    this.programs = List.copyOf(programs);
    this.decoder = new DocumentDecoder(all, maxNestingDepth);
    this.document = decoder.newDocument();
    this.views = new DocumentView[programs.size()];
    for (int s = 0; s < views.length; s++) {
      Program p = programs.get(s);
      int[] map = new int[p.paths().size()];
      for (int i = 0; i < map.length; i++) {
        map[i] = decoder.slotOf(p.paths().get(i));
      }
      views[s] = new DocumentView(map);
      views[s].bind(document);
    }
  }

  public List<Program> programs() {
    return programs;
  }

  /** Parses one document for every view; returns null, or why it is not a JSON object. */
  public String decode(byte[] buf, int off, int len) {
    return decoder.decode(buf, off, len, document);
  }

  /** Spec {@code s}'s view of the last decoded document. */
  public DocumentView view(int s) {
    return views[s];
  }
}
