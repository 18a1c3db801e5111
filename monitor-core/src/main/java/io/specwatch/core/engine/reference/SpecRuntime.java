package io.specwatch.core.engine.reference;

import io.specwatch.core.Position;
import io.specwatch.core.ViolationSink;
import io.specwatch.core.engine.DedupeLimits;
import io.specwatch.core.json.DocumentView;
import io.specwatch.core.program.Program;
import java.util.List;

/**
 * Runs one compiled spec over a stream of documents on the calling thread: the contract's
 * "Applying one document" as {@link Admission} (dedupe, decoding, watermark) followed by a
 * single {@link Evaluator} that owns every instance. This is what {@code specwatch check} uses;
 * the live pipeline runs the same two stages on separate threads with several evaluators.
 */
final class SpecRuntime {
  private final Admission admission;
  private final Evaluator evaluator;
  private final AdmittedDocument admitted;

  public SpecRuntime(Program program, DocumentView view) {
    this(program, view, DedupeLimits.LIVE);
  }

  public SpecRuntime(Program program, DocumentView view, DedupeLimits dedupeLimits) {
    this.admission = new Admission(program, view, dedupeLimits);
    this.evaluator = new Evaluator(program, 0, 1);
    this.admitted = new AdmittedDocument(program);
  }

  public Program program() {
    return admission.program();
  }

  /** Step 1: a line that is not a JSON object is one malformed violation per spec. */
  public void rejectDocument(Position pos, String reason, ViolationSink out) {
    admission.reject(pos, reason, admitted);
    evaluator.onDocument(admitted, pos, out);
  }

  /** Steps 2 to 6 for a document that is a JSON object, already bound to this spec's view. */
  public void process(Position pos, ViolationSink out) {
    admission.admit(pos, admitted);
    evaluator.onDocument(admitted, pos, out);
  }

  /** {@code check --flush}: fires every deadline still armed, in firing order, with no position. */
  public void flush(ViolationSink out) {
    evaluator.flush(out);
  }

  /** For tests and tools: the keys of the instances currently held for an entity type. */
  public List<String> liveKeys(String entityName) {
    return evaluator.liveKeys(entityName);
  }
}
