package io.specwatch.ingest.kafka;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.specwatch.core.Violation;
import io.specwatch.core.engine.Monitor;
import io.specwatch.core.program.Program;
import io.specwatch.testkit.EmbeddedKafka;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Random;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The repartition step against a real KRaft broker (one for the class). Transfers are keyed by
 * transfer id, so each account's events arrive on several input partitions. With repartition
 * on, the committed violations equal {@code check} over the same documents in time order (with
 * Kafka positions of the input records), each malformed document reported once, and no instance
 * is held by two partitions; with it off, the split-instance metric counts the accounts.
 *
 * <p>The verdicts are made independent of how the first stage interleaves the input partitions
 * (which no reference could predict): every account is opened, and applied, before any transfer
 * is produced, and the only violations of the transfers are about an account never opened,
 * whose state does not change.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class RepartitionKafkaTest {
  private static final Duration CATCH_UP = Duration.ofSeconds(90);
  private static final long T0 = 1_778_076_000_000L;
  private static final String SPEC = """
      spec accounts
      input {
        time at
        id id
        dedupe within 1h
      }
      entity Account key account {
        status: enum { New, Open }
        balance: int
      }
      event opened for Account when type == "open"
      event debited for Account key from when type == "transfer" { amount: int = amount }
      event credited for Account key to when type == "transfer" { amount: int = amount }
      on opened requires status == New { status = Open }
      on debited(e) requires status == Open { balance -= e.amount }
      on credited(e) requires status == Open { balance += e.amount }
      """;

  /** The same accounts with handlers that accept any account: every transfer makes instances. */
  private static final String LENIENT_SPEC = SPEC
      .replace("on debited(e) requires status == Open {", "on debited(e) {")
      .replace("on credited(e) requires status == Open {", "on credited(e) {");

  private EmbeddedKafka kafka;
  private List<Program> programs;
  private List<Program> lenientPrograms;

  @BeforeAll
  void start() throws Exception {
    kafka = EmbeddedKafka.start();
    Path spec = Files.createTempFile("accounts", ".sw");
    Files.writeString(spec, SPEC);
    programs = TestSpecs.compile(spec);
    Files.writeString(spec, LENIENT_SPEC);
    lenientPrograms = TestSpecs.compile(spec);
    Files.delete(spec);
  }

  @AfterAll
  void stop() {
    kafka.close();
  }

  /** Accounts a0..a6 opened (a7 never is). */
  private static List<String> opens() {
    List<String> docs = new ArrayList<>();
    for (int a = 0; a < 7; a++) {
      docs.add("{\"id\":\"o-" + a + "\",\"type\":\"open\",\"account\":\"a" + a + "\",\"at\":"
          + (T0 + a) + "}");
    }
    return docs;
  }

  /** Transfers between a0..a7, plus two non-JSON records, one transfer without `to`, one duplicate. */
  private static List<String> transfers() {
    return transfers(60);
  }

  private static List<String> transfers(int count) {
    Random rnd = new Random(7);
    List<String> docs = new ArrayList<>();
    for (int t = 0; t < count; t++) {
      int from = rnd.nextInt(8);
      int to = (from + 1 + rnd.nextInt(7)) % 8;
      docs.add("{\"id\":\"t-" + t + "\",\"type\":\"transfer\",\"from\":\"a" + from + "\",\"to\":\"a"
          + to + "\",\"amount\":" + (1 + rnd.nextInt(500)) + ",\"at\":" + (T0 + 1_000 + t) + "}");
    }
    docs.add("not json at all");
    docs.add("{\"id\":\"t-x\",\"type\":\"transfer\",\"from\":\"a1\",\"amount\":5,\"at\":"
        + (T0 + 2_000) + "}");
    docs.add(docs.get(5)); // a retried producer: same id, dropped as a duplicate
    docs.add("[1,2]");
    return docs;
  }

  /** {@code check} over the input topic's documents in time (= production) order. */
  private List<String> checkInTimeOrder(String topic) {
    List<ConsumerRecord<byte[], byte[]>> records = new ArrayList<>(KafkaTestSupport.readAll(kafka, topic));
    records.sort(Comparator.comparingLong(RepartitionKafkaTest::timeOf));
    Monitor m = new Monitor(programs);
    List<Violation> out = new ArrayList<>();
    for (ConsumerRecord<byte[], byte[]> r : records) {
      m.accept(r.value(), 0, r.value().length, new KafkaPosition(r.topic(), r.partition(), r.offset()),
          out::add);
    }
    List<String> json = TestSpecs.json(out);
    json.sort(null);
    return json;
  }

  private static long timeOf(ConsumerRecord<byte[], byte[]> r) {
    String v = new String(r.value(), java.nio.charset.StandardCharsets.UTF_8);
    int i = v.indexOf("\"at\":");
    return i < 0 ? Long.MAX_VALUE : Long.parseLong(v.substring(i + 5, v.indexOf('}', i)));
  }

  /** Waits until the first stage has read {@code n} records and the second applied every copy. */
  private static void awaitBothStages(KafkaSource source, long n) {
    KafkaTestSupport.awaitCondition(() -> source.stats().repartitionedRecords.get() >= n
            && source.stats().records.get() == source.stats().repartitionCopies.get(),
        CATCH_UP, "the two stages did not process " + n + " records");
  }

  @Test
  void withRepartitionOnTheVerdictsEqualCheckAndNoInstanceIsSplit() throws Exception {
    String topic = "xfer-on";
    kafka.createTopic(topic, 3);
    kafka.createTopic(topic + "-violations", 1);
    KafkaSourceConfig config = KafkaSourceConfig.of(kafka.bootstrapServers(), "xfer-on-group",
            List.of(topic), topic + "-violations")
        .withStartPosition(KafkaSourceConfig.StartPosition.EARLIEST)
        .withRepartition(true, 4);
    KafkaSource source = new KafkaSource(config, programs, null);
    source.start();
    try (KafkaProducer<byte[], byte[]> producer = KafkaTestSupport.producer(kafka)) {
      KafkaTestSupport.produce(producer, topic, opens(), "id");
      awaitBothStages(source, opens().size());
      KafkaTestSupport.produce(producer, topic, transfers(), "id");
      awaitBothStages(source, opens().size() + transfers().size());
    } finally {
      source.stop(Duration.ofSeconds(30));
    }
    List<String> expected = checkInTimeOrder(topic);
    assertTrue(expected.stream().filter(v -> v.contains("\"kind\":\"transition\"")).count() > 5,
        expected::toString);
    assertEquals(3, expected.stream().filter(v -> v.contains("\"kind\":\"malformed\"")).count(),
        expected::toString);
    assertEquals(expected, KafkaTestSupport.committedViolations(kafka, topic + "-violations"));
    assertEquals(0, source.stats().instancesOnSeveralPartitions.get());
    assertTrue(source.stats().repartitionCopies.get() > source.stats().repartitionedRecords.get(),
        "transfers between accounts of two shards are copied twice");
  }

  /**
   * Exactly once across both stages: a member in its own JVM, repartition on, is SIGKILLed while
   * it works through the transfers, and restarted with the same transactional ids (which aborts
   * both stages' open transactions). The committed violations still equal {@code check}.
   */
  @Test
  void aMemberKilledMidStreamWithRepartitionOnLosesRepeatsAndInventsNothing() throws Exception {
    String topic = "xfer-kill";
    String group = "xfer-kill-group";
    kafka.createTopic(topic, 3);
    kafka.createTopic(topic + "-violations", 1);
    Path spec = Files.createTempFile("accounts", ".sw");
    Files.writeString(spec, SPEC);
    List<String> transfers = transfers(3000);
    int half = transfers.size() / 2;
    Process first = member(spec, topic, group, "first");
    Process second = null;
    try (KafkaProducer<byte[], byte[]> producer = KafkaTestSupport.producer(kafka)) {
      KafkaTestSupport.produce(producer, topic, opens(), "id");
      awaitBothStagesCommitted(group, topic);
      KafkaTestSupport.produce(producer, topic, transfers.subList(0, half), "id");
      KafkaTestSupport.awaitCondition(() -> KafkaTestSupport.committedTotal(kafka, group)
          > opens().size(), CATCH_UP, "the first stage committed no transfer");
      first.destroyForcibly(); // SIGKILL, while it works through the first half
      first.waitFor();
      KafkaTestSupport.produce(producer, topic, transfers.subList(half, transfers.size()), "id");
      second = member(spec, topic, group, "second");
      KafkaTestSupport.awaitGroupCaughtUp(kafka, group, topic, CATCH_UP);
      awaitBothStagesCommitted(group, topic);
    } finally {
      first.destroyForcibly();
      if (second != null) {
        second.destroyForcibly();
        second.waitFor();
      }
      Files.deleteIfExists(spec);
    }
    List<String> expected = checkInTimeOrder(topic);
    assertTrue(expected.size() > 100, "violations expected: " + expected.size());
    List<String> actual = KafkaTestSupport.committedViolations(kafka, topic + "-violations");
    assertEquals(expected, actual, () -> difference(expected, actual));
  }

  /** What is missing and what is extra (multisets), short enough to read in a failure. */
  private static String difference(List<String> expected, List<String> actual) {
    List<String> missing = new ArrayList<>(expected);
    actual.forEach(missing::remove);
    List<String> extra = new ArrayList<>(actual);
    expected.forEach(extra::remove);
    return "expected " + expected.size() + ", got " + actual.size() + "; missing "
        + missing.size() + " e.g. " + missing.stream().limit(3).toList() + "; extra " + extra.size()
        + " e.g. " + extra.stream().limit(3).toList();
  }

  private Process member(Path spec, String topic, String group, String name) throws Exception {
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    java.io.File log = Files.createTempFile("member-" + name, ".log").toFile();
    log.deleteOnExit();
    return new ProcessBuilder(java, "-Xmx256m", "-XX:TieredStopAtLevel=1",
        "-cp", System.getProperty("java.class.path"),
        KafkaMemberProcess.class.getName(), kafka.bootstrapServers(), group, topic,
        topic + "-violations", spec.toString(), group + "-tx", "4")
        .redirectErrorStream(true)
        .redirectOutput(log).start();
  }

  /**
   * Waits until the first stage committed every input record (so every copy is committed), then
   * until the second stage's committed offsets cover every copy: each partition of the
   * repartition topic ends with a transaction marker, which takes one offset but is no record,
   * so "caught up" is committed offset >= end - 1.
   */
  private void awaitBothStagesCommitted(String group, String topic) {
    KafkaTestSupport.awaitGroupCaughtUp(kafka, group, topic, CATCH_UP);
    String repartition = group + "-repartition";
    KafkaTestSupport.awaitCondition(() -> {
      try (org.apache.kafka.clients.admin.Admin admin = kafka.admin()) {
        var committed = admin.listConsumerGroupOffsets(group + "-by-entity")
            .partitionsToOffsetAndMetadata().get();
        java.util.Map<org.apache.kafka.common.TopicPartition,
            org.apache.kafka.clients.admin.OffsetSpec> latest = new java.util.HashMap<>();
        for (int p = 0; p < 4; p++) {
          latest.put(new org.apache.kafka.common.TopicPartition(repartition, p),
              org.apache.kafka.clients.admin.OffsetSpec.latest());
        }
        for (var e : admin.listOffsets(latest).all().get().entrySet()) {
          long end = e.getValue().offset();
          var c = committed.get(e.getKey());
          if (end > 0 && (c == null || c.offset() < end - 1)) {
            return false;
          }
        }
        return true;
      } catch (Exception e) {
        return false; // topic or group not there yet
      }
    }, CATCH_UP, "the second stage did not apply every copy");
  }

  @Test
  void anExistingRepartitionTopicWithAnotherPartitionCountIsRefusedClearly() throws Exception {
    kafka.createTopic("xfer-wrong-group-repartition", 2);
    KafkaSourceConfig config = KafkaSourceConfig.of(kafka.bootstrapServers(), "xfer-wrong-group",
        List.of("xfer-wrong"), "xfer-wrong-violations").withRepartition(true, 4);
    try (org.apache.kafka.clients.admin.Admin admin = kafka.admin()) {
      IllegalStateException e = org.junit.jupiter.api.Assertions.assertThrows(
          IllegalStateException.class, () -> RepartitionStage.ensureTopic(config, admin));
      assertTrue(e.getMessage().contains("has 2 partitions, the configuration says 4"),
          e.getMessage());
      RepartitionStage.ensureTopic(config.withRepartition(true, 2), admin); // matches: accepted
    }
  }

  @Test
  void withRepartitionOffAnAccountOnSeveralPartitionsIsCountedAndWarned() throws Exception {
    String topic = "xfer-off";
    kafka.createTopic(topic, 3);
    kafka.createTopic(topic + "-violations", 1);
    List<String> docs = new ArrayList<>(opens());
    docs.addAll(transfers());
    try (KafkaProducer<byte[], byte[]> producer = KafkaTestSupport.producer(kafka)) {
      KafkaTestSupport.produce(producer, topic, docs, "id");
    }
    KafkaSourceConfig config = KafkaSourceConfig.of(kafka.bootstrapServers(), "xfer-off-group",
            List.of(topic), topic + "-violations")
        .withStartPosition(KafkaSourceConfig.StartPosition.EARLIEST);
    KafkaSource source = new KafkaSource(config, lenientPrograms, null);
    source.start();
    try {
      KafkaTestSupport.awaitGroupCaughtUp(kafka, "xfer-off-group", topic, CATCH_UP);
    } finally {
      source.stop(Duration.ofSeconds(30));
    }
    assertTrue(source.stats().instancesOnSeveralPartitions.get() >= 5,
        "accounts are held by several partitions: " + source.stats().instancesOnSeveralPartitions);
  }
}
