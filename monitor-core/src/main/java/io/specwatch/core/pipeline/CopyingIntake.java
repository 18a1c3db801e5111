package io.specwatch.core.pipeline;

import com.lmax.disruptor.InsufficientCapacityException;
import com.lmax.disruptor.RingBuffer;
import io.specwatch.core.Position;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

/**
 * {@link PipelineConfig.DecodeMode#OWN_THREAD}: a source's document is copied into a ring slot
 * (so the source may reuse its buffer at once) and the decode stage's thread parses it later.
 * Claims are lock-free (the ring is multi-producer). Documents over
 * {@link RingSlot#MAX_RETAINED_BYTES} draw on a byte budget while they wait for the decoder.
 */
final class CopyingIntake implements Intake {
  private final RingBuffer<RingSlot> ring;
  /** Bytes of large documents published and not yet decoded (returned by the decode stage). */
  private final AtomicLong largeBytesInFlight;
  /** Whether slots carry their publish time (a latency recorder reads it). */
  private final boolean timed;

  CopyingIntake(RingBuffer<RingSlot> ring, AtomicLong largeBytesInFlight, boolean timed) {
    this.ring = ring;
    this.largeBytesInFlight = largeBytesInFlight;
    this.timed = timed;
  }

  @Override
  public void publish(byte[] buf, int off, int len, Position pos) {
    if (len > RingSlot.MAX_RETAINED_BYTES) {
      reserveLargeBytes(len);
    }
    long seq = ring.next();
    try {
      ring.get(seq).set(buf, off, len, pos, Intake.stamp(timed));
    } finally {
      ring.publish(seq);
    }
  }

  @Override
  public boolean tryPublish(byte[] buf, int off, int len, Position pos) {
    boolean large = len > RingSlot.MAX_RETAINED_BYTES;
    if (large && !tryReserveLargeBytes(len)) {
      return false;
    }
    long seq;
    try {
      seq = ring.tryNext();
    } catch (InsufficientCapacityException full) {
      if (large) {
        largeBytesInFlight.addAndGet(-len);
      }
      return false;
    }
    try {
      ring.get(seq).set(buf, off, len, pos, Intake.stamp(timed));
    } finally {
      ring.publish(seq);
    }
    return true;
  }

  @Override
  public void publishRejected(Position pos, String reason) {
    long seq = ring.next();
    try {
      ring.get(seq).setRejected(pos, reason, Intake.stamp(timed));
    } finally {
      ring.publish(seq);
    }
  }


  private boolean tryReserveLargeBytes(int len) {
    while (true) {
      long inFlight = largeBytesInFlight.get();
      if (inFlight != 0 && inFlight + len > Pipeline.MAX_LARGE_BYTES_IN_FLIGHT) {
        return false;
      }
      if (largeBytesInFlight.compareAndSet(inFlight, inFlight + len)) {
        return true;
      }
    }
  }

  private void reserveLargeBytes(int len) {
    while (true) {
      long inFlight = largeBytesInFlight.get();
      if (inFlight == 0 || inFlight + len <= Pipeline.MAX_LARGE_BYTES_IN_FLIGHT) {
        if (largeBytesInFlight.compareAndSet(inFlight, inFlight + len)) {
          return;
        }
      } else {
        LockSupport.parkNanos(50_000); // backpressure: the decode stage is behind
      }
    }
  }
}
