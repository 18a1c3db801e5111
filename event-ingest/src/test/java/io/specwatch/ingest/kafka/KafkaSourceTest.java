package io.specwatch.ingest.kafka;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.specwatch.core.program.Program;
import io.specwatch.testkit.EmbeddedKafka;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Kafka source against a real KRaft broker (one for the whole class): specwatch's committed
 * violations, read with {@code read_committed}, equal what {@code specwatch check} says about the
 * same records (per partition, in offset order) as a multiset — none lost, none repeated, none
 * invented — with real producers (kafka-clients and Debian's kcat), across a SIGKILL of a member
 * in its own JVM, a rebalance of three members after one is killed, and a broker restart.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class KafkaSourceTest {
  private static final Duration CATCH_UP = Duration.ofSeconds(120);

  private EmbeddedKafka kafka;
  private final List<Process> processes = new ArrayList<>();
  @TempDir
  Path tmp;

  @BeforeAll
  void startBroker() {
    kafka = EmbeddedKafka.start();
  }

  @AfterAll
  void stopBroker() {
    processes.forEach(Process::destroyForcibly);
    kafka.close();
  }

  @Test
  @Order(1)
  void aStreamFromAJavaProducerGivesTheVerdictsOfCheck() throws Exception {
    List<Program> programs = TestSpecs.compile(TestSpecs.paymentsLoadSpec());
    List<String> log = TestSpecs.randomPaymentsLoadLog(21, 200);
    kafka.createTopic("java-in", 3);
    kafka.createTopic("java-violations", 1);
    try (KafkaProducer<byte[], byte[]> producer = KafkaTestSupport.producer(kafka)) {
      KafkaTestSupport.produce(producer, "java-in", log, "payment_id");
    }
    KafkaSourceConfig config = KafkaSourceConfig.of(kafka.bootstrapServers(), "java-group",
        List.of("java-in"), "java-violations");
    List<String> expected = KafkaTestSupport.expectedViolations(kafka, "java-in", programs);
    assertTrue(expected.size() > 20, "the stream must raise violations: " + expected.size());
    assertTrue(expected.stream().anyMatch(v -> v.contains("\"kind\":\"deadline\"")));
    assertTrue(expected.stream().anyMatch(v -> v.contains("\"kind\":\"malformed\"")));

    List<String> forwarded = new ArrayList<>();
    KafkaSource source = new KafkaSource(config, programs, v -> forwarded.add(v.toJson()));
    source.start();
    try {
      KafkaTestSupport.awaitGroupCaughtUp(kafka, "java-group", "java-in", CATCH_UP);
    } finally {
      source.stop(Duration.ofSeconds(30));
    }
    assertEquals(expected, KafkaTestSupport.committedViolations(kafka, "java-violations"));
    forwarded.sort(null);
    assertEquals(expected, forwarded, "the committed violations also reach the other sinks, once");
    assertTrue(expected.get(0).contains("\"topic\":\"java-in\",\"partition\":"));
  }

  /**
   * An invariant that breaks and holds again within the stream: the committed sink hears the
   * violation and then the "holds again" signal, in that order and only after the commit, so an
   * alert on a Kafka source resolves when the invariant holds rather than after a quiet period.
   */
  @Test
  @Order(1)
  void invariantHoldsSignalsFollowTheirViolationsAfterTheCommit() throws Exception {
    Path spec = tmp.resolve("balances.sw");
    Files.writeString(spec, """
        spec balances
        input {
          time at
        }
        entity Account key account {
          balance: int = 0
        }
        event moved for Account when type == "moved" { amount: int = amount }
        on moved(e) { balance += e.amount }
        /// A balance is never negative.
        invariant non_negative: balance >= 0
        """);
    List<Program> programs = TestSpecs.compile(spec);
    kafka.createTopic("signal-in", 2);
    kafka.createTopic("signal-violations", 1);
    List<String> docs = List.of(
        "{\"type\":\"moved\",\"account\":\"a\",\"at\":1000,\"amount\":-5}",
        "{\"type\":\"moved\",\"account\":\"a\",\"at\":2000,\"amount\":10}",
        "{\"type\":\"moved\",\"account\":\"a\",\"at\":3000,\"amount\":-20}",
        "{\"type\":\"moved\",\"account\":\"a\",\"at\":4000,\"amount\":30}");
    try (KafkaProducer<byte[], byte[]> producer = KafkaTestSupport.producer(kafka)) {
      KafkaTestSupport.produce(producer, "signal-in", docs, "account");
    }
    List<String> heard = java.util.Collections.synchronizedList(new ArrayList<>());
    io.specwatch.core.ViolationSink sink = new io.specwatch.core.ViolationSink() {
      @Override
      public void accept(io.specwatch.core.Violation v) {
        heard.add(v.kind().label() + " " + v.rule() + " " + v.key());
      }

      @Override
      public void invariantHolds(String specName, String rule, String entity, String key,
          io.specwatch.core.Position pos, long time) {
        heard.add("holds " + rule + " " + key + " at " + time);
      }
    };
    KafkaSource source = new KafkaSource(KafkaSourceConfig.of(kafka.bootstrapServers(),
        "signal-group", List.of("signal-in"), "signal-violations"), programs, sink);
    source.start();
    try {
      KafkaTestSupport.awaitGroupCaughtUp(kafka, "signal-group", "signal-in", CATCH_UP);
      KafkaTestSupport.awaitCondition(() -> heard.size() >= 4, CATCH_UP, "four deliveries");
    } finally {
      source.stop(Duration.ofSeconds(30));
    }
    assertEquals(List.of("invariant non_negative a", "holds non_negative a at 2000",
        "invariant non_negative a", "holds non_negative a at 4000"), List.copyOf(heard));
    assertEquals(2, KafkaTestSupport.committedViolations(kafka, "signal-violations").size(),
        "signals are not violations: only the two breaks are on the topic");
  }

  @Test
  @Order(2)
  void aStreamFromKcatGivesExactlyTheExampleVerdictsWithTheConsumerProtocol() throws Exception {
    Path dir = TestSpecs.root().resolve("examples/payments");
    List<Program> programs = TestSpecs.compile(dir.resolve("payments.sw"));
    kafka.createTopic("kcat-in", 1);
    kafka.createTopic("kcat-violations", 1);
    Process kcat = new ProcessBuilder("kcat", "-P", "-b", kafka.bootstrapServers(), "-t", "kcat-in",
        "-l", dir.resolve("events.jsonl").toString())
        .redirectErrorStream(true).redirectOutput(tmp.resolve("kcat.out").toFile()).start();
    assertEquals(0, kcat.waitFor(), () -> read(tmp.resolve("kcat.out")));
    KafkaSourceConfig config = KafkaSourceConfig.of(kafka.bootstrapServers(), "kcat-group",
            List.of("kcat-in"), "kcat-violations")
        .withGroupProtocol(KafkaSourceConfig.GroupProtocol.CONSUMER)
        .withStartPosition(KafkaSourceConfig.StartPosition.EARLIEST);
    KafkaSource source = new KafkaSource(config, programs, null);
    source.start();
    try {
      KafkaTestSupport.awaitGroupCaughtUp(kafka, "kcat-group", "kcat-in", CATCH_UP);
    } finally {
      source.stop(Duration.ofSeconds(30));
    }
    // One partition, one line per record: offset N is line N+1, so check's own expected output,
    // with the position rewritten, is what the violations topic must hold, in the same order.
    List<String> expected = new ArrayList<>();
    for (String line : Files.readAllLines(dir.resolve("expected.jsonl"))) {
      if (!line.isBlank()) {
        expected.add(line);
      }
    }
    List<String> actual = new ArrayList<>();
    for (String v : KafkaTestSupport.values(KafkaTestSupport.readAll(kafka, "kcat-violations"))) {
      actual.add(asLinePosition(v));
    }
    assertEquals(expected, actual);
  }

  @Test
  @Order(3)
  void aMemberKilledWithSigkillMidStreamAndRestartedLosesRepeatsAndInventsNothing() throws Exception {
    List<Program> programs = TestSpecs.compile(TestSpecs.paymentsLoadSpec());
    List<String> log = TestSpecs.randomPaymentsLoadLog(31, 600);
    kafka.createTopic("kill-in", 2);
    kafka.createTopic("kill-violations", 1);
    int third = log.size() / 3;
    try (KafkaProducer<byte[], byte[]> producer = KafkaTestSupport.producer(kafka)) {
      Process first = member("kill-group", "kill-in", "kill-violations", "kill-member", "first");
      KafkaTestSupport.produce(producer, "kill-in", log.subList(0, third), "payment_id");
      KafkaTestSupport.awaitCondition(() -> KafkaTestSupport.committedTotal(kafka, "kill-group") > 0,
          CATCH_UP, "the first member committed nothing");
      KafkaTestSupport.produce(producer, "kill-in", log.subList(third, 2 * third), "payment_id");
      first.destroyForcibly(); // SIGKILL, while it works through the second third
      first.waitFor();
      KafkaTestSupport.produce(producer, "kill-in", log.subList(2 * third, log.size()), "payment_id");
    }
    Process second = member("kill-group", "kill-in", "kill-violations", "kill-member", "second");
    KafkaTestSupport.awaitGroupCaughtUp(kafka, "kill-group", "kill-in", CATCH_UP);
    second.destroyForcibly();
    List<String> expected = KafkaTestSupport.expectedViolations(kafka, "kill-in", programs);
    assertTrue(expected.size() > 50, "violations expected: " + expected.size());
    assertEquals(expected, KafkaTestSupport.committedViolations(kafka, "kill-violations"));
  }

  @Test
  @Order(4)
  void threeMembersOneKilledRebalanceWithoutChangingTheVerdicts() throws Exception {
    List<Program> programs = TestSpecs.compile(TestSpecs.paymentsLoadSpec());
    List<String> log = TestSpecs.randomPaymentsLoadLog(41, 600);
    kafka.createTopic("trio-in", 6);
    kafka.createTopic("trio-violations", 1);
    KafkaSourceConfig base = KafkaSourceConfig.of(kafka.bootstrapServers(), "trio-group",
            List.of("trio-in"), "trio-violations")
        .withClientProperties(KafkaTestSupport.fastFailover());
    KafkaSource a = new KafkaSource(base.withTransactionalId("trio-a"), programs, null);
    KafkaSource b = new KafkaSource(base.withTransactionalId("trio-b"), programs, null);
    a.start();
    b.start();
    Process c = member("trio-group", "trio-in", "trio-violations", "trio-c", "c");
    int half = log.size() / 2;
    try (KafkaProducer<byte[], byte[]> producer = KafkaTestSupport.producer(kafka)) {
      // Cooperative rebalancing assigns the third member its partitions a round after it joins:
      // wait for that, so the member that is killed owns (and commits) partitions.
      KafkaTestSupport.awaitCondition(() -> membersWithPartitions("trio-group") == 3, CATCH_UP,
          "three members did not all get partitions");
      KafkaTestSupport.produce(producer, "trio-in", log.subList(0, half), "payment_id");
      KafkaTestSupport.awaitCondition(() -> partitionsWithCommits("trio-group") == 6, CATCH_UP,
          "not every partition was committed by its owner");
      c.destroyForcibly();
      c.waitFor();
      KafkaTestSupport.produce(producer, "trio-in", log.subList(half, log.size()), "payment_id");
      KafkaTestSupport.awaitGroupCaughtUp(kafka, "trio-group", "trio-in", CATCH_UP);
    } finally {
      a.stop(Duration.ofSeconds(30));
      b.stop(Duration.ofSeconds(30));
    }
    assertTrue(a.stats().restores.get() + b.stats().restores.get() > 0,
        "the killed member's partitions were restored from its checkpoints");
    List<String> expected = KafkaTestSupport.expectedViolations(kafka, "trio-in", programs);
    assertTrue(expected.size() > 50, "violations expected: " + expected.size());
    assertEquals(expected, KafkaTestSupport.committedViolations(kafka, "trio-violations"));
  }

  @Test
  @Order(5) // last: it restarts the broker the other tests share
  void aBrokerRestartDuringConsumptionIsRecoveredFromWithoutHelp() throws Exception {
    List<Program> programs = TestSpecs.compile(TestSpecs.paymentsLoadSpec());
    List<String> log = TestSpecs.randomPaymentsLoadLog(51, 400);
    kafka.createTopic("restart-in", 2);
    kafka.createTopic("restart-violations", 1);
    KafkaSourceConfig config = KafkaSourceConfig.of(kafka.bootstrapServers(), "restart-group",
        List.of("restart-in"), "restart-violations");
    KafkaSource source = new KafkaSource(config, programs, null);
    source.start();
    int half = log.size() / 2;
    try {
      try (KafkaProducer<byte[], byte[]> producer = KafkaTestSupport.producer(kafka)) {
        KafkaTestSupport.produce(producer, "restart-in", log.subList(0, half), "payment_id");
      }
      KafkaTestSupport.awaitCondition(() -> source.stats().commits.get() > 0, CATCH_UP,
          "nothing committed before the restart");
      kafka.restart();
      try (KafkaProducer<byte[], byte[]> producer = KafkaTestSupport.producer(kafka)) {
        KafkaTestSupport.produce(producer, "restart-in", log.subList(half, log.size()), "payment_id");
      }
      KafkaTestSupport.awaitGroupCaughtUp(kafka, "restart-group", "restart-in", CATCH_UP);
    } finally {
      source.stop(Duration.ofSeconds(30));
    }
    List<String> expected = KafkaTestSupport.expectedViolations(kafka, "restart-in", programs);
    assertTrue(expected.size() > 30, "violations expected: " + expected.size());
    assertEquals(expected, KafkaTestSupport.committedViolations(kafka, "restart-violations"));
  }

  private int membersWithPartitions(String group) {
    try (var admin = kafka.admin()) {
      return (int) admin.describeConsumerGroups(List.of(group)).all().get().get(group).members()
          .stream().filter(m -> !m.assignment().topicPartitions().isEmpty()).count();
    } catch (Exception e) {
      return -1;
    }
  }

  private int partitionsWithCommits(String group) {
    try (var admin = kafka.admin()) {
      return (int) admin.listConsumerGroupOffsets(group).partitionsToOffsetAndMetadata().get()
          .values().stream().filter(o -> o != null && o.offset() > 0).count();
    } catch (Exception e) {
      return -1;
    }
  }

  /** A member in its own JVM, with the test class path; output goes to a file in the temp dir. */
  private Process member(String group, String topic, String violations, String txId, String name)
      throws Exception {
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    File out = tmp.resolve("member-" + name + ".log").toFile();
    Process p = new ProcessBuilder(java, "-Xmx256m", "-XX:TieredStopAtLevel=1",
        "-cp", System.getProperty("java.class.path"),
        KafkaMemberProcess.class.getName(), kafka.bootstrapServers(), group, topic, violations,
        TestSpecs.paymentsLoadSpec().toString(), txId)
        .redirectErrorStream(true).redirectOutput(out).start();
    processes.add(p);
    return p;
  }

  private static final java.util.regex.Pattern KAFKA_POSITION =
      java.util.regex.Pattern.compile("\"topic\":\"[^\"]*\",\"partition\":0,\"offset\":(\\d+)");

  /** Rewrites a one-partition Kafka position as the line of the same document in the file. */
  private static String asLinePosition(String violation) {
    return KAFKA_POSITION.matcher(violation)
        .replaceAll(m -> "\"line\":" + (Long.parseLong(m.group(1)) + 1));
  }

  private static String read(Path p) {
    try {
      return Files.readString(p);
    } catch (Exception e) {
      return "";
    }
  }
}
