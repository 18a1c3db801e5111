package io.specwatch.core.engine;

import io.specwatch.core.DocumentBatch;
import io.specwatch.core.Position;
import io.specwatch.core.ViolationSink;
import io.specwatch.core.json.DocumentDecoder;
import io.specwatch.core.program.Program;
import java.util.ArrayList;
import java.util.List;

/**
 * Feeds documents through one or more compiled specs on the calling thread. Each document is
 * parsed once, reading only the union of the paths the specs use; then every spec applies it, in
 * the order the specs were given. Violations go to the sink in the order they are raised. This is
 * {@code specwatch check}'s engine; {@link io.specwatch.core.pipeline.Pipeline} runs the same
 * stages on several threads.
 */
public final class Monitor {
  private final SpecInputs inputs;
  private final List<SpecRuntime> runtimes = new ArrayList<>();
  private final ReadAhead readAhead;

  /** What {@link #acceptAll} does with a document whose processing throws (a bug). */
  public interface FailureHandler {
    void failed(Position pos, RuntimeException e);
  }

  public Monitor(List<Program> programs) {
    this(programs, DocumentDecoder.DEFAULT_MAX_DEPTH);
  }

  public Monitor(List<Program> programs, int maxNestingDepth) {
    this(programs, maxNestingDepth, 0, 1);
  }

  /**
   * A monitor owning only the instances whose key is in shard {@code shard} of {@code shards}
   * (see {@link SpecRuntime#SpecRuntime(Program, io.specwatch.core.json.DocumentView, int, int)});
   * shard 0 also reports malformed documents. For event-ingest's Kafka repartition stage.
   */
  public Monitor(List<Program> programs, int maxNestingDepth, int shard, int shards) {
    this(programs, maxNestingDepth, shard, shards, 0);
  }

  /**
   * As {@link #Monitor(List, int, int, int)}, where each spec holds at most
   * {@code maxLiveInstances} instances (0: no cap): an event that would create one more is an
   * {@code error} violation and is not applied (counted in {@link RuntimeStats#instancesRefused}).
   */
  public Monitor(List<Program> programs, int maxNestingDepth, int shard, int shards,
      long maxLiveInstances) {
    this(programs, maxNestingDepth, shard, shards, maxLiveInstances, DedupeLimits.LIVE);
  }

  /**
   * As {@link #Monitor(List, int, int, int, long)}, where each spec's dedupe memory keeps to
   * {@code dedupeLimits}: {@code check} remembers ids exactly ({@link DedupeLimits#forCheck}).
   */
  public Monitor(List<Program> programs, int maxNestingDepth, int shard, int shards,
      long maxLiveInstances, DedupeLimits dedupeLimits) {
    this.inputs = new SpecInputs(programs, maxNestingDepth);
    for (int s = 0; s < programs.size(); s++) {
      runtimes.add(new SpecRuntime(programs.get(s), inputs.view(s), shard, shards,
          maxLiveInstances, dedupeLimits));
    }
    Admission[] admissions = new Admission[runtimes.size()];
    for (int s = 0; s < admissions.length; s++) {
      admissions[s] = runtimes.get(s).admission();
    }
    this.readAhead = new ReadAhead(inputs, admissions);
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
   * Applies the batch's documents in order, as {@link #accept} would one by one, reading ahead
   * ({@link ReadAhead}): a few documents are parsed, their dedupe rows touched together, then
   * applied. Their bytes must stay unchanged until this returns. A document whose processing
   * throws (a bug, never a bad document) goes to {@code onFailure} and the others are applied,
   * as a caller of {@link #accept} that catches per document would do.
   */
  public void acceptAll(DocumentBatch batch, ViolationSink out, FailureHandler onFailure) {
    for (int first = 0; first < batch.size(); ) {
      int count = readAhead.prepare(batch, first);
      for (int d = 0; d < count; d++) {
        Position pos = batch.position(first + d);
        try {
          if (readAhead.fault(d) != null) {
            throw readAhead.fault(d);
          }
          readAhead.use(d);
          String reason = readAhead.reason(d);
          for (int s = 0; s < runtimes.size(); s++) {
            if (reason != null) {
              runtimes.get(s).rejectDocument(pos, reason, out);
            } else {
              runtimes.get(s).process(pos, out, readAhead.dedupeId(d, s));
            }
          }
        } catch (RuntimeException e) {
          onFailure.failed(pos, e);
        }
      }
      first += count;
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
