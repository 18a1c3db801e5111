package io.specwatch.core.engine.reference;

import io.specwatch.core.program.EntityType;

/**
 * One entity instance: its committed state, which invariants are currently broken (invariants
 * are edge-triggered), its armed deadlines and whether it has ended. Touched by one thread only.
 */
final class Instance {
  final String key;
  final long[] longs;
  final Object[] refs;
  final boolean[] brokenInvariants;
  /** Per deadline: the expiry, valid while {@link #armSeq} is non-zero. */
  final long[] expiry;
  /** Per deadline: 0 when disarmed, else the id of the queue entry that is live for it. */
  final long[] armSeq;
  boolean ended;
  long endTime;

  Instance(EntityType type, String key) {
    this.key = key;
    this.longs = type.initialLongs().clone();
    this.refs = type.initialRefs().clone();
    this.brokenInvariants = new boolean[type.invariants().size()];
    this.expiry = new long[type.deadlines().size()];
    this.armSeq = new long[type.deadlines().size()];
  }
}
