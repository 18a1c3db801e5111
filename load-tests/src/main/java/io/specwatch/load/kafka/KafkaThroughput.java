package io.specwatch.load.kafka;

import io.specwatch.core.Violation;
import io.specwatch.core.program.Program;
import io.specwatch.ingest.kafka.KafkaPosition;
import io.specwatch.ingest.kafka.KafkaSource;
import io.specwatch.ingest.kafka.KafkaSourceConfig;
import io.specwatch.load.PaymentsLogGenerator;
import io.specwatch.spec.CompileResult;
import io.specwatch.spec.SourceFile;
import io.specwatch.spec.SpecCompiler;
import io.specwatch.testkit.EmbeddedKafka;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.HdrHistogram.Histogram;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * The Kafka benchmark: an in-JVM KRaft broker on 127.0.0.1 (the broker on the same machine), a
 * generated payments log ({@code payments-load.sw}), and specwatch's {@link KafkaSource} with
 * exactly-once commits. Two phases:
 *
 * <ol>
 *   <li><b>throughput</b>: N events produced up front, then consumed, checked, and committed
 *       (violations, checkpoints, offsets) as fast as possible: events/s end to end and the
 *       largest consumer lag seen;
 *   <li><b>latency</b>: events produced at a fixed rate while specwatch consumes; for every
 *       violation, the time from the producer's send to the commit of the transaction that makes
 *       it visible to {@code read_committed} readers: p50, p99, max; and the lag.
 * </ol>
 *
 * <p>Arguments (all optional): {@code events=2000000 partitions=4 rate=20000 seconds=20
 * commitMs=100}. Run from the repository root after {@code mvn -o -pl load-tests package}:
 * {@code mvn -q -o -pl load-tests dependency:build-classpath -Dmdep.outputFile=/tmp/cp.txt &&
 * java -cp load-tests/target/classes:$(cat /tmp/cp.txt) io.specwatch.load.kafka.KafkaThroughput}.
 */
public final class KafkaThroughput {
  private KafkaThroughput() {}

  public static void main(String[] args) throws Exception {
    Map<String, String> opts = new java.util.HashMap<>();
    for (String a : args) {
      String[] kv = a.split("=", 2);
      opts.put(kv[0], kv.length > 1 ? kv[1] : "");
    }
    long events = Long.parseLong(opts.getOrDefault("events", "2000000"));
    int partitions = Integer.parseInt(opts.getOrDefault("partitions", "4"));
    int rate = Integer.parseInt(opts.getOrDefault("rate", "20000"));
    int seconds = Integer.parseInt(opts.getOrDefault("seconds", "20"));
    long commitMs = Long.parseLong(opts.getOrDefault("commitMs", "100"));
    List<Program> programs = compile();
    try (EmbeddedKafka kafka = EmbeddedKafka.start()) {
      throughput(kafka, programs, events, partitions, commitMs);
      latency(kafka, programs, partitions, rate, seconds, commitMs);
    }
  }

  private static void throughput(EmbeddedKafka kafka, List<Program> programs, long events,
      int partitions, long commitMs) throws Exception {
    kafka.createTopic("bench-in", partitions);
    kafka.createTopic("bench-violations", 1);
    long t0 = System.nanoTime();
    try (KafkaProducer<byte[], byte[]> p = producer(kafka)) {
      PaymentsLogGenerator gen = new PaymentsLogGenerator(
          new PaymentsLogGenerator.Options().lines(events).entities(10_000).lineFaults(false));
      while (gen.hasNext()) {
        byte[] line = gen.next();
        p.send(new ProducerRecord<>("bench-in", keyOf(line), line));
      }
      p.flush();
    }
    double produceSecs = (System.nanoTime() - t0) / 1e9;
    KafkaSourceConfig config = KafkaSourceConfig.of(kafka.bootstrapServers(), "bench-group",
            List.of("bench-in"), "bench-violations")
        .withStartPosition(KafkaSourceConfig.StartPosition.EARLIEST)
        .withCommitInterval(Duration.ofMillis(commitMs));
    KafkaSource source = new KafkaSource(config, programs, null);
    long start = System.nanoTime();
    source.start();
    long maxLag = 0;
    try (Admin admin = kafka.admin()) {
      while (true) {
        long lag = lag(admin, "bench-group", "bench-in", partitions);
        maxLag = Math.max(maxLag, lag);
        if (lag == 0) {
          break;
        }
        Thread.sleep(50); // sampling interval of the lag probe
      }
    }
    double secs = (System.nanoTime() - start) / 1e9;
    source.stop(Duration.ofSeconds(30));
    System.out.printf(Locale.ROOT, "throughput: %,d events produced in %.1f s; consumed, checked and"
        + " committed in %.1f s = %,.0f events/s; %,d violations; max lag %,d; %d commits%n",
        events, produceSecs, secs, events / secs, source.stats().violationsCommitted.get(), maxLag,
        source.stats().commits.get());
    System.out.printf(Locale.ROOT, "  member thread: poll %.1f s, apply %.1f s, commit %.1f s%n",
        source.stats().pollNanos.get() / 1e9, source.stats().applyNanos.get() / 1e9,
        source.stats().commitNanos.get() / 1e9);
  }

