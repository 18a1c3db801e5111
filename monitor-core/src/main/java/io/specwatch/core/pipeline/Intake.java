package io.specwatch.core.pipeline;

import io.specwatch.core.Position;

/**
 * How documents enter the ring: copied for the decode stage ({@link CopyingIntake}), or decoded
 * and admitted by the publishing thread ({@link DecodingIntake}). Thread-safe: several sources may
 * publish at once. The methods are those of {@link io.specwatch.core.DocumentPublisher}.
 */
interface Intake {
  void publish(byte[] buf, int off, int len, Position pos);

  boolean tryPublish(byte[] buf, int off, int len, Position pos);

  void publishRejected(Position pos, String reason);

  /** The last sequence published; once it returns, no publish is under way. */
  long quiesce();
}
