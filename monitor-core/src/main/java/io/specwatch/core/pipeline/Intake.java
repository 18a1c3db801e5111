package io.specwatch.core.pipeline;

import io.specwatch.core.DocumentPublisher;

/**
 * How documents enter the ring: copied for the decode stage ({@link CopyingIntake}), or decoded
 * and admitted by the publishing thread ({@link DecodingIntake}). The first is thread-safe
 * (several sources may publish at once); the second takes no lock and has one publishing thread.
 * The methods are those of {@link DocumentPublisher}, whose {@code publishAll} publishes one by
 * one unless an intake reads ahead.
 */
interface Intake extends DocumentPublisher {
  /**
   * The publish time a slot carries for the latency recorder: read only when there is one, since
   * a clock read per document (about 20 ns) is otherwise wasted on the hot path.
   */
  static long stamp(boolean timed) {
    return timed ? System.nanoTime() : 0;
  }
}