  private static void latency(EmbeddedKafka kafka, List<Program> programs, int partitions,
      int rate, int seconds, long commitMs) throws Exception {
    kafka.createTopic("lat-in", partitions);
    kafka.createTopic("lat-violations", 1);
    Map<Long, Long> sentAt = new ConcurrentHashMap<>();
    Histogram hist = new Histogram(60_000_000_000L, 3);
    AtomicLong measured = new AtomicLong();
    KafkaSourceConfig config = KafkaSourceConfig.of(kafka.bootstrapServers(), "lat-group",
            List.of("lat-in"), "lat-violations")
        .withStartPosition(KafkaSourceConfig.StartPosition.EARLIEST)
        .withCommitInterval(Duration.ofMillis(commitMs));
    KafkaSource source = new KafkaSource(config, programs, (Violation v) -> {
      if (v.position() instanceof KafkaPosition pos) {
        Long sent = sentAt.remove(((long) pos.partition() << 40) | pos.offset());
        if (sent != null) {
          synchronized (hist) {
            hist.recordValue(Math.max(0, System.nanoTime() - sent));
          }
          measured.incrementAndGet();
        }
      }
    });
    source.start();
    // Latency is measured in steady state: the group join and first assignment come first.
    long joinDeadline = System.nanoTime() + 60_000_000_000L;
    while (source.stats().assignedPartitions.get() < partitions && System.nanoTime() < joinDeadline) {
      Thread.sleep(20); // polling the member's assignment, bounded by the deadline
    }
    long maxLag = 0;
    long total = (long) rate * seconds;
    try (KafkaProducer<byte[], byte[]> p = producer(kafka); Admin admin = kafka.admin()) {
      PaymentsLogGenerator gen = new PaymentsLogGenerator(new PaymentsLogGenerator.Options()
          .lines(total).entities(10_000).seed(7).lineFaults(false)
          .faultRate(0.02));
      long start = System.nanoTime();
      long sent = 0;
      long nextLagProbe = start;
      while (gen.hasNext()) {
        long due = start + sent * 1_000_000_000L / rate;
        while (System.nanoTime() < due) {
          Thread.onSpinWait(); // pacing the producer to the target rate
        }
        byte[] line = gen.next();
        long sendNanos = System.nanoTime();
        p.send(new ProducerRecord<>("lat-in", keyOf(line), line), (meta, err) -> {
          if (err == null) {
            sentAt.put(((long) meta.partition() << 40) | meta.offset(), sendNanos);
          }
        });
        sent++;
        if (System.nanoTime() > nextLagProbe) {
          maxLag = Math.max(maxLag, lag(admin, "lat-group", "lat-in", partitions));
          nextLagProbe = System.nanoTime() + 500_000_000L;
        }
      }
      p.flush();
      while (lag(admin, "lat-group", "lat-in", partitions) > 0) {
        Thread.sleep(50); // sampling interval of the lag probe
      }
    }
    source.stop(Duration.ofSeconds(30));
    synchronized (hist) {
      System.out.printf(Locale.ROOT, "latency at %,d events/s for %d s (commit every %d ms): %,d"
          + " violations timed, produce-to-committed-violation p50 %.1f ms, p99 %.1f ms, max %.1f"
          + " ms; max lag %,d%n", rate, seconds, commitMs, measured.get(),
          hist.getValueAtPercentile(50) / 1e6, hist.getValueAtPercentile(99) / 1e6,
          hist.getMaxValue() / 1e6, maxLag);
    }
  }

  private static long lag(Admin admin, String group, String topic, int partitions) throws Exception {
    Map<TopicPartition, OffsetAndMetadata> committed =
        admin.listConsumerGroupOffsets(group).partitionsToOffsetAndMetadata().get();
    Map<TopicPartition, OffsetSpec> latest = new java.util.HashMap<>();
    for (int i = 0; i < partitions; i++) {
      latest.put(new TopicPartition(topic, i), OffsetSpec.latest());
    }
    long lag = 0;
    for (var e : admin.listOffsets(latest).all().get().entrySet()) {
      OffsetAndMetadata c = committed.get(e.getKey());
      lag += e.getValue().offset() - (c == null ? 0 : c.offset());
    }
    return lag;
  }

  private static KafkaProducer<byte[], byte[]> producer(EmbeddedKafka kafka) {
    Properties p = new Properties();
    p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
    p.put(ProducerConfig.LINGER_MS_CONFIG, "5");
    p.put(ProducerConfig.BATCH_SIZE_CONFIG, String.valueOf(256 * 1024));
    p.put(ProducerConfig.ACKS_CONFIG, "1");
    return new KafkaProducer<>(p, new ByteArraySerializer(), new ByteArraySerializer());
  }

  private static final byte[] KEY_MARKER = "\"payment_id\":\"".getBytes(StandardCharsets.UTF_8);

  /** The payment id of a generated line (found textually), so a payment stays on one partition. */
  static byte[] keyOf(byte[] line) {
    outer:
    for (int i = 0; i + KEY_MARKER.length < line.length; i++) {
      for (int j = 0; j < KEY_MARKER.length; j++) {
        if (line[i + j] != KEY_MARKER[j]) {
          continue outer;
        }
      }
      int start = i + KEY_MARKER.length;
      int end = start;
      while (end < line.length && line[end] != '"') {
        end++;
      }
      return java.util.Arrays.copyOfRange(line, start, end);
    }
    return null;
  }

  private static List<Program> compile() throws Exception {
    try (InputStream in = KafkaThroughput.class.getResourceAsStream("/payments-load.sw")) {
      String text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
      CompileResult r = SpecCompiler.compile(List.of(new SourceFile("payments-load.sw", text)));
      if (!r.ok()) {
        throw new IllegalStateException(r.diagnostics().toString());
      }
      return r.programs();
    }
  }
}
