package io.specwatch.core.engine;

import io.specwatch.core.Position;
import io.specwatch.core.ViolationSink;
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
 * Feeds documents through one or more compiled specs. Each document is parsed once, reading only
 * the union of the paths the specs use; then every spec applies it, in the order the specs were
 * given. Violations go to the sink in the order they are raised.
 *
 * <p>A monitor is single-threaded: call it from one thread (the live pipeline gives each shard its
 * own monitor).
 */
public final class Monitor {
  private final List<SpecRuntime> runtimes = new ArrayList<>();
  private final List<DocumentView> views = new ArrayList<>();
  private final DocumentDecoder decoder;
  private final Document document;

  public Monitor(List<Program> programs) {
    this(programs, DocumentDecoder.DEFAULT_MAX_DEPTH);
  }

  public Monitor(List<Program> programs, int maxNestingDepth) {
    Set<String> names = new HashSet<>();
    List<DocPath> all = new ArrayList<>();
    for (Program p : programs) {
      if (!names.add(p.name())) {
        throw new IllegalArgumentException("two specs are named `" + p.name() + "`");
      }
      all.addAll(p.paths());
    }
    this.decoder = new DocumentDecoder(all, maxNestingDepth);
    this.document = decoder.newDocument();
    for (Program p : programs) {
      int[] map = new int[p.paths().size()];
      for (int i = 0; i < map.length; i++) {
        map[i] = decoder.slotOf(p.paths().get(i));
      }
      DocumentView view = new DocumentView(map);
      view.bind(document);
      views.add(view);
      runtimes.add(new SpecRuntime(p, view));
    }
  }

  /** Applies one document: {@code len} bytes of {@code buf} from {@code off}, one JSON text. */
  public void accept(byte[] buf, int off, int len, Position pos, ViolationSink out) {
    String reason = decoder.decode(buf, off, len, document);
    for (SpecRuntime rt : runtimes) {
      if (reason != null) {
        rt.rejectDocument(pos, reason, out);
      } else {
        rt.process(pos, out);
      }
    }
  }

  /**
   * Rejects a document that never reached the parser (for example a line over the size limit):
   * one malformed violation per spec, with the reason.
   */
  public void reject(Position pos, String reason, ViolationSink out) {
    for (SpecRuntime rt : runtimes) {
      rt.rejectDocument(pos, reason, out);
    }
  }

  /** Fires every deadline still armed (end of a finite input with {@code --flush}). */
  public void flush(ViolationSink out) {
    for (SpecRuntime rt : runtimes) {
      rt.flush(out);
    }
  }

  public List<SpecRuntime> runtimes() {
    return List.copyOf(runtimes);
  }
}
