package io.specwatch.core.pipeline;

import com.lmax.disruptor.EventHandler;
import io.specwatch.core.Position;
import io.specwatch.core.engine.Admission;
import io.specwatch.core.engine.DedupeLimits;
import io.specwatch.core.engine.ReadAhead;
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
 * {@link #readAhead} and {@link #admitAhead} for a batch).
 */
final class DecodeStage implements EventHandler<RingSlot> {
  private final SpecInputs inputs;
  private final Admission[] admissions;
  private final AtomicLong largeBytesInFlight;
  private final ReadAhead readAhead;

  DecodeStage(List<Program> programs, int maxNestingDepth, DedupeLimits dedupeLimits,
      AtomicLong largeBytesInFlight) {
    this.largeBytesInFlight = largeBytesInFlight;
    this.inputs = new SpecInputs(programs, maxNestingDepth);
    this.admissions = new Admission[programs.size()];
    for (int s = 0; s < admissions.length; s++) {
      admissions[s] = new Admission(programs.get(s), inputs.view(s), dedupeLimits);
    }
    this.readAhead = new ReadAhead(inputs, admissions);
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
    for (int s = 0; s < admissions.length; s++) {
      if (reason != null) {
        admissions[s].reject(pos, reason, slot.perSpec[s]);
      } else {
        admissions[s].admit(pos, slot.perSpec[s]);
      }
    }
    slot.failed = false;
  }

  /** The read-ahead {@link DecodingIntake#publishAll} prepares a batch's groups with. */
  ReadAhead readAhead() {
    return readAhead;
  }

  /**
   * Step 3 of {@link ReadAhead}: admits document {@code d}, which the read-ahead parsed and said
   * {@code reason} of, into {@code slot}; marked failed until done, as {@link #admit} does.
   */
  void admitAhead(int d, String reason, Position pos, RingSlot slot) {
    slot.failed = true;
    readAhead.use(d);
    for (int s = 0; s < admissions.length; s++) {
      if (reason != null) {
        admissions[s].reject(pos, reason, slot.perSpec[s]);
      } else {
        admissions[s].admit(pos, slot.perSpec[s], readAhead.dedupeId(d, s));
      }
    }
    slot.failed = false;
  }

  Admission admission(int s) {
    return admissions[s];
  }
}
