package io.specwatch.core.pipeline;

import io.specwatch.core.Position;

/**
 * How documents enter the ring: copied for the decode stage ({@link CopyingIntake}), or decoded
 * and admitted by the publishing thread ({@link DecodingIntake}). The first is thread-safe
 * (several sources may publish at once); the second takes no lock and has one publishing thread.
 * The methods are those of {@link io.specwatch.core.DocumentPublisher}.
 */
interface Intake {
  void publish(byte[] buf, int off, int len, Position pos);

  boolean tryPublish(byte[] buf, int off, int len, Position pos);

  void publishRejected(Position pos, String reason);

  /** {@link io.specwatch.core.DocumentPublisher#publishAll}: one by one unless overridden. */
  default void publishAll(io.specwatch.core.DocumentBatch batch) {
    for (int i = 0; i < batch.size(); i++) {
      publish(batch.buf(i), batch.offset(i), batch.length(i), batch.position(i));
    }
  }

  /**
   * The publish time a slot carries for the latency recorder: read only when there is one, since
   * a clock read per document (about 20 ns) is otherwise wasted on the hot path.
   */
  static long stamp(boolean timed) {
    return timed ? System.nanoTime() : 0;
  }
}
