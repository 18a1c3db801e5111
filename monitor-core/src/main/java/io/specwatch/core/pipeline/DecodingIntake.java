package io.specwatch.core.pipeline;

import com.lmax.disruptor.InsufficientCapacityException;
import com.lmax.disruptor.RingBuffer;
import io.specwatch.core.DocumentBatch;
import io.specwatch.core.Position;
import io.specwatch.core.engine.ReadAhead;
import io.specwatch.core.engine.SpecInputs;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;

/**
 * {@link PipelineConfig.DecodeMode#ON_PUBLISH}: the publishing thread parses and admits its
 * document straight into a ring slot, and the ring carries admitted documents to the evaluators.
 * On 2 cores this leaves two busy threads (the source, the evaluator) where the decode stage made
 * three, one of which was always waiting for a scheduler time slice (milliseconds of latency).
 *
 * <p>Admission keeps per-spec state (dedupe memory, watermark) and the decoder is one thread's,
 * and the hot path takes no lock: so exactly one thread publishes. The first thread that
 * publishes owns the intake; a publish from any other thread is refused with an
 * {@link IllegalStateException} (two threads admitting at once would corrupt the dedupe memory
 * and invent violations, silently). The ring is single-producer. Waiting for room yields, then
 * parks briefly; {@link #tryPublish} never waits. The caller's bytes are decoded where they are,
 * so nothing is copied and large documents hold no ring memory (the large-document budget is not
 * needed).
 */
final class DecodingIntake implements Intake {
  /** Waits for room spin-yield this many times, then park (the evaluators are behind). */
  private static final int YIELDS_BEFORE_PARKING = 100;
  private static final long PARK_NANOS = 20_000;

  /** A single-producer ring: only {@link #owner} claims. */
  private final RingBuffer<RingSlot> ring;
  private final DecodeStage decoder;
  private final StageFailures failures;
  /** The one publishing thread, set by its first publish (a CAS once, plain reads after). */
  private final AtomicReference<Thread> owner = new AtomicReference<>();
  /** Whether slots carry their publish time (a latency recorder reads it). */
  private final boolean timed;
  private final ReadAhead readAhead;

  DecodingIntake(RingBuffer<RingSlot> ring, DecodeStage decoder, StageFailures failures,
      boolean timed) {
    this.timed = timed;
    this.ring = ring;
    this.decoder = decoder;
    this.failures = failures;
    this.readAhead = decoder.readAhead();
  }

  @Override
  public void publish(byte[] buf, int off, int len, Position pos) {
    long published = Intake.stamp(timed); // latency counts any wait for room: it is the user's
    checkOwner();
    for (int waits = 0; !offer(buf, off, len, null, pos, published); waits++) {
      waitForRoom(waits);
    }
  }

  /**
   * Publishes a batch reading ahead ({@link ReadAhead}), {@link SpecInputs#READ_AHEAD} documents
   * at a time: parses them, touches their dedupe rows in one loop so that the cache misses
   * overlap, then admits and publishes them one slot each.
   */
  @Override
  public void publishAll(DocumentBatch batch) {
    checkOwner();
    for (int first = 0; first < batch.size(); ) {
      long published = Intake.stamp(timed); // the group's: parsing it is part of the latency
      int count = readAhead.prepare(batch, first);
      for (int d = 0; d < count; d++) {
        long seq = claim();
        RingSlot slot = ring.get(seq);
        Position pos = batch.position(first + d);
        try {
          slot.setAdmitted(pos, published);
          if (readAhead.fault(d) != null) {
            slot.failed = true;
            throw readAhead.fault(d);
          }
          decoder.admitAhead(d, readAhead.reason(d), pos, slot);
        } catch (RuntimeException e) {
          failures.record(e, pos, seq); // as in offer()
        } finally {
          ring.publish(seq); // always: an unpublished claim would stall the ring for good
        }
      }
      first += count;
    }
  }

  /** The next slot, waiting for room as {@link #publish} does. */
  private long claim() {
    for (int waits = 0; ; waits++) {
      try {
        return ring.tryNext();
      } catch (InsufficientCapacityException full) {
        waitForRoom(waits);
      }
    }
  }

  @Override
  public boolean tryPublish(byte[] buf, int off, int len, Position pos) {
    long published = Intake.stamp(timed);
    checkOwner();
    return offer(buf, off, len, null, pos, published);
  }

  @Override
  public void publishRejected(Position pos, String reason) {
    long published = Intake.stamp(timed);
    checkOwner();
    for (int waits = 0; !offer(null, 0, 0, reason, pos, published); waits++) {
      waitForRoom(waits);
    }
  }


  private void checkOwner() {
    Thread me = Thread.currentThread();
    Thread o = owner.getPlain();
    if (o == me) {
      return;
    }
    if (o == null && owner.compareAndSet(null, me)) {
      return;
    }
    throw new IllegalStateException("this pipeline decodes on its publishing thread ("
        + owner.get().getName() + ") and takes no lock, so only that thread may publish; "
        + "a pipeline with several sources must decode on its own thread (DecodeMode.OWN_THREAD)");
  }

  /** Admits the document into the next slot if there is one free now; false if the ring is full. */
  private boolean offer(byte[] buf, int off, int len, String rejectReason, Position pos,
      long publishedNanos) {
    long seq;
    try {
      seq = ring.tryNext();
    } catch (InsufficientCapacityException full) {
      return false;
    }
    RingSlot slot = ring.get(seq);
    try {
      slot.setAdmitted(pos, publishedNanos);
      decoder.admit(buf, off, len, rejectReason, pos, slot);
    } catch (RuntimeException e) {
      // A bug, not a bad document: the slot stays marked failed and the evaluators skip it.
      // The source is not told: as with the decode stage, the pipeline goes on.
      failures.record(e, pos, seq);
    } finally {
      ring.publish(seq); // always: an unpublished claim would stall the ring for good
    }
    return true;
  }

  private static void waitForRoom(int waits) {
    if (waits < YIELDS_BEFORE_PARKING) {
      Thread.yield();
    } else {
      LockSupport.parkNanos(PARK_NANOS);
    }
  }
}
