package io.specwatch.load.peers;

import io.specwatch.load.bench.Engine;
import io.specwatch.load.bench.PaymentsWorkload;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Properties;
import java.util.Set;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.Stores;

/**
 * Kafka Streams 4.1 (test scope) running the four payment rules as a Processor API topology in a
 * {@link TopologyTestDriver}: records keyed by payment id with their event time as timestamp, an
 * in-memory key-value store of payment states (serialized, as Kafka Streams stores are), and an
 * in-memory store of armed deadlines ordered by expiry, fired by a stream-time punctuation every
 * second when stream time minus the 2-minute lateness passes them. A payment still authorized at
 * its expiry has neither been captured nor failed.
 *
 * <p>Punctuation runs after the record that advanced stream time, where specwatch fires before
 * it; on this workload no payment has events near its expiry, so the verdicts are the same.
 */
public final class KafkaStreamsEngine implements Engine {
  private static final String TOPIC = "payments";
  private static final byte AUTHORIZED = 1;
  private static final byte CAPTURED = 2;
  private static final byte REFUNDED = 3;
  private static final byte FAILED = 4;

  private final PaymentsWorkload w;
  private final TopologyTestDriver driver;
  private final TestInputTopic<String, byte[]> input;
  private final Set<String> verdicts = new HashSet<>();

  public KafkaStreamsEngine(PaymentsWorkload w) throws Exception {
    this.w = w;
    Topology t = new Topology();
    t.addSource("events", new StringDeserializer(), new ByteArrayDeserializer(), TOPIC);
    t.addProcessor("rules", () -> new Rules(verdicts), "events");
    t.addStateStore(Stores.keyValueStoreBuilder(Stores.inMemoryKeyValueStore("payments"),
        Serdes.String(), Serdes.ByteArray()).withLoggingDisabled(), "rules");
    t.addStateStore(Stores.keyValueStoreBuilder(Stores.inMemoryKeyValueStore("deadlines"),
        Serdes.Bytes(), Serdes.ByteArray()).withLoggingDisabled(), "rules");
    Properties p = new Properties();
    p.put(StreamsConfig.APPLICATION_ID_CONFIG, "specwatch-bench");
    p.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "127.0.0.1:9"); // never contacted by the driver
    p.put(StreamsConfig.STATE_DIR_CONFIG,
        Files.createTempDirectory("kstreams-bench").toAbsolutePath().toString());
    this.driver = new TopologyTestDriver(t, p, Instant.ofEpochMilli(w.ts[0]));
    this.input = driver.createInputTopic(TOPIC, new StringSerializer(), new ByteArraySerializer());
  }

  public static Factory factory() {
    return new Factory() {
      @Override
      public String name() {
        return "Kafka Streams 4.1 (TopologyTestDriver, in-memory stores)";
      }

      @Override
      public Engine create(PaymentsWorkload w) throws Exception {
        return new KafkaStreamsEngine(w);
      }
    };
  }

  @Override
  public void process(int i) {
    byte[] value = new byte[17];
    ByteBuffer b = ByteBuffer.wrap(value);
    b.put(w.type[i]).putLong(w.amount[i]).putLong(w.ts[i]);
    input.pipeInput(w.key(i), value, w.ts[i]);
  }

  @Override
  public Set<String> verdicts() {
    return verdicts;
  }

  @Override
  public long liveInstances() {
    KeyValueStore<String, byte[]> store = driver.getKeyValueStore("payments");
    return store.approximateNumEntries();
  }

  @Override
  public void close() {
    driver.close();
  }

  /** The rules, one record at a time. */
  private static final class Rules implements Processor<String, byte[], Void, Void> {
    private final Set<String> verdicts;
    private KeyValueStore<String, byte[]> payments;
    private KeyValueStore<Bytes, byte[]> deadlines;
    private static final byte[] NOTHING = new byte[0];

    Rules(Set<String> verdicts) {
      this.verdicts = verdicts;
    }

    @Override
    public void init(ProcessorContext<Void, Void> context) {
      payments = context.getStateStore("payments");
      deadlines = context.getStateStore("deadlines");
      context.schedule(Duration.ofSeconds(1), PunctuationType.STREAM_TIME, this::fireDeadlines);
    }

    @Override
    public void process(Record<String, byte[]> r) {
      ByteBuffer e = ByteBuffer.wrap(r.value());
      byte type = e.get();
      long amount = e.getLong();
      long ts = e.getLong();
      String key = r.key();
      byte[] stored = payments.get(key);
      ByteBuffer s = stored == null ? null : ByteBuffer.wrap(stored);
      byte status = s == null ? 0 : s.get(0);
      switch (type) {
        case PaymentsWorkload.AUTHORIZED -> {
          if (s != null) {
            verdict("authorized", key);
            return;
          }
          payments.put(key, state(AUTHORIZED, amount, 0, 0));
          long expiry = ts + PaymentsWorkload.SETTLE_MILLIS;
          byte[] k = key.getBytes(StandardCharsets.UTF_8);
          deadlines.put(Bytes.wrap(ByteBuffer.allocate(8 + k.length).putLong(expiry).put(k).array()),
              NOTHING);
        }
        case PaymentsWorkload.CAPTURED -> {
          if (s == null || (status != AUTHORIZED && status != CAPTURED)) {
            verdict("captured", key);
            return;
          }
          long authorized = s.getLong(1);
          long captured = s.getLong(9);
          if (captured <= authorized && captured + amount > authorized) {
            verdict(PaymentsWorkload.INVARIANT_RULE, key);
          }
          payments.put(key, state(CAPTURED, authorized, captured + amount, s.getLong(17)));
        }
        case PaymentsWorkload.REFUNDED -> {
          if (s == null || status != CAPTURED) {
            verdict("refunded", key);
            return;
          }
          long captured = s.getLong(9);
          long refunded = s.getLong(17) + amount;
          payments.put(key, state(refunded == captured ? REFUNDED : CAPTURED, s.getLong(1),
              captured, refunded));
        }
        default -> {
          if (s != null && status != AUTHORIZED) {
            verdict("failed", key);
            return;
          }
          payments.put(key, state(FAILED, s == null ? 0 : s.getLong(1), 0, 0));
        }
      }
    }

    /** Fires the armed deadlines the watermark (stream time minus lateness) has passed. */
    private void fireDeadlines(long streamTime) {
      long watermark = streamTime - PaymentsWorkload.LATENESS_MILLIS;
      List<Bytes> due = new ArrayList<>();
      try (KeyValueIterator<Bytes, byte[]> it = deadlines.all()) {
        while (it.hasNext()) {
          KeyValue<Bytes, byte[]> kv = it.next();
          if (ByteBuffer.wrap(kv.key.get()).getLong(0) >= watermark) {
            break;
          }
          due.add(kv.key);
        }
      }
      for (Bytes k : due) {
        deadlines.delete(k);
        byte[] raw = k.get();
        String key = new String(raw, 8, raw.length - 8, StandardCharsets.UTF_8);
        byte[] stored = payments.get(key);
        if (stored != null && stored[0] == AUTHORIZED) {
          verdict(PaymentsWorkload.DEADLINE_RULE, key);
        }
      }
    }

    private void verdict(String rule, String key) {
      verdicts.add(PaymentsWorkload.verdict(rule, key));
    }

    private static byte[] state(byte status, long authorized, long captured, long refunded) {
      return ByteBuffer.allocate(25).put(status).putLong(authorized).putLong(captured)
          .putLong(refunded).array();
    }
  }
}
