package io.specwatch.core.pipeline;

import io.specwatch.core.InvariantHeldAgain;
import io.specwatch.core.Position;
import io.specwatch.core.Violation;
import io.specwatch.core.ViolationSink;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.atomic.AtomicLong;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * A bounded queue in front of one sink, drained by its own thread, so that a slow or broken sink
 * never stalls evaluation. Violations are rare next to events, so the queue's lock is off the
 * per-event path: it is taken only when a violation is raised.
 *
 * <p>With {@link Overflow#DROP} (live alerting) a full queue drops the violation and counts it,
 * logging the first drop and every 1000th after; with {@link Overflow#BLOCK} (offline checks,
 * where losing a verdict is never acceptable) evaluation waits for the sink.
 *
 * <p>The queue also carries the evaluator's "invariant holds again" signals, in order with the
 * violations, so an alert sink sees a break and its repair in the order they happened. A dropped
 * signal is counted with the drops; the alert then resolves by its quiet period instead.
 */
public final class SinkQueue implements ViolationSink, AutoCloseable {
  private static final Logger LOG = Logger.getLogger(SinkQueue.class.getName());
  private static final Object STOP = new Object();

  /** What to do when the queue is full. */
  public enum Overflow { DROP, BLOCK }

  private final String name;
  private final ViolationSink sink;
  private final BlockingQueue<Object> queue;
  private final Overflow overflow;
  private final Thread drainer;
  private final AtomicLong delivered = new AtomicLong();
  private final AtomicLong dropped = new AtomicLong();
  private final AtomicLong failed = new AtomicLong();
  private volatile boolean closed;

  public SinkQueue(String name, ViolationSink sink, int capacity, Overflow overflow) {
    if (capacity < 1) {
      throw new IllegalArgumentException("sink queue capacity must be positive, was " + capacity);
    }
    this.name = name;
    this.sink = sink;
    this.queue = new ArrayBlockingQueue<>(capacity);
    this.overflow = overflow;
    this.drainer = new Thread(this::drain, "specwatch-sink-" + name);
    this.drainer.setDaemon(true);
    this.drainer.start();
  }

  @Override
  public void accept(Violation v) {
    enqueue(v, v.spec(), v.rule(), v.key());
  }

  @Override
  public void invariantHolds(String spec, String rule, String entity, String key, Position pos,
      long time) {
    enqueue(new InvariantHeldAgain(spec, rule, entity, key, pos, time), spec, rule, key);
  }

  private void enqueue(Object item, String spec, String rule, String key) {
    if (closed) {
      throw new IllegalStateException("sink queue " + name + " is closed");
    }
    if (overflow == Overflow.BLOCK) {
      try {
        queue.put(item);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        countDrop(item, spec, rule, key);
      }
    } else if (!queue.offer(item)) {
      countDrop(item, spec, rule, key);
    }
  }

  private void countDrop(Object item, String spec, String rule, String key) {
    long n = dropped.incrementAndGet();
    if (n == 1 || n % 1000 == 0) {
      String what = item instanceof Violation ? "" : " invariant-holds signal of";
      LOG.warning("sink " + name + ": queue full, " + n + " item(s) dropped so far (latest:" + what
          + " " + spec + "/" + rule + " key " + key + ")");
    }
  }

  private void drain() {
    List<Object> batch = new ArrayList<>(256);
    try {
      while (true) {
        batch.add(queue.take());
        queue.drainTo(batch, 255);
        for (Object item : batch) {
          if (item == STOP) {
            return;
          }
          try {
            if (item instanceof Violation) {
              sink.accept((Violation) item);
              delivered.incrementAndGet();
            } else {
              ((InvariantHeldAgain) item).replayTo(sink);
            }
          } catch (RuntimeException e) {
            // A failing sink must not take the others down; retries belong to the sink itself.
            if (failed.incrementAndGet() == 1) {
              LOG.log(Level.WARNING, "sink " + name + " failed to deliver a violation", e);
            }
          }
        }
        batch.clear();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** Delivers everything queued so far, then stops the drain thread. */
  @Override
  public void close() throws InterruptedException {
    if (closed) {
      return;
    }
    closed = true;
    queue.put(STOP);
    drainer.join();
  }

  public String name() {
    return name;
  }

  public long delivered() {
    return delivered.get();
  }

  public long dropped() {
    return dropped.get();
  }

  public long failed() {
    return failed.get();
  }

  public int depth() {
    return queue.size();
  }
}
