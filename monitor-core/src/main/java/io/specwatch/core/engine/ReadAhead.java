package io.specwatch.core.engine;

import io.specwatch.core.DocumentBatch;
import java.util.Arrays;

/**
 * Parsing a few documents ahead of admitting them, for a caller that holds several documents in
 * stable buffers (a {@link DocumentBatch}). In groups of up to {@link SpecInputs#READ_AHEAD}
 * documents: {@link #prepare} parses each document of the group into its own document slot,
 * noting each spec's dedupe id, then touches the dedupe rows of the whole group in one loop;
 * then the caller {@link #use}s each document in turn and admits it with its noted id.
 *
 * <p>Why: a long log's dedupe memory holds millions of ids and finding one is a cache miss (about
 * 190 ns on the project's machine). Admitted one after the other, each document waits for its
 * own; touched together, the misses overlap. Touching each row right after parsing its document
 * does not do that: the touch is a load whose value is kept, the processor cannot retire past
 * it, and the next parse (hundreds of instructions) waits (load-tests/README.md, "Session 6").
 *
 * <p>Used by the pipeline's publishing thread and by {@link Monitor#acceptAll}; not thread-safe.
 */
public final class ReadAhead {
  private final SpecInputs inputs;
  private final Admission[] admissions;
  /** By document slot and spec: the id that spec's dedupe step looks up (reused buffers). */
  private final PackedId[][] ids;
  /** By document slot and spec: whether {@link #ids} holds an id for the document. */
  private final boolean[][] hasId;
  /** By document slot: why it is not a JSON object, or null. */
  private final String[] reasons = new String[SpecInputs.READ_AHEAD];
  /** By document slot: what parsing it threw (a bug), or null. */
  private final RuntimeException[] faults = new RuntimeException[SpecInputs.READ_AHEAD];

  /** {@code admissions} are bound to {@code inputs}' views, one per spec, in the specs' order. */
  public ReadAhead(SpecInputs inputs, Admission[] admissions) {
    this.inputs = inputs;
    this.admissions = admissions.clone();
    this.ids = new PackedId[SpecInputs.READ_AHEAD][admissions.length];
    this.hasId = new boolean[SpecInputs.READ_AHEAD][admissions.length];
    for (PackedId[] forDocument : ids) {
      for (int s = 0; s < forDocument.length; s++) {
        forDocument[s] = new PackedId();
      }
    }
  }

  /**
   * Parses the batch's documents from {@code first} on, up to {@link SpecInputs#READ_AHEAD} of
   * them, into document slots 0, 1, ...; then reads their dedupe rows in one loop. Returns how
   * many; for each, {@link #reason} and {@link #fault} say how parsing went. Their bytes must
   * stay unchanged until they have been admitted.
   */
  public int prepare(DocumentBatch batch, int first) {
    int count = Math.min(SpecInputs.READ_AHEAD, batch.size() - first);
    for (int d = 0; d < count; d++) {
      int i = first + d;
      faults[d] = null;
      reasons[d] = null;
      Arrays.fill(hasId[d], false); // nothing stale is touched if parsing throws
      try {
        reasons[d] = inputs.decodeAhead(d, batch.buf(i), batch.offset(i), batch.length(i));
        if (reasons[d] == null) {
          for (int s = 0; s < admissions.length; s++) {
            hasId[d][s] = admissions[s].dedupeId(ids[d][s]);
          }
        }
      } catch (RuntimeException e) {
        faults[d] = e; // the caller reports it with the document
      }
    }
    touch(count);
    return count;
  }

  /** Why document {@code d} of the group is not a JSON object, or null. */
  public String reason(int d) {
    return reasons[d];
  }

  /** What parsing document {@code d} of the group threw, or null. */
  public RuntimeException fault(int d) {
    return faults[d];
  }

  private void touch(int count) {
    for (int d = 0; d < count; d++) {
      PackedId[] noted = ids[d];
      for (int s = 0; s < noted.length; s++) {
        if (hasId[d][s]) {
          admissions[s].touchDedupe(noted[s]);
        }
      }
    }
  }

  /** Binds every spec's view to document {@code d}, to admit it. */
  public void use(int d) {
    inputs.use(d);
  }

  /**
   * The dedupe id noted for document {@code d} and spec {@code s}, or null. A buffer of this
   * read-ahead: valid until the next {@link #prepare}.
   */
  public PackedId dedupeId(int d, int s) {
    return hasId[d][s] ? ids[d][s] : null;
  }
}
