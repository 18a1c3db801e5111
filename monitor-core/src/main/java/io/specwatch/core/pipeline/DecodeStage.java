package io.specwatch.core.pipeline;

import com.lmax.disruptor.EventHandler;
import io.specwatch.core.engine.Admission;
import io.specwatch.core.engine.SpecInputs;
import io.specwatch.core.program.Program;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The pipeline's sequential stage: parses each document once (only the paths the specs read)
 * and runs every spec's {@link Admission} (dedupe, matching, decoding, watermark), leaving the
 * results in the slot for the evaluators. One thread, in ring order.
 */
final class DecodeStage implements EventHandler<RingSlot> {
  private final SpecInputs inputs;
  private final Admission[] admissions;
  private final AtomicLong largeBytesInFlight;

  DecodeStage(List<Program> programs, int maxNestingDepth, AtomicLong largeBytesInFlight) {
    this.largeBytesInFlight = largeBytesInFlight;
    this.inputs = new SpecInputs(programs, maxNestingDepth);
    this.admissions = new Admission[programs.size()];
    for (int s = 0; s < admissions.length; s++) {
      admissions[s] = new Admission(programs.get(s), inputs.view(s));
    }
  }

  @Override
  public void onEvent(RingSlot slot, long sequence, boolean endOfBatch) {
    try {
      String reason = slot.rejectReason;
      if (reason == null) {
        reason = inputs.decode(slot.data, 0, slot.length);
      }
      for (int s = 0; s < admissions.length; s++) {
        if (reason != null) {
          admissions[s].reject(slot.position, reason, slot.perSpec[s]);
        } else {
          admissions[s].admit(slot.position, slot.perSpec[s]);
        }
      }
    } finally {
      // The evaluators only read what admission left in the slot: the raw bytes can go.
      if (slot.length > RingSlot.MAX_RETAINED_BYTES) {
        largeBytesInFlight.addAndGet(-slot.length);
      }
      slot.releaseLargeBuffer();
    }
  }

  Admission admission(int s) {
    return admissions[s];
  }
}
