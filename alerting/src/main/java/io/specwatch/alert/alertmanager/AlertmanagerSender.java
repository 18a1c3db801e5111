package io.specwatch.alert.alertmanager;

import io.specwatch.alert.Alert;
import io.specwatch.alert.SinkStatus;
import io.specwatch.alert.delivery.Backoff;
import io.specwatch.alert.delivery.DeliveryConfig;
import io.specwatch.alert.delivery.DeliveryException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Delivers alerts to one Alertmanager on its own thread. Its queue is an outbox keyed by alert
 * identity: Alertmanager keeps state per label set, so only the latest version of each alert needs
 * to be sent, and an update replaces the queued one. So an Alertmanager that is down for minutes
 * costs one queue entry per distinct alert, however often alerts change or are re-posted, and
 * loses none that fit. Every {@code resendInterval} all firing alerts are queued again, which
 * keeps them alive in Alertmanager and restores them after an Alertmanager restart.
 */
final class AlertmanagerSender implements SinkStatus {
  private static final Logger LOG = Logger.getLogger(AlertmanagerSender.class.getName());

  private final String name;
  private final AlertmanagerClient client;
  private final DeliveryConfig delivery;
  private final long resendNanos;
  private final Supplier<Collection<Alert>> firing;
  private final LinkedHashMap<String, Alert> outbox = new LinkedHashMap<>();
  private final Backoff backoff;
  private final Thread thread;
  private final AtomicLong sent = new AtomicLong();
  private final AtomicLong failed = new AtomicLong();
  private final AtomicLong dropped = new AtomicLong();
  private long nextResend;
  private long nextAttempt;
  private boolean closing;
  private long closeDeadline;

  AlertmanagerSender(AlertmanagerClient client, DeliveryConfig delivery, long resendNanos,
      Supplier<Collection<Alert>> firing) {
    this.name = "alertmanager-" + client.endpoint().getAuthority();
    this.client = client;
    this.delivery = delivery;
    this.resendNanos = resendNanos;
    this.firing = firing;
    this.backoff = new Backoff(delivery.initialBackoff(), delivery.maxBackoff(), new SplittableRandom());
    long now = System.nanoTime();
    this.nextResend = now + resendNanos;
    this.nextAttempt = now;
    this.thread = new Thread(this::run, "specwatch-sink-" + name);
    this.thread.setDaemon(true);
    this.thread.start();
  }

  synchronized void offer(Alert a) {
    if (closing) {
      drop(1, "the sink is closed", a);
      return;
    }
    String id = a.fingerprint();
    if (!outbox.containsKey(id) && outbox.size() >= delivery.queueCapacity()) {
      drop(1, "its queue of " + delivery.queueCapacity() + " distinct alerts is full", a);
      return;
    }
    outbox.put(id, a);
    notifyAll();
  }

  private void drop(int n, String why, Alert example) {
    long total = dropped.addAndGet(n);
    if (total == n || total / 100 != (total - n) / 100) {
      LOG.warning("sink " + name + ": dropped " + n + " alert(s) because " + why + "; " + total
          + " dropped so far (latest: " + example.labels() + ")");
    }
  }

  private void run() {
    try {
      while (true) {
        List<Alert> batch = nextBatch();
        if (batch == null) {
          return;
        }
        if (!batch.isEmpty()) {
          send(batch);
        }
      }
    } catch (InterruptedException e) {
      synchronized (this) {
        giveUp();
      }
    }
  }

  /** Waits until there is something to send (or a resend is due); null when closed and done. */
  private List<Alert> nextBatch() throws InterruptedException {
    boolean resend = false;
    synchronized (this) {
      while (true) {
        long now = System.nanoTime();
        if (closing && (outbox.isEmpty() || now - closeDeadline >= 0)) {
          giveUp();
          return null;
        }
        if (!closing && now - nextResend >= 0) {
          resend = true;
          nextResend = now + resendNanos;
          break;
        }
        if (!outbox.isEmpty() && now - nextAttempt >= 0) {
          break;
        }
        long until = closing ? closeDeadline : nextResend;
        if (!outbox.isEmpty() && nextAttempt - until < 0) {
          until = nextAttempt;
        }
        TimeUnit.NANOSECONDS.timedWait(this, Math.max(1_000_000, until - now));
      }
    }
    if (resend) {
      // Outside our lock: the sink's lock is taken to read the firing set; never both at once.
      Collection<Alert> all = firing.get();
      synchronized (this) {
        for (Alert a : all) {
          // A full outbox defers the rest to the next resend: nothing is lost, since the firing
          // set is offered again then (and the tracker bounds its size).
          if (outbox.size() >= delivery.queueCapacity()) {
            break;
          }
          outbox.putIfAbsent(a.fingerprint(), a);
        }
      }
      return List.of();
    }
    synchronized (this) {
      List<Alert> batch = new ArrayList<>(Math.min(outbox.size(), delivery.batchSize()));
      for (Alert a : outbox.values()) {
        if (batch.size() == delivery.batchSize()) {
          break;
        }
        batch.add(a);
      }
      return batch;
    }
  }

  private void send(List<Alert> batch) throws InterruptedException {
    try {
      client.post(batch);
      sent.addAndGet(batch.size());
      synchronized (this) {
        backoff.reset();
        removeSent(batch);
      }
    } catch (DeliveryException e) {
      synchronized (this) {
        if (!e.isRetriable()) {
          removeSent(batch);
          drop(batch.size(), "Alertmanager rejected them: " + e.getMessage(), batch.get(0));
          return;
        }
        long n = failed.incrementAndGet();
        long delay = backoff.nextDelayMillis();
        nextAttempt = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(delay);
        if (backoff.consecutiveFailures() == 1 || n % 100 == 0) {
          LOG.log(Level.WARNING, "sink " + name + ": " + e.getMessage() + " (" + n
              + " failure(s) so far); retrying in " + delay + " ms with " + outbox.size()
              + " alert(s) waiting");
        }
      }
    }
  }

  /** Removes what was sent, unless a newer version of it was queued meanwhile. */
  private void removeSent(List<Alert> batch) {
    for (Alert a : batch) {
      outbox.remove(a.fingerprint(), a);
    }
  }

  private void giveUp() {
    if (!outbox.isEmpty()) {
      Iterator<Map.Entry<String, Alert>> it = outbox.entrySet().iterator();
      Alert example = it.next().getValue();
      drop(outbox.size(), "the sink closed before Alertmanager took them", example);
      outbox.clear();
    }
  }

  /** Asks the thread to deliver what is queued within {@code timeoutNanos} and stop. */
  synchronized void startClosing(long timeoutNanos) {
    closing = true;
    closeDeadline = System.nanoTime() + timeoutNanos;
    notifyAll();
  }

  void awaitClosed(long timeoutMillis) throws InterruptedException {
    thread.join(timeoutMillis);
    if (thread.isAlive()) {
      thread.interrupt();
      thread.join(1000);
    }
  }

  @Override
  public String name() {
    return name;
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

  @Override
  public synchronized int queueDepth() {
    return outbox.size();
  }

  @Override
  public int queueCapacity() {
    return delivery.queueCapacity();
  }
}
