package io.specwatch.core.engine;

import io.specwatch.core.Position;
import io.specwatch.core.ViolationSink;
import io.specwatch.core.json.DocumentView;
import io.specwatch.core.program.Program;
import java.util.List;

/**
 * Runs one compiled spec over a stream of documents on the calling thread: the contract's
 * "Applying one document" as {@link Admission} (dedupe, decoding, watermark) followed by a
 * single {@link Evaluator} that owns every instance. This is what {@code specwatch check} uses;
 * the live pipeline runs the same two stages on separate threads with several evaluators.
 */
public final class SpecRuntime {
  private final Admission admission;
  private final Evaluator evaluator;
  private final AdmittedDocument admitted;
  private final RuntimeStats stats = new RuntimeStats();

  public SpecRuntime(Program program, DocumentView view) {
    this(program, view, 0, 1);
  }

  /**
   * A runtime that applies only the events whose key is in shard {@code shard} of
   * {@code shards} ({@link AdmittedDocument#shardOf}), and reports malformed documents only when
   * {@code shard} is 0: what one partition of event-ingest's Kafka repartition topic runs, whose
   * partition number is the shard of the keys routed to it.
   */
  public SpecRuntime(Program program, DocumentView view, int shard, int shards) {
    this(program, view, shard, shards, 0);
  }

  /**
   * As {@link #SpecRuntime(Program, DocumentView, int, int)}, holding at most
   * {@code maxLiveInstances} instances (0: no cap); see {@link Evaluator}'s constructor.
   */
  public SpecRuntime(Program program, DocumentView view, int shard, int shards,
      long maxLiveInstances) {
    this(program, view, shard, shards, maxLiveInstances, DedupeLimits.LIVE);
  }

  /** As above, with a dedupe memory that keeps to {@code dedupeLimits} ({@code check}'s, say). */
  public SpecRuntime(Program program, DocumentView view, int shard, int shards,
      long maxLiveInstances, DedupeLimits dedupeLimits) {
    this.admission = new Admission(program, view, dedupeLimits);
    this.evaluator = new Evaluator(program, shard, shards, maxLiveInstances);
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

  /** {@link #process(Position, ViolationSink)} with the document's dedupe id noted already. */
  void process(Position pos, ViolationSink out, PackedId dedupeId) {
    admission.admit(pos, admitted, dedupeId);
    evaluator.onDocument(admitted, pos, out);
  }

  /** For {@link Monitor}'s read-ahead. */
  Admission admission() {
    return admission;
  }

  /** {@code check --flush}: fires every deadline still armed, in firing order, with no position. */
  public void flush(ViolationSink out) {
    evaluator.flush(out);
  }

  public RuntimeStats stats() {
    return RuntimeStats.of(admission, List.of(evaluator), stats);
  }

  /** For tests and tools: the keys of the instances currently held for an entity type. */
  public List<String> liveKeys(String entityName) {
    return evaluator.liveKeys(entityName);
  }

  // ---- external watermark hook (event-ingest's Kafka source: idle partitions) ----

  /**
   * Moves this spec's deadline watermark from outside, without a document (a Kafka partition
   * that went idle follows the other partitions' event time): fires the deadlines expiring
   * strictly before {@code watermark}, with {@code pos}, in firing order. Returns whether the
   * state changed (something fired or was forgotten); when false the state is untouched. The
   * admission's own watermark (dedupe, the next document's) is not moved. A caller that restores
   * state by re-applying documents must persist the state after a true return, since the
   * re-applied documents alone would not reproduce it.
   */
  public boolean advanceWatermark(long watermark, Position pos, ViolationSink out) {
    return evaluator.advanceWatermarkWithoutDocument(watermark, pos, out);
  }

  /** This spec's watermark from its own documents (largest event time minus lateness). */
  public long watermark() {
    return admission.watermark();
  }

  // ---- checkpoint hooks (io.specwatch.core.checkpoint) ----

  /** Writes this spec's whole state (admission, then its one evaluator). */
  public void exportState(io.specwatch.core.checkpoint.StateWriter w) {
    admission.exportState(w);
    evaluator.exportState(w);
  }

  /** Restores what {@link #exportState} wrote; call on a fresh runtime of the same program. */
  public void importState(io.specwatch.core.checkpoint.StateReader r) {
    admission.importState(r);
    evaluator.importState(r);
  }
}
