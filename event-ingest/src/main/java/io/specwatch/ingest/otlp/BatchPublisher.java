package io.specwatch.ingest.otlp;

import io.specwatch.core.DocumentPublisher;
import io.specwatch.core.pipeline.Pipeline;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Publishes the documents of one request so that a client told to retry never causes a double
 * count: a request goes in whole, or (when the pipeline is full) not at all.
 *
 * <p>{@link DocumentPublisher} offers no reservation, so "all or nothing" is built from three
 * parts: (1) requests of this receiver publish one at a time (a lock), so they cannot take each
 * other's room; (2) when the publisher is a {@link Pipeline} or says its {@link PublisherCapacity},
 * its free slots are checked up front and a request that does not fit is refused with nothing
 * published; (3) the first document goes
 * in with {@code tryPublish}, and a refusal there also publishes nothing. Once a document is in,
 * the request is committed: if another source (a Kafka consumer on the same pipeline) took the
 * room meanwhile, the rest is retried until the commit timeout. Only if the pipeline stays full
 * that long are the remaining records dropped, and then they are counted and reported to the
 * client as rejected (OTLP partial success), not retried and double-counted. Counting is the
 * caller's ({@link OtlpIngest}), which knows the endpoint.
 */
public final class BatchPublisher {
  /** What happened to a batch. */
  public enum Outcome {
    /** Every document went in. */
    PUBLISHED,
    /** Nothing went in: the pipeline is full; the client should retry later. */
    FULL
  }

  /** The outcome, and how many documents were dropped after the commit (0 unless it timed out). */
  public record Result(Outcome outcome, int dropped) {}

  private final DocumentPublisher publisher;
  private final long commitTimeoutNanos;
  private final ReentrantLock oneRequestAtATime = new ReentrantLock();

  public BatchPublisher(DocumentPublisher publisher, Duration commitTimeout) {
    this.publisher = publisher;
    this.commitTimeoutNanos = commitTimeout.toNanos();
  }

  public Result publish(DocumentBatch batch) {
    int n = batch.size();
    if (n == 0) {
      return new Result(Outcome.PUBLISHED, 0);
    }
    try {
      // Normally held for a few copies into the ring; a request that cannot get it within the
      // commit timeout is behind one that waits for room, so the pipeline is full for it too.
      if (!oneRequestAtATime.tryLock(commitTimeoutNanos, TimeUnit.NANOSECONDS)) {
        return new Result(Outcome.FULL, 0);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return new Result(Outcome.FULL, 0);
    }
    try {
      long free = freeSlots();
      if (free != UNKNOWN && free < Math.min(n, capacity())) {
        return new Result(Outcome.FULL, 0);
      }
      if (!offer(batch, 0)) {
        return new Result(Outcome.FULL, 0);
      }
      long giveUpAt = System.nanoTime() + commitTimeoutNanos;
      for (int i = 1; i < n; i++) {
        while (!offer(batch, i)) {
          if (System.nanoTime() - giveUpAt > 0) {
            return new Result(Outcome.PUBLISHED, n - i);
          }
          LockSupport.parkNanos(TimeUnit.MICROSECONDS.toNanos(200)); // the decoder is behind
        }
      }
      return new Result(Outcome.PUBLISHED, 0);
    } finally {
      oneRequestAtATime.unlock();
    }
  }

  /**
   * Publishes entry {@code i} if there is room now. A document goes in with {@code tryPublish};
   * an unreadable entry with {@code publishRejected}, which has no non-blocking form, so only
   * when the publisher says it has a free slot (or cannot say: then it may wait for one).
   */
  private boolean offer(DocumentBatch batch, int i) {
    if (!batch.isUnreadable(i)) {
      return publisher.tryPublish(batch.buffer(), batch.start(i), batch.length(i),
          batch.position(i));
    }
    if (freeSlots() == 0) {
      return false;
    }
    publisher.publishRejected(batch.position(i), batch.unreadableReason(i));
    return true;
  }

  private static final long UNKNOWN = -1;

  /** The publisher's free slots now, or {@link #UNKNOWN} when it cannot say. */
  private long freeSlots() {
    if (publisher instanceof Pipeline) {
      Pipeline pipeline = (Pipeline) publisher;
      return Math.max(0, pipeline.ringSize() - pipeline.backlog());
    }
    if (publisher instanceof PublisherCapacity) {
      return Math.max(0, ((PublisherCapacity) publisher).freeSlots());
    }
    return UNKNOWN;
  }

  /**
   * The publisher's whole capacity, when {@link #freeSlots} is known. A request larger than it
   * can never fit up front: it is let through when the publisher is empty and completes as it
   * drains.
   */
  private long capacity() {
    if (publisher instanceof Pipeline) {
      return ((Pipeline) publisher).ringSize();
    }
    return ((PublisherCapacity) publisher).capacity();
  }
}
