package io.specwatch.alert.kafka;

import io.specwatch.alert.SinkStatus;
import io.specwatch.core.Violation;
import io.specwatch.core.ViolationSink;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
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
 * <p>The producer is idempotent with {@code acks=all}, so its own retries never duplicate a
 * record. It does not make the whole run exactly-once: a restart of a non-Kafka source repeats
 * what it re-reads (docs/kafka.md); the Kafka source writes violations in its own transactions
 * instead. {@link #accept} blocks only when the producer's buffer is full (backpressure, up to
 * {@code max.block.ms}); a record that still fails is counted and logged, never thrown.
 */
public final class KafkaViolationSink implements ViolationSink, SinkStatus, AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(KafkaViolationSink.class);

  private final String topic;
  private final KafkaProducer<byte[], byte[]> producer;
  private final AtomicLong sent = new AtomicLong();
  private final AtomicLong failed = new AtomicLong();
  private final AtomicLong dropped = new AtomicLong();

  /**
   * @param clientProperties passed to the producer unchanged, last (security settings, tuning)
   */
  public KafkaViolationSink(String bootstrapServers, String topic, Map<String, String> clientProperties) {
    this.topic = topic;
    Properties p = new Properties();
    p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
    p.put(ProducerConfig.ACKS_CONFIG, "all");
    p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
    p.put(ProducerConfig.LINGER_MS_CONFIG, "5");
    p.putAll(clientProperties);
    this.producer = new KafkaProducer<>(p, new ByteArraySerializer(), new ByteArraySerializer());
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
    try {
      producer.send(record(topic, v), (meta, error) -> {
        if (error == null) {
          sent.incrementAndGet();
        } else {
          failed.incrementAndGet();
          dropped.incrementAndGet();
          LOG.warn("violation not delivered to {}: {}", topic, error.toString());
        }
      });
    } catch (RuntimeException e) { // buffer full past max.block.ms, or the producer is closed
      dropped.incrementAndGet();
      LOG.warn("violation dropped, not queued for {}: {}", topic, e.toString());
    }
  }

  /** Waits until every violation accepted so far is acknowledged or has failed. */
  public void flush() {
    producer.flush();
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

  @Override
  public int queueDepth() {
    return 0; // the producer's buffer is the queue; its metrics carry the depth in bytes
  }

  @Override
  public int queueCapacity() {
    return 0;
  }

  @Override
  public void close() {
    producer.close(Duration.ofSeconds(10));
  }

  private static byte[] utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }
}
