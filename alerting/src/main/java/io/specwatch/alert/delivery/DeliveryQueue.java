package io.specwatch.alert.delivery;

import io.specwatch.alert.Alert;
import io.specwatch.alert.AlertSink;
import io.specwatch.alert.SinkStatus;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * A sink for event-stream destinations (webhook, JSONL, Kafka): a bounded queue drained by one
 * thread that sends batches through an {@link AlertTransport}, retrying a failed batch with
 * exponential backoff and jitter until it goes through. While the destination is down, alerts
 * wait in the queue; only when the queue is full are new alerts dropped, each drop counted and
 * logged (the first, then every 100th). Order is kept: a batch is retried before anything after
 * it is sent.
 */
public final class DeliveryQueue implements AlertSink, SinkStatus {
  private static final Logger LOG = Logger.getLogger(DeliveryQueue.class.getName());
  /** How often an idle worker looks at whether it should stop. */
  private static final long IDLE_POLL_MILLIS = 100;

  private final AlertTransport transport;
  private final DeliveryConfig config;
  private final BlockingQueue<Alert> queue;
  private final Backoff backoff;
  private final Thread worker;
  private final Object wakeUp = new Object();
  private final AtomicLong sent = new AtomicLong();
  private final AtomicLong failed = new AtomicLong();
  private final AtomicLong dropped = new AtomicLong();
  private volatile int inFlight;
  private volatile boolean closing;
  private volatile long closeDeadlineNanos;

  public DeliveryQueue(AlertTransport transport, DeliveryConfig config) {
    this.transport = transport;
    this.config = config;
    this.queue = new ArrayBlockingQueue<>(config.queueCapacity());
    this.backoff = new Backoff(config.initialBackoff(), config.maxBackoff(), new SplittableRandom());
    this.worker = new Thread(this::run, "specwatch-sink-" + transport.name());
    this.worker.setDaemon(true);
    this.worker.start();
  }

  @Override
  public void publish(Alert alert) {
    if (closing) {
      drop(1, "the sink is closed", alert);
    } else if (!queue.offer(alert)) {
      drop(1, "its queue of " + config.queueCapacity() + " is full", alert);
    }
  }

  private void drop(int n, String why, Alert example) {
    long total = dropped.addAndGet(n);
    if (total == n || total / 100 != (total - n) / 100) {
      LOG.warning("sink " + name() + ": dropped " + n + " alert(s) because " + why + "; "
          + total + " dropped so far (latest: " + (example == null ? "?" : example.labels()) + ")");
    }
  }

  private void run() {
    List<Alert> batch = new ArrayList<>(config.batchSize());
    try {
      while (true) {
        if (batch.isEmpty()) {
          Alert first = queue.poll(IDLE_POLL_MILLIS, TimeUnit.MILLISECONDS);
          if (first == null) {
            if (closing) {
              return;
            }
            continue;
          }
          batch.add(first);
          fill(batch);
          inFlight = batch.size();
        }
        if (trySend(batch)) {
          batch.clear();
          inFlight = 0;
        } else if (closing && System.nanoTime() >= closeDeadlineNanos) {
          giveUp(batch);
          return;
        }
      }
    } catch (InterruptedException e) {
      giveUp(batch);
    }
  }

  /** Tops the batch up with what is queued, waiting up to the linger time for more. */
  private void fill(List<Alert> batch) throws InterruptedException {
    long deadline = System.nanoTime() + config.linger().toNanos();
    while (batch.size() < config.batchSize()) {
      queue.drainTo(batch, config.batchSize() - batch.size());
      long remaining = deadline - System.nanoTime();
      if (batch.size() >= config.batchSize() || remaining <= 0 || closing) {
        return;
      }
      Alert next = queue.poll(remaining, TimeUnit.NANOSECONDS);
      if (next == null) {
        return;
      }
      batch.add(next);
    }
  }

  /** One attempt; true when the batch is done with (sent, or rejected and counted). */
  private boolean trySend(List<Alert> batch) throws InterruptedException {
    try {
      transport.send(List.copyOf(batch));
      sent.addAndGet(batch.size());
      backoff.reset();
      return true;
    } catch (DeliveryException e) {
      if (!e.isRetriable()) {
        drop(batch.size(), "the destination rejected them: " + e.getMessage(), batch.get(0));
        return true;
      }
      retryLater(e);
      return false;
    } catch (RuntimeException e) {
      // A bug of the transport, not of the destination: still retried, never lost silently.
      retryLater(e);
      return false;
    }
  }

  private void retryLater(Exception e) throws InterruptedException {
    long n = failed.incrementAndGet();
    long delay = backoff.nextDelayMillis();
    if (backoff.consecutiveFailures() == 1 || n % 100 == 0) {
      LOG.log(Level.WARNING, "sink " + name() + ": delivery failed (" + n + " failure(s) so far), "
          + "retrying in " + delay + " ms with " + queueDepth() + " alert(s) waiting: " + e.getMessage(),
          e.getCause() != null ? e.getCause() : null);
    }
    long until = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(delay);
    synchronized (wakeUp) {
      long left;
      while ((left = until - System.nanoTime()) > 0
          && !(closing && System.nanoTime() >= closeDeadlineNanos)) {
        long leftMs = Math.max(1, TimeUnit.NANOSECONDS.toMillis(left));
        if (closing) {
          leftMs = Math.min(leftMs, Math.max(1, TimeUnit.NANOSECONDS.toMillis(closeDeadlineNanos - System.nanoTime())));
        }
        wakeUp.wait(leftMs);
      }
    }
  }

  private void giveUp(List<Alert> batch) {
    List<Alert> rest = new ArrayList<>(batch);
    queue.drainTo(rest);
    inFlight = 0;
    if (!rest.isEmpty()) {
      drop(rest.size(), "the sink closed before they could be delivered", rest.get(0));
    }
  }

  @Override
  public String name() {
    return transport.name();
  }

  @Override
  public long sent() {
    return sent.get();
  }

  @Override
  public long failed() {
    return failed.get();
  }

  @Override
  public long dropped() {
    return dropped.get();
  }

  /** Alerts queued plus the batch being sent. */
  @Override
  public int queueDepth() {
    return queue.size() + inFlight;
  }

  @Override
  public int queueCapacity() {
    return config.queueCapacity();
  }

  @Override
  public List<SinkStatus> status() {
    return List.of(this);
  }

  /**
   * Keeps delivering for up to the close timeout, then drops (and counts) what is left and closes
   * the transport.
   */
  @Override
  public void close() {
    if (closing) {
      return;
    }
    closeDeadlineNanos = System.nanoTime() + config.closeTimeout().toNanos();
    closing = true;
    synchronized (wakeUp) {
      wakeUp.notifyAll();
    }
    try {
      worker.join(config.closeTimeout().toMillis() + 1000);
      if (worker.isAlive()) {
        worker.interrupt(); // stuck inside a send: its batch is counted as dropped
        worker.join(1000);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    transport.close();
  }
}
