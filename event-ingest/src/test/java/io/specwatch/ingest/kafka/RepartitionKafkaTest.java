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
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;

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
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
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
  /** The output file of each member process. */
  private final java.util.Map<Process, java.io.File> logs = new java.util.concurrent.ConcurrentHashMap<>();
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

  /** Of accounts b0..b(n-1), the even ones opened: the odd ones' events are violations. */
  private static List<String> evenOpens(int accounts) {
    List<String> docs = new ArrayList<>();
    for (int a = 0; a < accounts; a += 2) {
      docs.add("{\"id\":\"ob-" + a + "\",\"type\":\"open\",\"account\":\"b" + a + "\",\"at\":"
          + (T0 + a) + "}");
    }
    return docs;
  }

  /** Transfers between accounts b0..b(n-1), in time order. */
  private static List<String> transfersAmong(int count, int accounts) {
    Random rnd = new Random(11);
    List<String> docs = new ArrayList<>();
    for (int t = 0; t < count; t++) {
      int from = rnd.nextInt(accounts);
      int to = (from + 1 + rnd.nextInt(accounts - 1)) % accounts;
      docs.add("{\"id\":\"tb-" + t + "\",\"type\":\"transfer\",\"from\":\"b" + from
          + "\",\"to\":\"b" + to + "\",\"amount\":" + (1 + rnd.nextInt(500)) + ",\"at\":"
          + (T0 + 1_000 + t) + "}");
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

  /**
   * The broker restarted while both stages consume, with repartition on: the member (in the test
   * JVM, one broker for the class, so this test runs last) rebuilds both stages by itself from
   * their last commits, and the committed violations equal {@code check} over the same documents:
   * the violations raised before the restart are not repeated (the second stage restores its
   * checkpoint and progress marks; the first stage's open transaction of copies is aborted and
   * re-sent once), those raised by documents produced after it are there, malformed documents are
   * reported once each, and nothing is invented.
   */
  @Test
  @Order(Integer.MAX_VALUE) // last: the other tests share the broker it restarts
  void aBrokerRestartWithRepartitionOnIsRecoveredFromWithoutHelp() throws Exception {
    String topic = "xfer-restart";
    String group = "xfer-restart-group";
    kafka.createTopic(topic, 3);
    kafka.createTopic(topic + "-violations", 1);
    List<String> opens = evenOpens(40);
    List<String> transfers = new ArrayList<>(transfersAmong(2000, 40));
    transfers.add(transfers.size() / 4, "not json at all"); // one malformed on each side of it
    transfers.add("[1,2]");
    int half = transfers.size() / 2;
    KafkaSource source = new KafkaSource(KafkaSourceConfig.of(kafka.bootstrapServers(), group,
            List.of(topic), topic + "-violations")
        .withStartPosition(KafkaSourceConfig.StartPosition.EARLIEST)
        .withRepartition(true, 4)
        .withTransactionalId(group + "-tx"), programs, null);
    source.start();
    int expectedCount;
    try {
      try (KafkaProducer<byte[], byte[]> producer = KafkaTestSupport.producer(kafka)) {
        KafkaTestSupport.produce(producer, topic, opens, "id");
        awaitBothStages(source, opens.size());
        KafkaTestSupport.produce(producer, topic, transfers.subList(0, half), "id");
      }
      // Mid-stream: the second stage has committed violations of transfers, so a restore that
      // forgot its progress marks would repeat them.
      long commitsBefore = source.stats().commits.get();
      KafkaTestSupport.awaitCondition(() -> source.stats().records.get() > opens.size() + 100
              && source.stats().commits.get() > commitsBefore
              && source.stats().violationsCommitted.get() > 0, CATCH_UP,
          "the second stage committed violations of transfers before the restart");
      kafka.restart();
      try (KafkaProducer<byte[], byte[]> producer = KafkaTestSupport.producer(kafka)) {
        KafkaTestSupport.produce(producer, topic, transfers.subList(half, transfers.size()), "id");
      }
      KafkaTestSupport.awaitGroupCaughtUp(kafka, group, topic, CATCH_UP);
      // As in the two-member test, the second stage's offsets cannot say "done" (a partition may
      // end with an aborted transaction's copies); the violations can. Extras, if any, show in
      // the equality after the final commit at stop.
      List<String> expectedSoFar = checkInTimeOrder(topic);
      expectedCount = expectedSoFar.size();
      try {
        KafkaTestSupport.awaitCondition(() -> KafkaTestSupport.committedViolations(kafka,
            topic + "-violations").size() >= expectedCount, CATCH_UP, "every violation committed");
      } catch (AssertionError e) {
        List<String> actual = KafkaTestSupport.committedViolations(kafka, topic + "-violations");
        throw new AssertionError(e.getMessage() + ": " + difference(expectedSoFar, actual), e);
      }
    } finally {
      source.stop(Duration.ofSeconds(30));
    }
    List<String> expected = checkInTimeOrder(topic);
    assertTrue(expected.size() > 100, "violations expected: " + expected.size());
    assertEquals(2, expected.stream().filter(v -> v.contains("\"kind\":\"malformed\"")).count(),
        expected::toString);
    List<String> actual = KafkaTestSupport.committedViolations(kafka, topic + "-violations");
    assertEquals(expected, actual, () -> difference(expected, actual));
  }

  /**
   * Two members with repartition on (each runs both stages): one in its own JVM is SIGKILLed
   * mid-stream and never comes back; the other takes over its partitions of both stages once the
   * group notices (session timeout) and its open transactions are aborted (transaction
   * timeout), restoring the second stage's checkpoints. None lost, none repeated, none invented.
   */
  @Test
  void twoMembersOneKilledMidStreamWithRepartitionOnLoseRepeatAndInventNothing() throws Exception {
    String topic = "xfer-two";
    String group = "xfer-two-group";
    kafka.createTopic(topic, 3);
    kafka.createTopic(topic + "-violations", 1);
    Path spec = Files.createTempFile("accounts", ".sw");
    Files.writeString(spec, SPEC);
    // 40 accounts, the odd ones never opened: violations on every partition of the repartition
    // topic, so whichever the doomed member owns, it has committed violations to not repeat.
    List<String> opens = evenOpens(40);
    List<String> transfers = transfersAmong(3000, 40);
    int half = transfers.size() / 2;
    KafkaSource survivor = new KafkaSource(KafkaSourceConfig.of(kafka.bootstrapServers(), group,
            List.of(topic), topic + "-violations")
        .withStartPosition(KafkaSourceConfig.StartPosition.EARLIEST)
        .withRepartition(true, 4)
        .withTransactionalId(group + "-tx-survivor")
        .withClientProperties(KafkaTestSupport.fastFailover()), programs, null);
    Process doomed = member(spec, topic, group, "doomed", group + "-tx-doomed");
    survivor.start();
    try (KafkaProducer<byte[], byte[]> producer = KafkaTestSupport.producer(kafka)) {
      try {
        KafkaTestSupport.awaitCondition(() -> bothMembersOwnPartitions(group)
                && bothMembersOwnPartitions(group + "-by-entity"), CATCH_UP,
            "both members own partitions of both stages");
      } catch (AssertionError e) {
        throw new AssertionError(e.getMessage() + ": " + describe(group) + " / "
            + describe(group + "-by-entity") + "; the member process said: "
            + Files.readString(logs.get(doomed).toPath()).lines().limit(40).toList(), e);
      }
      KafkaTestSupport.produce(producer, topic, opens, "id");
      // The first stage committed the opens' copies before any transfer's: on every partition
      // of the repartition topic the second stage applies them first, whoever owns it.
      KafkaTestSupport.awaitGroupCaughtUp(kafka, group, topic, CATCH_UP);
      KafkaTestSupport.produce(producer, topic, transfers.subList(0, half), "id");
      long restoresBefore = survivor.stats().restores.get();
      // Mid-stream: the doomed member's second stage has committed transfers (and so violations)
      // past its first checkpoint, so the survivor must restore and must not emit them again.
      try {
        KafkaTestSupport.awaitCondition(() -> committedBy(doomed) >= 100, CATCH_UP,
            "the doomed member's second stage applied and committed transfers");
      } catch (AssertionError e) {
        throw new AssertionError(e.getMessage() + ": " + describe(group) + " / "
            + describe(group + "-by-entity") + "; survivor records "
            + survivor.stats().records.get() + "; the member process said: "
            + Files.readString(logs.get(doomed).toPath()).lines().toList(), e);
      }
      doomed.destroyForcibly(); // SIGKILL, while both stages work through the first half
      doomed.waitFor();
      KafkaTestSupport.produce(producer, topic, transfers.subList(half, transfers.size()), "id");
      KafkaTestSupport.awaitGroupCaughtUp(kafka, group, topic, CATCH_UP);
      // The second stage's committed offsets cannot say "done" here: a partition may end with
      // copies of an aborted first-stage transaction (the killed member's), which no offset
      // commit moves past. The violations can: wait for as many as check raises (extras, if
      // any, are caught by the equality below, after the survivor's final commit).
      int expectedCount = checkInTimeOrder(topic).size();
      KafkaTestSupport.awaitCondition(() -> KafkaTestSupport.committedViolations(kafka,
          topic + "-violations").size() >= expectedCount, CATCH_UP, "every violation committed");
      assertTrue(survivor.stats().restores.get() > restoresBefore,
          "the survivor restored the killed member's second-stage checkpoints");
    } finally {
      doomed.destroyForcibly();
      survivor.stop(Duration.ofSeconds(30));
      Files.deleteIfExists(spec);
    }
    List<String> expected = checkInTimeOrder(topic);
    assertTrue(expected.size() > 100, "violations expected: " + expected.size());
    List<String> actual = KafkaTestSupport.committedViolations(kafka, topic + "-violations");
    assertEquals(expected, actual, () -> difference(expected, actual));
  }

  /**
   * Records the member process's second stage had applied at its last commit, from the
   * {@code records=R commits=C} lines it prints every second (0 before its first commit).
   */
  private long committedBy(Process member) {
    try {
      List<String> lines = Files.readAllLines(logs.get(member).toPath());
      for (int i = lines.size() - 1; i >= 0; i--) {
        String l = lines.get(i);
        if (l.startsWith("records=")) {
          long commits = Long.parseLong(l.substring(l.indexOf("commits=") + 8).trim());
          return commits >= 2 ? Long.parseLong(l.substring(8, l.indexOf(' '))) : 0;
        }
      }
      return 0;
    } catch (java.io.IOException | RuntimeException e) {
      return 0;
    }
  }

  private String describe(String group) {
    try (org.apache.kafka.clients.admin.Admin admin = kafka.admin()) {
      return admin.describeConsumerGroups(List.of(group)).all().get().get(group).toString();
    } catch (Exception e) {
      return group + ": " + e;
    }
  }

  /** Whether the group has two members and each owns at least one partition. */
  private boolean bothMembersOwnPartitions(String group) {
    try (org.apache.kafka.clients.admin.Admin admin = kafka.admin()) {
      var members = admin.describeConsumerGroups(List.of(group)).all().get().get(group).members();
      return members.size() == 2
          && members.stream().allMatch(m -> !m.assignment().topicPartitions().isEmpty());
    } catch (Exception e) {
      return false; // the group does not exist yet
    }
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
    return member(spec, topic, group, name, group + "-tx");
  }

  private Process member(Path spec, String topic, String group, String name, String txId)
      throws Exception {
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    java.io.File log = Files.createTempFile("member-" + name, ".log").toFile();
    log.deleteOnExit();
    Process p = new ProcessBuilder(java, "-Xmx256m", "-XX:TieredStopAtLevel=1",
        "-cp", System.getProperty("java.class.path"),
        KafkaMemberProcess.class.getName(), kafka.bootstrapServers(), group, topic,
        topic + "-violations", spec.toString(), txId, "4")
        .redirectErrorStream(true)
        .redirectOutput(log).start();
    logs.put(p, log);
    return p;
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

  /**
   * A spec reload with repartition on reaches the second stage's runtimes (and the first stage's
   * router): a reload keeping the layout keeps the opened accounts (transfers between them raise
   * nothing), a layout change starts them afresh (the next transfer between them is refused).
   */
  @Test
  void withRepartitionOnASpecReloadReachesBothStages() throws Exception {
    String topic = "xfer-reload";
    kafka.createTopic(topic, 3);
    kafka.createTopic(topic + "-violations", 1);
    KafkaSource source = new KafkaSource(KafkaSourceConfig.of(kafka.bootstrapServers(),
            "xfer-reload-group", List.of(topic), topic + "-violations")
        .withStartPosition(KafkaSourceConfig.StartPosition.EARLIEST)
        .withRepartition(true, 4), programs, null);
    source.start();
    String transfer = "{\"id\":\"r-%d\",\"type\":\"transfer\",\"from\":\"a1\",\"to\":\"a2\","
        + "\"amount\":5,\"at\":%d}";
    try (KafkaProducer<byte[], byte[]> producer = KafkaTestSupport.producer(kafka)) {
      KafkaTestSupport.produce(producer, topic, opens(), "id");
      awaitBothStages(source, opens().size());
      // Same layout (a doc comment): kept.
      source.reloadSpecs(compileSpec(SPEC.replace("on opened", "/// Opens once.\non opened")),
          java.util.Set.of("accounts")).get(30, java.util.concurrent.TimeUnit.SECONDS);
      KafkaTestSupport.produce(producer, topic, List.of(String.format(transfer, 1, T0 + 5_000)), "id");
      awaitBothStages(source, opens().size() + 1);
      // Another layout (one more state variable): the accounts start afresh, as New.
      source.reloadSpecs(compileSpec(SPEC.replace("balance: int\n", "balance: int\n  note: string\n")),
          java.util.Set.of()).get(30, java.util.concurrent.TimeUnit.SECONDS);
      KafkaTestSupport.produce(producer, topic, List.of(String.format(transfer, 2, T0 + 6_000)), "id");
      awaitBothStages(source, opens().size() + 2);
    } finally {
      source.stop(Duration.ofSeconds(30));
    }
    assertEquals(2, source.stats().specReloads.get());
    List<String> rules = new ArrayList<>();
    for (String v : KafkaTestSupport.committedViolations(kafka, topic + "-violations")) {
      rules.add(KafkaTestSupport.keyOf(v, "key") + " " + KafkaTestSupport.keyOf(v, "rule")
         );
    }
    rules.sort(null);
    // Only after the layout change: both accounts are New again, so both handlers are refused.
    assertEquals(List.of("a1 debited", "a2 credited"), rules);
  }

  private static List<Program> compileSpec(String source) throws Exception {
    Path spec = Files.createTempFile("accounts", ".sw");
    try {
      Files.writeString(spec, source);
      return TestSpecs.compile(spec);
    } finally {
      Files.delete(spec);
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
