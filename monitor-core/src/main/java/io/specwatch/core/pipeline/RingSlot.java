package io.specwatch.core.pipeline;

import io.specwatch.core.Position;
import io.specwatch.core.engine.AdmittedDocument;
import io.specwatch.core.program.Program;
import java.util.List;

/**
 * One preallocated slot of the ring: the raw document as a source published it (copied into the
 * slot's own buffer), its position, and what the decode stage made of it for each spec. Slots
 * are reused, so publishing a document allocates nothing once buffers have grown to size.
 */
final class RingSlot {
  /**
   * A slot keeps a buffer of at most this size between documents. A larger document gets a buffer
   * of its own, dropped once it is decoded: otherwise every slot would keep the largest document
   * it ever held, up to ring size times the document limit (16K slots of 1 MiB: 16 GiB).
   */
  static final int MAX_RETAINED_BYTES = 4096;
  private static final int INITIAL_BYTES = 512;

  byte[] data = new byte[INITIAL_BYTES];
  int length;
  Position position;
  /** Set by a source for a document that never reaches the parser (e.g. over the size limit). */
  String rejectReason;
  long publishNanos;
  /**
   * Admission threw on this document (a bug, counted as a stage failure): the evaluators skip
   * the slot, whose admitted documents may be partly those of an earlier document.
   */
  boolean failed;
  final AdmittedDocument[] perSpec;

  RingSlot(List<Program> programs) {
    perSpec = new AdmittedDocument[programs.size()];
    for (int s = 0; s < perSpec.length; s++) {
      perSpec[s] = new AdmittedDocument(programs.get(s));
    }
  }

  void set(byte[] buf, int off, int len, Position pos, long nanos) {
    if (len > data.length) {
      data = new byte[len > MAX_RETAINED_BYTES ? len
          : Math.min(MAX_RETAINED_BYTES, Math.max(len, data.length * 2))];
    }
    System.arraycopy(buf, off, data, 0, len);
    length = len;
    position = pos;
    rejectReason = null;
    publishNanos = nanos;
  }

  /** After decoding: the raw bytes are no longer needed; a large buffer is not kept. */
  void releaseLargeBuffer() {
    if (data.length > MAX_RETAINED_BYTES) {
      data = new byte[INITIAL_BYTES];
    }
  }

  /** For decoding on publish: the document is admitted from the caller's buffer, not copied. */
  void setAdmitted(Position pos, long nanos) {
    length = 0;
    position = pos;
    rejectReason = null;
    publishNanos = nanos;
  }

  void setRejected(Position pos, String reason, long nanos) {
    length = 0;
    position = pos;
    rejectReason = reason;
    publishNanos = nanos;
  }
}
