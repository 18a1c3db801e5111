package io.specwatch.alert.kafka;

import io.specwatch.alert.SinkStatus;
import io.specwatch.alert.delivery.Backoff;
import io.specwatch.alert.delivery.DeliveryConfig;
import io.specwatch.core.Violation;
import io.specwatch.core.ViolationSink;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.SplittableRandom;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.errors.RetriableException;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Violations to a Kafka topic, for sources other than Kafka (files, stdin, HTTP, OTLP): each
 * violation is one record, keyed by its entity key (by spec name when it has none, as malformed
 * documents do), its value the contract's JSON line with all the evidence, and headers
 * {@code specwatch.spec}, {@code specwatch.kind}, {@code specwatch.rule} for routing without
 * parsing. Keying by entity keeps one entity's violations in order on one partition.
 *
 * <p>Like every sink it has its own bounded queue ({@link DeliveryConfig#queueCapacity()}
 * violations) drained by one thread in batches ({@link DeliveryConfig#batchSize()}), so
 * {@link #accept} never blocks the caller and a broker that is down for minutes loses nothing
 * that fits the queue. The thread produces a batch and waits for its acknowledgements; records
 * that fail with a retriable error (broker down, metadata unknown past {@code max.block.ms},
 * delivery timeout) are produced again after an exponential backoff with jitter, until they go
 * through or the sink is closed; a record the broker refuses for good (too large, not
 * authorized) is dropped. Drops (queue full, refused, still queued at close) are counted and
 * logged. The producer's own buffer and retries work underneath; this queue is what outlives
 * the producer's {@code delivery.timeout.ms}, which would otherwise drop records after two
 * minutes of outage.
 *
 * <p>The producer is idempotent with {@code acks=all}, so its own retries never duplicate a
 * record; a record that times out here and is produced again may (at-least-once). The whole run
 * is not exactly-once either: a restart of a non-Kafka source repeats what it re-reads
 * (docs/kafka.md); the Kafka source writes violations in its own transactions instead.
 * ({@link io.specwatch.alert.delivery.DeliveryQueue} does the same for alerts; this class keeps
 * its own loop because it carries violations and tracks acknowledgements per record.)
 */
public final class KafkaViolationSink implements ViolationSink, SinkStatus, AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(KafkaViolationSink.class);
  /** How often an idle worker looks at whether it should stop. */
  private static final long IDLE_POLL_MILLIS = 100;
  /**
   * How long producing blocks on unknown metadata (a broker that is down) before the attempt
   * counts as failed and backs off: also bounds how long {@link #close} can wait for a send.
   */
  static final Duration MAX_BLOCK = Duration.ofSeconds(10);

  private final String topic;
  private final DeliveryConfig config;
  private final KafkaProducer<byte[], byte[]> producer;
  private final BlockingQueue<Violation> queue;
  private final Backoff backoff;
  private final Thread worker;
  private final Object wakeUp = new Object();
  private final AtomicLong sent = new AtomicLong();
  private final AtomicLong failed = new AtomicLong();
  private final AtomicLong dropped = new AtomicLong();
  /** Accepted and not yet acknowledged or dropped: queued, being produced, or to be retried. */
  private final AtomicLong outstanding = new AtomicLong();
  private final Object progress = new Object();
  private volatile boolean closing;
  private volatile long closeDeadlineNanos;

  /** With {@link DeliveryConfig#defaults()}. */
  public KafkaViolationSink(String bootstrapServers, String topic, Map<String, String> clientProperties) {
    this(bootstrapServers, topic, clientProperties, DeliveryConfig.defaults());
  }

  /**
   * @param clientProperties passed to the producer unchanged, last (security settings, tuning)
   * @param config queue, batch size, backoff and close timeout ({@code linger} is the producer's)
   */
  public KafkaViolationSink(String bootstrapServers, String topic, Map<String, String> clientProperties,
      DeliveryConfig config) {
    this.topic = topic;
    this.config = config;
    Properties p = new Properties();
    p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
    p.put(ProducerConfig.ACKS_CONFIG, "all");
    p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
    p.put(ProducerConfig.LINGER_MS_CONFIG, "5");
    p.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, Long.toString(MAX_BLOCK.toMillis()));
    p.putAll(clientProperties);
    this.producer = new KafkaProducer<>(p, new ByteArraySerializer(), new ByteArraySerializer());
    this.queue = new ArrayBlockingQueue<>(config.queueCapacity());
    this.backoff = new Backoff(config.initialBackoff(), config.maxBackoff(), new SplittableRandom());
    this.worker = new Thread(this::run, "specwatch-sink-kafka-" + topic);
    this.worker.setDaemon(true);
    this.worker.start();
  }

  /** The record a violation becomes; the Kafka source writes the same shape transactionally. */
  public static ProducerRecord<byte[], byte[]> record(String topic, Violation v) {
    String key = v.key() != null ? v.key() : v.spec();
    RecordHeaders headers = new RecordHeaders();
    headers.add("specwatch.spec", utf8(v.spec()));
    headers.add("specwatch.kind", utf8(v.kind().label()));
    if (v.rule() != null) {
      headers.add("specwatch.rule", utf8(v.rule()));
    }
    return new ProducerRecord<>(topic, null, utf8(key), utf8(v.toJson()), headers);
  }

  @Override
  public void accept(Violation v) {
    if (closing) {
      drop(1, "the sink is closed", v);
      return;
    }
    outstanding.incrementAndGet(); // before the offer, so the worker never sees it go negative
    if (!queue.offer(v)) {
      outstanding.decrementAndGet();
      drop(1, "its queue of " + config.queueCapacity() + " is full", v);
    }
  }

  /** Accepted violations given up on: no longer outstanding, and counted as dropped. */
  private void dropAccepted(int n, String why, Violation example) {
    outstanding.addAndGet(-n);
    drop(n, why, example);
    signalProgress();
  }

  private void signalProgress() {
    synchronized (progress) {
      progress.notifyAll();
    }
  }

  private void drop(int n, String why, Violation example) {
    long total = dropped.addAndGet(n);
    if (total == n || total / 100 != (total - n) / 100) {
      LOG.warn("sink {}: dropped {} violation(s) because {}; {} dropped so far (latest: {}/{} key {})",
          name(), n, why, total, example.spec(), example.rule(), example.key());
    }
  }

  private void run() {
    List<Violation> batch = new ArrayList<>(config.batchSize());
    try {
      while (true) {
        if (batch.isEmpty()) {
          Violation first = queue.poll(IDLE_POLL_MILLIS, TimeUnit.MILLISECONDS);
          if (first == null) {
            if (closing) {
              return;
            }
            continue;
          }
          batch.add(first);
          queue.drainTo(batch, config.batchSize() - 1);
        }
        List<Violation> retry = produce(batch);
        batch.clear();
        batch.addAll(retry);
        signalProgress();
        if (retry.isEmpty()) {
          backoff.reset();
        } else if (closing && System.nanoTime() >= closeDeadlineNanos) {
          giveUp(batch);
          return;
        } else {
          waitBeforeRetry();
        }
      }
    } catch (InterruptedException e) {
      giveUp(batch);
    }
  }

  /**
   * Produces the batch and waits for every acknowledgement; returns, in order, the records to
   * produce again (retriable failures). Acknowledged ones are counted as sent, refused ones as
   * dropped.
   */
  private List<Violation> produce(List<Violation> batch) throws InterruptedException {
    // On interruption (close gave up waiting), batch is left holding what is not resolved.
    List<Future<RecordMetadata>> acks = new ArrayList<>(batch.size());
    for (Violation v : batch) {
      Future<RecordMetadata> ack;
      try {
        ack = producer.send(record(topic, v));
      } catch (RuntimeException e) { // the producer is closing, or a client bug: try again later
        ack = CompletableFuture.failedFuture(e);
      }
      acks.add(ack);
      if (ack.isDone()) {
        // Failed before reaching the network (acks=all cannot succeed that fast): typically the
        // metadata wait timed out because the broker is down. The rest would wait as long, each;
        // they are retried with this one instead.
        break;
      }
    }
    List<Violation> retry = new ArrayList<>();
    Throwable lastError = null;
    for (int i = 0; i < acks.size(); i++) {
      try {
        acks.get(i).get();
        sent.incrementAndGet();
        outstanding.decrementAndGet();
      } catch (InterruptedException e) {
        List<Violation> unresolved = new ArrayList<>(retry);
        unresolved.addAll(batch.subList(i, batch.size()));
        batch.clear();
        batch.addAll(unresolved);
        throw e;
      } catch (ExecutionException e) {
        Throwable cause = e.getCause();
        if (cause instanceof RetriableException || !(cause instanceof KafkaException)) {
          retry.add(batch.get(i));
          lastError = cause;
        } else {
          dropAccepted(1, "the broker refused it for good: " + cause, batch.get(i));
        }
      }
    }
    retry.addAll(batch.subList(acks.size(), batch.size())); // not attempted: see above
    if (!retry.isEmpty()) {
      long n = failed.incrementAndGet();
      if (backoff.consecutiveFailures() == 0 || n % 100 == 0) {
        LOG.warn("sink {}: {} of {} violation(s) not acknowledged ({} failure(s) so far), retrying "
            + "with backoff with {} waiting: {}", name(), retry.size(), batch.size(), n,
            queueDepth(), String.valueOf(lastError));
      }
    }
    return retry;
  }

  private void waitBeforeRetry() throws InterruptedException {
    long until = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(backoff.nextDelayMillis());
    synchronized (wakeUp) {
      long left;
      while ((left = until - System.nanoTime()) > 0
          && !(closing && System.nanoTime() >= closeDeadlineNanos)) {
        long leftMs = Math.max(1, TimeUnit.NANOSECONDS.toMillis(left));
        if (closing) {
          leftMs = Math.min(leftMs, Math.max(1,
              TimeUnit.NANOSECONDS.toMillis(closeDeadlineNanos - System.nanoTime())));
        }
        wakeUp.wait(leftMs);
      }
    }
  }

  private void giveUp(List<Violation> batch) {
    List<Violation> rest = new ArrayList<>(batch);
    queue.drainTo(rest);
    if (!rest.isEmpty()) {
      dropAccepted(rest.size(), "the sink closed before they could be delivered", rest.get(0));
    }
  }

  /**
   * Waits until everything accepted so far was acknowledged or dropped, up to {@code timeout};
   * true when it was.
   */
  public boolean flush(Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    synchronized (progress) {
      long left;
      while (outstanding.get() > 0) {
        if ((left = deadline - System.nanoTime()) <= 0) {
          return false;
        }
        progress.wait(Math.max(1, TimeUnit.NANOSECONDS.toMillis(left)));
      }
    }
    return true;
  }

  @Override
  public String name() {
    return "kafka-" + topic;
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

  /** Violations queued plus those being produced (or waiting to be produced again). */
  @Override
  public int queueDepth() {
    return (int) Math.min(Integer.MAX_VALUE, outstanding.get());
  }

  @Override
  public int queueCapacity() {
    return config.queueCapacity();
  }

  /**
   * Keeps delivering for up to the close timeout, then drops (and counts) what is left and closes
   * the producer.
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
      worker.join(config.closeTimeout().toMillis() + MAX_BLOCK.toMillis() + 1000);
      if (worker.isAlive()) {
        worker.interrupt(); // stuck waiting for acknowledgements: its batch is counted as dropped
        worker.join(1000);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    producer.close(Duration.ofSeconds(5));
  }

  private static byte[] utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }
}
