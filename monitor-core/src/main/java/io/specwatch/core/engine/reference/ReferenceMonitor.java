package io.specwatch.core.engine.reference;

import io.specwatch.core.Position;
import io.specwatch.core.ViolationSink;
import io.specwatch.core.engine.DedupeLimits;
import io.specwatch.core.engine.SpecInputs;
import io.specwatch.core.json.DocumentDecoder;
import io.specwatch.core.program.Program;
import java.util.ArrayList;
import java.util.List;

/**
 * The frozen reference evaluator: the plain tree-walking engine as it was before the compiled
 * hot path, kept obviously correct and deliberately unoptimised. The differential tests hold the
 * production {@link io.specwatch.core.engine.Monitor} to exactly its violations (full JSON, in
 * order) on thousands of random traces. Do not optimise anything in this package.
 *
 * <p>Feeds documents through one or more compiled specs on the calling thread. Each document is
 * parsed once, reading only the union of the paths the specs use; then every spec applies it, in
 * the order the specs were given. Violations go to the sink in the order they are raised. This is
 * {@code specwatch check}'s engine; {@link io.specwatch.core.pipeline.Pipeline} runs the same
 * stages on several threads.
 */
public final class ReferenceMonitor {
  private final SpecInputs inputs;
  private final List<SpecRuntime> runtimes = new ArrayList<>();

  public ReferenceMonitor(List<Program> programs) {
    this(programs, DocumentDecoder.DEFAULT_MAX_DEPTH);
  }

  public ReferenceMonitor(List<Program> programs, int maxNestingDepth) {
    this(programs, maxNestingDepth, DedupeLimits.LIVE);
  }

  /** A monitor whose dedupe memories keep to {@code dedupeLimits} ({@code check}'s, say). */
  public ReferenceMonitor(List<Program> programs, int maxNestingDepth,
      DedupeLimits dedupeLimits) {
    this.inputs = new SpecInputs(programs, maxNestingDepth);
    for (int s = 0; s < programs.size(); s++) {
      runtimes.add(new SpecRuntime(programs.get(s), inputs.view(s), dedupeLimits));
    }
  }

  /** Applies one document: {@code len} bytes of {@code buf} from {@code off}, one JSON text. */
  public void accept(byte[] buf, int off, int len, Position pos, ViolationSink out) {
    String reason = inputs.decode(buf, off, len);
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

  List<SpecRuntime> runtimes() {
    return List.copyOf(runtimes);
  }
}
