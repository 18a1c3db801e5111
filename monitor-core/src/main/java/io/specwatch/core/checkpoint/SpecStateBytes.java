package io.specwatch.core.checkpoint;

import io.specwatch.core.engine.SpecRuntime;

/**
 * One spec's state as a block of bytes, the unit that checkpoints (the Kafka changelog's, the
 * daemon's file) and reloads carry: exported in {@link CompactStateWriter}'s form, imported from
 * that form or from {@link BinaryStateWriter}'s fixed-width one (checkpoints of earlier builds),
 * and always read exactly to its end, so a block that is longer than what the runtime reads is
 * refused rather than half understood.
 */
public final class SpecStateBytes {
  private SpecStateBytes() {}

  /** The runtime's whole state, compact. */
  public static byte[] export(SpecRuntime rt) {
    CompactStateWriter w = new CompactStateWriter(4096);
    rt.exportState(w);
    return w.toByteArray();
  }

  /**
   * Imports {@code state} into {@code rt}, a fresh runtime of the same state layout.
   *
   * @param fixedWidth the block is in {@link BinaryStateWriter}'s form (written by an earlier
   *     build), not {@link CompactStateWriter}'s
   * @throws CheckpointFormatException if the bytes are corrupt, or longer than what was read
   */
  public static void importInto(SpecRuntime rt, byte[] state, boolean fixedWidth) {
    boolean consumed;
    if (fixedWidth) {
      BinaryStateReader r = new BinaryStateReader(state);
      rt.importState(r);
      consumed = r.atEnd();
    } else {
      CompactStateReader r = new CompactStateReader(state);
      rt.importState(r);
      consumed = r.atEnd();
    }
    if (!consumed) {
      throw new CheckpointFormatException(
          "the state of spec `" + rt.program().name() + "` has trailing bytes");
    }
  }
}
