package io.specwatch.core.pipeline;

import com.lmax.disruptor.EventHandler;
import io.specwatch.core.Position;
import io.specwatch.core.engine.Admission;
import io.specwatch.core.engine.SpecInputs;
import io.specwatch.core.program.Program;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Parses each document once (only the paths the specs read) and runs every spec's
 * {@link Admission} (dedupe, matching, decoding, watermark), leaving the results in the ring slot
 * for the evaluators. Admission is stateful (dedupe memory, watermark), so documents must come in
 * ring order and from one thread: either this class's own stage thread
 * ({@link PipelineConfig.DecodeMode#OWN_THREAD}, {@link #onEvent}) or the one publishing thread
 * ({@link DecodingIntake}, {@link PipelineConfig.DecodeMode#ON_PUBLISH}, {@link #admit}, or
 * {@link #decodeAhead}, {@link #touchAhead} and {@link #admitAhead} for a batch read ahead).
 */
final class DecodeStage implements EventHandler<RingSlot> {
  private final SpecInputs inputs;
  private final Admission[] admissions;
  private final AtomicLong largeBytesInFlight;
  /** By document read ahead and spec: the id its dedupe step looks up, or null. */
  private final String[][] aheadIds;

  DecodeStage(List<Program> programs, int maxNestingDepth, AtomicLong largeBytesInFlight) {
    this.largeBytesInFlight = largeBytesInFlight;
    this.inputs = new SpecInputs(programs, maxNestingDepth);
    this.admissions = new Admission[programs.size()];
    this.aheadIds = new String[SpecInputs.READ_AHEAD][programs.size()];
    for (int s = 0; s < admissions.length; s++) {
      admissions[s] = new Admission(programs.get(s), inputs.view(s));
    }
  }

  /** The stage thread's work: the bytes a source copied into the slot. */
  @Override
  public void onEvent(RingSlot slot, long sequence, boolean endOfBatch) {
    try {
      admit(slot.data, 0, slot.length, slot.rejectReason, slot.position, slot);
    } finally {
      // The evaluators only read what admission left in the slot: the raw bytes can go.
      if (slot.length > RingSlot.MAX_RETAINED_BYTES) {
        largeBytesInFlight.addAndGet(-slot.length);
      }
      slot.releaseLargeBuffer();
    }
  }

  /**
   * Admits one document into {@code slot} for every spec: {@code len} bytes of {@code buf} from
   * {@code off}, or, when {@code rejectReason} is set, a document that never reaches the parser.
   * The slot is marked failed until admission completes, so that if it throws (a bug) the
   * evaluators skip the slot instead of applying what an earlier document left in it.
   */
  void admit(byte[] buf, int off, int len, String rejectReason, Position pos, RingSlot slot) {
    slot.failed = true;
    String reason = rejectReason;
    if (reason == null) {
      reason = inputs.decode(buf, off, len);
    }
    admitDecoded(reason, pos, slot, null);
    slot.failed = false;
  }

  /**
   * Reading ahead ({@link DecodingIntake#publishAll}), step 1: parses a document into document
   * {@code d} (below {@link SpecInputs#READ_AHEAD}) and notes each spec's dedupe id. Returns null,
   * or why it is not a JSON object; the bytes must stay unchanged until {@link #admitAhead}.
   */
  String decodeAhead(int d, byte[] buf, int off, int len) {
    java.util.Arrays.fill(aheadIds[d], null); // nothing stale is touched if parsing throws
    String reason = inputs.decodeAhead(d, buf, off, len);
    for (int s = 0; s < admissions.length; s++) {
      aheadIds[d][s] = reason == null ? admissions[s].dedupeId() : null;
    }
    return reason;
  }

  /**
   * Step 2: starts loading what admitting documents 0 to {@code count - 1} will read first, each
   * spec's dedupe row for their ids, in one loop: each is a cache miss in a large memory, and
   * independent loads issued together wait for memory together.
   */
  void touchAhead(int count) {
    for (int d = 0; d < count; d++) {
      String[] ids = aheadIds[d];
      for (int s = 0; s < ids.length; s++) {
        if (ids[s] != null) {
          admissions[s].touchDedupe(ids[s]);
        }
      }
    }
  }

  /**
   * Step 3: admits document {@code d}, which {@link #decodeAhead} parsed and said {@code reason}
   * of, into {@code slot}; marked failed until done, as {@link #admit} does.
   */
  void admitAhead(int d, String reason, Position pos, RingSlot slot) {
    slot.failed = true;
    inputs.use(d);
    admitDecoded(reason, pos, slot, aheadIds[d]);
    slot.failed = false;
  }

  /** Every spec's admission of the document in use; {@code dedupeIds} null: not noted yet. */
  private void admitDecoded(String reason, Position pos, RingSlot slot, String[] dedupeIds) {
    for (int s = 0; s < admissions.length; s++) {
      if (reason != null) {
        admissions[s].reject(pos, reason, slot.perSpec[s]);
      } else if (dedupeIds == null) {
        admissions[s].admit(pos, slot.perSpec[s]);
      } else {
        admissions[s].admit(pos, slot.perSpec[s], dedupeIds[s]);
      }
    }
  }

  Admission admission(int s) {
    return admissions[s];
  }
}
