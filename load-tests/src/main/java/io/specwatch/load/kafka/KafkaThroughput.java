package io.specwatch.load.kafka;

import io.specwatch.core.Violation;
import io.specwatch.core.program.Program;
import io.specwatch.ingest.kafka.KafkaPosition;
import io.specwatch.ingest.kafka.KafkaSource;
import io.specwatch.ingest.kafka.KafkaSourceConfig;
import io.specwatch.load.PaymentsLogGenerator;
import io.specwatch.testkit.EmbeddedKafka;
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
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
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
 *       it visible to {@code read_committed} readers: p50, p99, max; and the lag;
 *   <li><b>ceiling</b> (only when asked: {@code phases=ceiling}): the same N events produced, then
 *       read back by a bare {@code KafkaConsumer} (read_committed, 5,000 records a poll) that does
 *       nothing with them: what this machine's broker and Kafka clients alone allow, the upper
 *       bound of any consumer's end-to-end rate here.
 * </ol>
 *
 * <p>After the throughput phase a new member of the group restores the checkpoints the stopped
 * one wrote (the restore time), and the phase reports the CPU time of each specwatch thread,
 * which, unlike wall time, does not depend on what else shares the machine.
 *
 * <p>Arguments (all optional): {@code events=2000000 partitions=4 rate=20000 seconds=20
 * commitMs=100 checkpointS=10 applyThreads=0 phases=throughput,latency pace=park broker=jvm
 * warmup=0} ({@code warmup=N}: the throughput round first runs once with N events on topics and a
 * group of its own, so that the measured round runs on a warm JVM)
 * ({@code pace=spin}: the latency phase's producer spins between sends instead of parking, as
 * before session 7; it takes a core. {@code broker=process}: the broker runs in a JVM of its
 * own instead of this one, so it does not share specwatch's heap, collector and safepoints),
 * and any
 * {@code client.NAME=VALUE}, passed to specwatch's Kafka clients as {@code NAME=VALUE} (fetch
 * sizes, {@code linger.ms}, {@code compression.type}, ...: docs/kafka.md, section 9). Run from the repository root after {@code mvn -o -pl load-tests package}:
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
    long checkpointS = Long.parseLong(opts.getOrDefault("checkpointS", "10"));
    int applyThreads = Integer.parseInt(opts.getOrDefault("applyThreads", "0"));
    String phases = opts.getOrDefault("phases", "throughput,latency");
    boolean spin = opts.getOrDefault("pace", "park").equals("spin");
    Map<String, String> client = new java.util.HashMap<>();
    opts.forEach((k, v) -> {
      if (k.startsWith("client.")) {
        client.put(k.substring("client.".length()), v);
      }
    });
    List<Program> programs = PaymentsLogGenerator.compiledSpec();
    boolean brokerProcess = opts.getOrDefault("broker", "jvm").equals("process");
    try (EmbeddedKafka kafka =
        brokerProcess ? EmbeddedKafka.startAsProcess() : EmbeddedKafka.start()) {
      // withApplyThreads only when asked: so this class also drives the KafkaSource of an
      // earlier build (a before/after comparison with the same benchmark code).
      java.util.function.UnaryOperator<KafkaSourceConfig> tuning = c -> {
        KafkaSourceConfig t = c.withCommitInterval(Duration.ofMillis(commitMs))
            .withCheckpointInterval(Duration.ofSeconds(checkpointS))
            .withClientProperties(client);
        return applyThreads == 0 ? t : t.withApplyThreads(applyThreads);
      };
      System.out.printf(Locale.ROOT, "settings: commitMs=%d checkpointS=%d applyThreads=%d pace=%s"
          + " broker=%s client=%s%n", commitMs, checkpointS, applyThreads, spin ? "spin" : "park",
          brokerProcess ? "process" : "jvm", client);
      long warmup = Long.parseLong(opts.getOrDefault("warmup", "0"));
      if (phases.contains("throughput") && warmup > 0) {
        // The same round on topics of its own first, so that the measured one runs on a JVM
        // whose JIT has compiled the broker, the clients and specwatch (in a cold 7 s round the
        // compiler threads took 43 % of the JVM's CPU samples).
        throughput(kafka, programs, warmup, partitions, tuning, "warm");
      }
      if (phases.contains("throughput")) {
        throughput(kafka, programs, events, partitions, tuning, "bench");
      }
      if (phases.contains("latency")) {
        latency(kafka, programs, partitions, rate, seconds, commitMs, spin, tuning);
      }
      if (phases.contains("ceiling")) {
        ceiling(kafka, events, partitions);
      }
    }
  }

  /**
   * CPU time of each live thread of specwatch's Kafka member (its own and its apply threads),
   * which, unlike wall time, does not depend on what else the machine runs: the busiest one
   * bounds the rate on an idle machine.
   */
  private static String specwatchThreadCpu() {
    java.lang.management.ThreadMXBean mx = java.lang.management.ManagementFactory.getThreadMXBean();
    StringBuilder out = new StringBuilder();
    for (java.lang.management.ThreadInfo ti : mx.getThreadInfo(mx.getAllThreadIds())) {
      if (ti != null && ti.getThreadName().startsWith("specwatch-kafka")) {
        long ns = mx.getThreadCpuTime(ti.getThreadId());
        out.append(String.format(Locale.ROOT, "%s %.2f s; ",
            ti.getThreadName().replaceAll("specwatch-kafka-[a-z]+-group", "member"), ns / 1e9));
      }
    }
    return out.toString();
  }

  /** CPU time of every live thread of this JVM so far, by thread id. */
  private static Map<Long, Long> threadCpuSnapshot() {
    java.lang.management.ThreadMXBean mx = java.lang.management.ManagementFactory.getThreadMXBean();
    Map<Long, Long> cpu = new java.util.HashMap<>();
    for (long id : mx.getAllThreadIds()) {
      cpu.put(id, Math.max(0, mx.getThreadCpuTime(id)));
    }
    return cpu;
  }

  /**
   * CPU time of every live thread of this JVM since {@code since} (a {@link #threadCpuSnapshot};
   * threads started later count from zero), grouped by name without digits (the broker's request
   * handlers, the clients' network threads, ...), the largest groups first: where the rest of the
   * CPU goes. GC and JIT threads are not Java threads and are not listed.
   */
  private static String allThreadCpu(Map<Long, Long> since) {
    java.lang.management.ThreadMXBean mx = java.lang.management.ManagementFactory.getThreadMXBean();
    Map<String, Long> groups = new java.util.TreeMap<>();
    for (java.lang.management.ThreadInfo ti : mx.getThreadInfo(mx.getAllThreadIds())) {
      if (ti != null) {
        String name = ti.getThreadName().replaceAll("[0-9]+", "#").replaceAll("\\|.*", "");
        long used = Math.max(0, mx.getThreadCpuTime(ti.getThreadId()))
            - since.getOrDefault(ti.getThreadId(), 0L);
        groups.merge(name, Math.max(0, used), Long::sum);
      }
    }
    StringBuilder out = new StringBuilder();
    groups.entrySet().stream().sorted(Map.Entry.<String, Long>comparingByValue().reversed())
        .limit(8).forEach(e -> out.append(String.format(Locale.ROOT, "%s %.2f s; ", e.getKey(),
            e.getValue() / 1e9)));
    return out.toString();
  }

  /** CPU time of the whole JVM (broker, producer and specwatch), in seconds. */
  private static double processCpuSeconds() {
    java.lang.management.OperatingSystemMXBean os =
        java.lang.management.ManagementFactory.getOperatingSystemMXBean();
    return os instanceof com.sun.management.OperatingSystemMXBean b
        ? b.getProcessCpuTime() / 1e9 : Double.NaN;
  }

  private static void throughput(EmbeddedKafka kafka, List<Program> programs, long events,
      int partitions, java.util.function.UnaryOperator<KafkaSourceConfig> tuning, String name)
      throws Exception {
    boolean warm = !name.equals("bench");
    String in = name + "-in";
    String group = name + "-group";
    kafka.createTopic(in, partitions);
    kafka.createTopic(name + "-violations", 1);
    long t0 = System.nanoTime();
    try (KafkaProducer<byte[], byte[]> p = producer(kafka)) {
      PaymentsLogGenerator gen = new PaymentsLogGenerator(
          new PaymentsLogGenerator.Options().lines(events).entities(10_000).lineFaults(false));
      while (gen.hasNext()) {
        byte[] line = gen.next();
        p.send(new ProducerRecord<>(in, keyOf(line), line));
      }
      p.flush();
    }
    double produceSecs = (System.nanoTime() - t0) / 1e9;
    KafkaSourceConfig config = tuning.apply(KafkaSourceConfig.of(kafka.bootstrapServers(),
            group, List.of(in), name + "-violations")
        .withStartPosition(KafkaSourceConfig.StartPosition.EARLIEST));
    KafkaSource source = new KafkaSource(config, programs, null);
    double cpu0 = processCpuSeconds();
    Map<Long, Long> threadCpu0 = threadCpuSnapshot();
    long start = System.nanoTime();
    source.start();
    long maxLag = 0;
    try (Admin admin = kafka.admin()) {
      while (true) {
        long lag = lag(admin, group, in, partitions);
        maxLag = Math.max(maxLag, lag);
        if (lag == 0) {
          break;
        }
        Thread.sleep(50); // sampling interval of the lag probe
      }
    }
    double secs = (System.nanoTime() - start) / 1e9;
    double cpu = processCpuSeconds() - cpu0;
    String threads = specwatchThreadCpu();
    String all = allThreadCpu(threadCpu0);
    source.stop(Duration.ofSeconds(30));
    System.out.printf(Locale.ROOT, "%s: %,d events produced in %.1f s; consumed, checked and"
        + " committed in %.1f s = %,.0f events/s; %,d violations; max lag %,d; %d commits%n",
        warm ? "warm-up (same round, own topics)" : "throughput", events, produceSecs, secs,
        events / secs, source.stats().violationsCommitted.get(), maxLag,
        source.stats().commits.get());
    System.out.printf(Locale.ROOT, "  JVM CPU %.1f s (%.2f cores); CPU of specwatch's threads: %s%n",
        cpu, cpu / secs, threads);
    System.out.println("  CPU of all Java threads during the round, largest groups: " + all);
    try {
      System.out.printf(Locale.ROOT, "  member thread: poll %.1f s, commit %.1f s, waiting for the"
          + " apply threads %.1f s; apply threads (summed): %.1f s%n",
          source.stats().pollNanos.get() / 1e9, source.stats().commitNanos.get() / 1e9,
          source.stats().applyWaitNanos.get() / 1e9, source.stats().applyNanos.get() / 1e9);
      printCheckpoints(source);
    } catch (NoSuchFieldError earlierBuild) {
      System.out.printf(Locale.ROOT, "  member thread: poll %.1f s, apply %.1f s, commit %.1f s%n",
          source.stats().pollNanos.get() / 1e9, source.stats().applyNanos.get() / 1e9,
          source.stats().commitNanos.get() / 1e9);
    }
    if (!warm) {
      restore(config, programs, partitions);
    }
  }

  /**
   * The broker and clients alone: N events produced (timed, with the JVM's CPU), then read back by
   * a consumer that only counts them, with the settings of specwatch's consumer that bear on
   * reading (read_committed, 5,000 records a poll; not the {@code client.*} pass-through, nor the
   * cooperative assignor, which only matters with several members): events/s and CPU per event of
   * each part. Whatever specwatch does per event
   * comes on top of the reading part, so its rate bounds specwatch's end-to-end rate here.
   */
  private static void ceiling(EmbeddedKafka kafka, long events, int partitions) throws Exception {
    if (events > 20_000_000) {
      throw new IllegalArgumentException("the ceiling phase holds its events in memory: at most"
          + " 20,000,000");
    }
    kafka.createTopic("ceiling-in", partitions);
    byte[][] lines = new byte[(int) events][];
    PaymentsLogGenerator gen = new PaymentsLogGenerator(
        new PaymentsLogGenerator.Options().lines(events).entities(10_000).lineFaults(false));
    for (int i = 0; gen.hasNext(); i++) {
      lines[i] = gen.next(); // generated before the clock starts: only sending is timed
    }
    double cpu0 = processCpuSeconds();
    long t0 = System.nanoTime();
    try (KafkaProducer<byte[], byte[]> p = producer(kafka)) {
      for (byte[] line : lines) {
        p.send(new ProducerRecord<>("ceiling-in", keyOf(line), line));
      }
      p.flush();
    }
    double produceSecs = (System.nanoTime() - t0) / 1e9;
    double produceCpu = processCpuSeconds() - cpu0;
    lines = null;
    Properties c = new Properties();
    c.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
    c.put(ConsumerConfig.GROUP_ID_CONFIG, "ceiling-group");
    c.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    c.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
    c.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    c.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, "5000");
    long read = 0;
    long bytes = 0;
    boolean anyRecord = false;
    long firstRecord = 0;
    double cpuAtFirst = 0;
    long end;
    cpu0 = processCpuSeconds();
    t0 = System.nanoTime();
    try (KafkaConsumer<byte[], byte[]> consumer =
        new KafkaConsumer<>(c, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
      consumer.subscribe(List.of("ceiling-in"));
      long deadline = System.nanoTime() + Duration.ofMinutes(5).toNanos(); // bounded
      while (read < events && System.nanoTime() < deadline) {
        ConsumerRecords<byte[], byte[]> batch = consumer.poll(Duration.ofMillis(100));
        if (!anyRecord && !batch.isEmpty()) {
          anyRecord = true;
          firstRecord = System.nanoTime();
          cpuAtFirst = processCpuSeconds();
        }
        for (ConsumerRecord<byte[], byte[]> r : batch) {
          bytes += r.value().length;
          read++;
        }
      }
      end = System.nanoTime(); // before close(): leaving the group is not reading
    }
    double readSecs = (end - t0) / 1e9;
    double readCpu = processCpuSeconds() - cpu0; // includes close(): a little high
    if (!anyRecord) {
      System.out.printf(Locale.ROOT, "ceiling: produced %,d events in %.2f s; the bare consumer"
          + " read none of them in %.1f s%n", events, produceSecs, readSecs);
      return;
    }
    double steadySecs = (end - firstRecord) / 1e9;
    double steadyCpu = readCpu - (cpuAtFirst - cpu0);
    System.out.printf(Locale.ROOT, "ceiling: produced %,d events in %.2f s = %,.0f events/s, JVM CPU"
        + " %.1f s (%.1f µs an event); a bare consumer read %,d of them (%,d bytes) in %.2f s ="
        + " %,.0f events/s, group join included, JVM CPU %.1f s (%.2f cores, %.1f µs an event);"
        + " from its first record: %.2f s = %,.0f events/s, JVM CPU %.2f cores%n",
        events, produceSecs, events / produceSecs, produceCpu, produceCpu * 1e6 / events, read,
        bytes, readSecs, read / readSecs, readCpu, readCpu / readSecs, readCpu * 1e6 / read,
        steadySecs, read / steadySecs, steadyCpu / steadySecs);
  }

  /**
   * The cost of a restore: a new member of the group loads the checkpoints the stopped one
   * wrote (every partition's whole state, at its end) until it is caught up. Replaying records
   * after an older checkpoint costs on top what applying them costs (the apply threads' CPU per
   * record above), without emitting.
   */
  private static void restore(KafkaSourceConfig config, List<Program> programs, int partitions)
      throws Exception {
    KafkaSource again = new KafkaSource(config, programs, null);
    long start = System.nanoTime();
    again.start();
    long deadline = start + 120_000_000_000L;
    while ((again.stats().restores.get() < partitions || !again.caughtUp())
        && System.nanoTime() < deadline) {
      Thread.sleep(10); // polling the new member's state, bounded by the deadline
    }
    double secs = (System.nanoTime() - start) / 1e9;
    again.stop(Duration.ofSeconds(30));
    System.out.printf(Locale.ROOT, "  restore: a new member restored %d partitions and was caught"
        + " up %.2f s after its start (group join included)%n", again.stats().restores.get(), secs);
  }

  private static void latency(EmbeddedKafka kafka, List<Program> programs, int partitions,
      int rate, int seconds, long commitMs, boolean spin,
      java.util.function.UnaryOperator<KafkaSourceConfig> tuning) throws Exception {
    kafka.createTopic("lat-in", partitions);
    kafka.createTopic("lat-violations", 1);
    Map<Long, Long> sentAt = new ConcurrentHashMap<>();
    Histogram hist = new Histogram(60_000_000_000L, 3);
    List<long[]> timed = new java.util.ArrayList<>(); // {send nanos, latency nanos}, under hist
    AtomicLong measured = new AtomicLong();
    KafkaSourceConfig config = tuning.apply(KafkaSourceConfig.of(kafka.bootstrapServers(),
            "lat-group", List.of("lat-in"), "lat-violations")
        .withStartPosition(KafkaSourceConfig.StartPosition.EARLIEST));
    KafkaSource source = new KafkaSource(config, programs, (Violation v) -> {
      if (v.position() instanceof KafkaPosition pos) {
        Long sent = sentAt.remove(((long) pos.partition() << 40) | pos.offset());
        if (sent != null) {
          long took = Math.max(0, System.nanoTime() - sent);
          synchronized (hist) {
            hist.recordValue(took);
            timed.add(new long[] {sent, took});
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
      phaseStart = start;
      long sent = 0;
      long nextLagProbe = start;
      while (gen.hasNext()) {
        long due = start + sent * 1_000_000_000L / rate;
        // Pacing the producer to the target rate by parking, not spinning: a spinning producer
        // takes one of the machine's two cores from the broker and specwatch, and the stalls
        // that made were the p99 (docs/kafka.md, section 9, session 7). An event sent late by
        // the park's overshoot is timed from its actual send.
        for (long wait; (wait = due - System.nanoTime()) > 0; ) {
          if (spin) {
            Thread.onSpinWait(); // pace=spin: the pacing before session 7, for comparisons
          } else {
            java.util.concurrent.locks.LockSupport.parkNanos(wait);
          }
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
    try {
      printCheckpoints(source);
    } catch (NoSuchFieldError earlierBuild) {
      // the KafkaSource of an earlier build has no checkpoint figures
    }
    synchronized (hist) {
      System.out.printf(Locale.ROOT, "latency at %,d events/s for %d s (commit every %d ms): %,d"
          + " violations timed, produce-to-committed-violation p50 %.1f ms, p99 %.1f ms, max %.1f"
          + " ms; max lag %,d%n", rate, seconds, commitMs, measured.get(),
          hist.getValueAtPercentile(50) / 1e6, hist.getValueAtPercentile(99) / 1e6,
          hist.getMaxValue() / 1e6, maxLag);
      // Steady state: the first seconds hold the new member's start (first fetches, the first
      // checkpoint of every partition), and their slowest violations alone can set the p99.
      Histogram steady = new Histogram(60_000_000_000L, 3);
      for (long[] t : timed) {
        if (t[0] - phaseStart >= STEADY_AFTER_NANOS) {
          steady.recordValue(t[1]);
        }
      }
      System.out.printf(Locale.ROOT, "  steady state (records sent %d s or more into the phase):"
          + " %,d violations, p50 %.1f ms, p99 %.1f ms, max %.1f ms%n",
          STEADY_AFTER_NANOS / 1_000_000_000L, steady.getTotalCount(),
          steady.getValueAtPercentile(50) / 1e6, steady.getValueAtPercentile(99) / 1e6,
          steady.getMaxValue() / 1e6);
      // Where the tail is: the slowest violations, by when their record was sent.
      timed.sort((a, b) -> Long.compare(b[1], a[1]));
      StringBuilder slowest =
          new StringBuilder("  slowest 10 (latency at send time into the phase):");
      for (long[] t : timed.subList(0, Math.min(10, timed.size()))) {
        slowest.append(String.format(Locale.ROOT, " %.0f ms at %.1f s;", t[1] / 1e6,
            (t[0] - phaseStart) / 1e9));
      }
      System.out.println(slowest);
    }
  }

  /** The latency phase's start, which the steady-state figures leave out. */
  private static final long STEADY_AFTER_NANOS = 2_000_000_000L;

  /** When the latency phase's producer started (nanoTime), for placing its slowest violations. */
  private static volatile long phaseStart;

  private static void printCheckpoints(KafkaSource source) {
    long n = source.stats().checkpoints.get();
    System.out.printf(Locale.ROOT, "  %d commits with full checkpoints: %,d bytes encoded in %.0f ms"
        + " in all; longest commit %.0f ms%n", n, source.stats().checkpointBytes.get(),
        source.stats().checkpointEncodeNanos.get() / 1e6,
        source.stats().longestCommitNanos.get() / 1e6);
    long commits = Math.max(1, source.stats().commits.get());
    System.out.printf(Locale.ROOT, "  %d commits, %.1f ms each on average (cut to committed, on the"
        + " member's thread); member thread: poll %.1f s, commit %.1f s%n", commits,
        source.stats().commitNanos.get() / 1e6 / commits, source.stats().pollNanos.get() / 1e9,
        source.stats().commitNanos.get() / 1e9);
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
}
