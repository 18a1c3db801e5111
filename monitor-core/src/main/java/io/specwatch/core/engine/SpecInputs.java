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
 * documents it fills, and each spec's view of the current one. A document is parsed once for all
 * specs. Not thread-safe: one instance per decoding thread.
 *
 * <p>There are {@link #READ_AHEAD} documents, so that a publisher can parse a few documents ahead
 * of the one it admits ({@link #decodeAhead}, {@link #use}); {@link #decode} uses the first.
 */
public final class SpecInputs {
  /** Documents that can be decoded ahead of the one being admitted. */
  public static final int READ_AHEAD = 8;

  private final List<Program> programs;
  private final DocumentDecoder decoder;
  private final Document[] documents = new Document[READ_AHEAD];
  private final DocumentView[] views;
  /** The document the views are bound to. */
  private int current;

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
    for (int d = 0; d < documents.length; d++) {
      documents[d] = decoder.newDocument();
    }
    this.views = new DocumentView[programs.size()];
    for (int s = 0; s < views.length; s++) {
      Program p = programs.get(s);
      int[] map = new int[p.paths().size()];
      for (int i = 0; i < map.length; i++) {
        map[i] = decoder.slotOf(p.paths().get(i));
      }
      views[s] = new DocumentView(map);
      views[s].bind(documents[0]);
    }
  }

  public List<Program> programs() {
    return programs;
  }

  /** Parses one document for every view; returns null, or why it is not a JSON object. */
  public String decode(byte[] buf, int off, int len) {
    return decodeAhead(0, buf, off, len);
  }

  /**
   * Parses a document into document {@code d} (below {@link #READ_AHEAD}) and binds the views to
   * it; returns null, or why it is not a JSON object. The document refers to {@code buf}, which
   * must stay unchanged until it has been admitted.
   */
  public String decodeAhead(int d, byte[] buf, int off, int len) {
    use(d);
    return decoder.decode(buf, off, len, documents[d]);
  }

  /** Binds every view to document {@code d}, decoded earlier by {@link #decodeAhead}. */
  public void use(int d) {
    if (d != current) {
      current = d;
      for (DocumentView v : views) {
        v.bind(documents[d]);
      }
    }
  }

  /** Spec {@code s}'s view of the document in use: the last decoded, or the last {@link #use}d. */
  public DocumentView view(int s) {
    return views[s];
  }
}
