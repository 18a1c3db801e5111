package io.specwatch.ingest.kafka;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.specwatch.core.engine.Monitor;
import io.specwatch.core.program.Program;
import io.specwatch.spec.CompileResult;
import io.specwatch.spec.SourceFile;
import io.specwatch.spec.SpecCompiler;
import io.specwatch.testkit.EmbeddedKafka;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * Spec reloads reaching the Kafka source, readiness as "caught up", and the live-instance cap,
 * against one real KRaft broker. The reload tests hinge on one order: placed and paid before the
 * reload, shipped after it. Shipping is allowed only from Paid, so whether the instance survived
 * the reload decides whether a violation is raised.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class KafkaReloadAndReadinessTest {
  private static final Duration CATCH_UP = Duration.ofSeconds(60);
  static final String ORDERS = """
      spec orders
      input { time at; id event_id }
      entity Order key order_id {
        status: enum { Placed, Paid, Shipped } = Placed
        total: int
        ends when status == Shipped
      }
      event placed  for Order when type == "placed" { total: int }
      event paid    for Order when type == "paid"
      event shipped for Order when type == "shipped"
      on placed(e) { total = e.total }
      /// Payment happens once, on a placed order.
      on paid requires status == Placed { status = Paid }
      /// Only a paid order ships.
      on shipped requires status == Paid { status = Shipped }
      """;
  /** Same state layout, a stricter rule: only a paid order with a total ships. */
  static final String ORDERS_STRICTER = ORDERS
      .replace("/// Only a paid order ships.", "/// Only a paid order with a total ships.")
      .replace("requires status == Paid {", "requires status == Paid, total > 0 {");
  /** Another state layout: one more state variable. */
  static final String ORDERS_NEW_LAYOUT = ORDERS.replace("total: int\n", "total: int\n  note: string\n");

  private EmbeddedKafka kafka;
  private KafkaProducer<byte[], byte[]> producer;
  private long eventId;

  @BeforeAll
  void startBroker() {
    kafka = EmbeddedKafka.start();
    producer = KafkaTestSupport.producer(kafka);
  }

  @AfterAll
  void stopBroker() {
    producer.close();
    kafka.close();
  }

  static List<Program> compile(String source) {
    CompileResult r = SpecCompiler.compile(List.of(new SourceFile("orders.sw", source)));
    assertTrue(r.ok(), () -> r.diagnostics().toString());
    return r.programs();
  }

  private String doc(String type, String order, int total) {
    long id = ++eventId;
    return "{\"event_id\":\"e" + id + "\",\"type\":\"" + type + "\",\"at\":" + (1_000_000 + id * 1000)
        + ",\"order_id\":\"" + order + "\"" + (type.equals("placed") ? ",\"total\":" + total : "") + "}";
  }

  private void produce(String topic, String... docs) throws Exception {
    KafkaTestSupport.produce(producer, topic, List.of(docs), "order_id");
  }

  private void placeAndPay(String topic, String order, int total) throws Exception {
    produce(topic, doc("placed", order, total), doc("paid", order, 0));
  }

  private KafkaSource start(String name, List<Program> programs) {
    KafkaSource source = new KafkaSource(config(name), programs, null);
    source.start();
    return source;
  }

  private KafkaSourceConfig config(String name) {
    return KafkaSourceConfig.of(kafka.bootstrapServers(), name + "-group", List.of(name + "-in"),
            name + "-violations")
        .withTransactionalId(name + "-member")
        .withStartPosition(KafkaSourceConfig.StartPosition.EARLIEST);
  }

  private void awaitConsumed(String name) {
    KafkaTestSupport.awaitGroupCaughtUp(kafka, name + "-group", name + "-in", CATCH_UP);
  }

  private List<String> rules(String name) {
    List<String> out = new ArrayList<>();
    for (String v : KafkaTestSupport.committedViolations(kafka, name + "-violations")) {
      String key = KafkaTestSupport.keyOf(v, "key");
      String rule = KafkaTestSupport.keyOf(v, "rule");
      out.add(key + " " + rule);
    }
    out.sort(null);
    return out;
  }

  private void topics(String name, int partitions) {
    kafka.createTopic(name + "-in", partitions);
    kafka.createTopic(name + "-violations", 1);
  }

  @Test
  void aReloadThatKeepsTheLayoutKeepsTheInstancesAndAppliesTheNewRules() throws Exception {
    topics("keep", 2);
    KafkaSource source = start("keep", compile(ORDERS));
    try {
      placeAndPay("keep-in", "o-1", 5);
      placeAndPay("keep-in", "o-2", 0);
      awaitConsumed("keep");
      source.reloadSpecs(compile(ORDERS_STRICTER), Set.of("orders")).get(30, TimeUnit.SECONDS);
      produce("keep-in", doc("shipped", "o-1", 0), doc("shipped", "o-2", 0));
      awaitConsumed("keep");
    } finally {
      source.stop(Duration.ofSeconds(30));
    }
    assertEquals(1, source.stats().specReloads.get());
    // o-1 was kept Paid, so it ships without a false alarm; o-2 (total 0) is refused by the
    // new rule, which the old spec did not have.
    assertEquals(List.of("o-2 shipped"), rules("keep"));
  }

  @Test
  void aLayoutChangeStartsFreshAndARestartRestoresTheNewLayout() throws Exception {
    topics("fresh", 1);
    KafkaSource source = start("fresh", compile(ORDERS));
    try {
      placeAndPay("fresh-in", "o-1", 5);
      awaitConsumed("fresh");
      source.reloadSpecs(compile(ORDERS_NEW_LAYOUT), Set.of()).get(30, TimeUnit.SECONDS);
      // The reload committed, with the violations so far, a checkpoint under the new layout.
      PartitionCheckpoint.Restored latest = latestCheckpoint("fresh", compile(ORDERS_NEW_LAYOUT));
      assertEquals(Map.of("orders", PartitionCheckpoint.Outcome.RESTORED), latest.outcomes());
      assertEquals(2, latest.position());
      produce("fresh-in", doc("shipped", "o-1", 0)); // o-1 starts afresh (Placed): a violation
      placeAndPay("fresh-in", "o-2", 5);
      awaitConsumed("fresh");
    } finally {
      source.stop(Duration.ofSeconds(30));
    }
    assertEquals(List.of("o-1 shipped"), rules("fresh"));
    // A restart with the new specs restores the state written under them: o-2 is still Paid.
    KafkaSource restarted = start("fresh", compile(ORDERS_NEW_LAYOUT));
    try {
      produce("fresh-in", doc("shipped", "o-2", 0));
      awaitConsumed("fresh");
    } finally {
      restarted.stop(Duration.ofSeconds(30));
    }
    assertEquals(1, restarted.stats().restores.get());
    assertEquals(0, restarted.stats().specsStartedAfreshOnRestore.get());
    assertEquals(List.of("o-1 shipped"), rules("fresh"), "o-2 ships: its state was restored");
  }

  @Test
  void aChangelogWrittenByAnOldLayoutStartsThatSpecAfreshInsteadOfFailing() throws Exception {
    topics("old", 1);
    KafkaSource source = start("old", compile(ORDERS));
    try {
      placeAndPay("old-in", "o-1", 5);
      awaitConsumed("old");
    } finally {
      source.stop(Duration.ofSeconds(30)); // checkpoint under the old layout
    }
    // The specs were edited while the member was down (no reload): its checkpoint is unreadable
    // by the new layout, so the spec starts afresh in that partition (logged, counted).
    KafkaSource edited = start("old", compile(ORDERS_NEW_LAYOUT));
    try {
      produce("old-in", doc("shipped", "o-1", 0));
      awaitConsumed("old");
    } finally {
      edited.stop(Duration.ofSeconds(30));
    }
    assertEquals(1, edited.stats().specsStartedAfreshOnRestore.get());
    assertEquals(0, edited.stats().recoveries.get(), "the checkpoint did not break the member");
    assertEquals(List.of("o-1 shipped"), rules("old"));
  }

  /** The latest committed checkpoint of partition 0 of NAME-in, restored into {@code programs}. */
  private PartitionCheckpoint.Restored latestCheckpoint(String name, List<Program> programs) {
    String key = name + "-group/" + name + "-in/0";
    byte[] latest = null;
    for (ConsumerRecord<byte[], byte[]> r
        : KafkaTestSupport.readAll(kafka, name + "-group-specwatch-changelog")) {
      if (new String(r.key(), StandardCharsets.UTF_8).equals(key)) {
        latest = r.value();
      }
    }
    assertTrue(latest != null, "no checkpoint of " + key);
    return PartitionCheckpoint.restore(latest, () -> new Monitor(programs));
  }

  @Test
  void theSourceIsCaughtUpOnlyOnceTheBacklogItWasAssignedIsConsumed() throws Exception {
    topics("ready", 2);
    List<String> backlog = new ArrayList<>();
    for (int i = 0; i < 2000; i++) {
      backlog.add(doc("shipped", "o-" + i, 0)); // never placed: a violation each
    }
    KafkaTestSupport.produce(producer, "ready-in", backlog, "order_id");
    // The first commit's after-commit sink holds the member's thread, mid-backlog.
    CountDownLatch release = new CountDownLatch(1);
    CountDownLatch held = new CountDownLatch(1);
    // A commit after every poll, and small polls: a batch's violations go into the commit after
    // the one that cut it, so the first commit with violations comes after at most two polls of
    // 20, and its sink holds the member's thread with at most 40 of the 2,000 records applied.
    // (A 10 ms commit interval left it to timing: once, under load, the whole backlog came first.)
    KafkaSource source = new KafkaSource(config("ready")
        .withCommitInterval(Duration.ZERO)
        .withClientProperties(Map.of("max.poll.records", "20")), compile(ORDERS), v -> {
          held.countDown();
          try {
            release.await();
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
          }
        });
    assertFalse(source.caughtUp(), "not started");
    source.start();
    try {
      assertTrue(held.await(60, TimeUnit.SECONDS), "the member committed a first batch");
      long applied = source.stats().records.get();
      assertTrue(applied > 0 && applied <= 40, "mid-backlog: " + applied);
      assertFalse(source.caughtUp(), "a backlog is being consumed");
      release.countDown();
      KafkaTestSupport.awaitCondition(source::caughtUp, CATCH_UP, "caught up");
      assertEquals(backlog.size(), source.stats().records.get(),
          "caught up only after every record of the backlog was applied");
      // Records produced after catching up do not make it not ready again.
      produce("ready-in", doc("shipped", "late", 0));
      KafkaTestSupport.awaitCondition(() -> source.stats().records.get() == backlog.size() + 1,
          CATCH_UP, "the late record applied");
      assertTrue(source.caughtUp());
      KafkaTestSupport.awaitCondition(() -> source.stats().consumerLag().size() == 2
          && source.stats().consumerLag().values().stream().allMatch(l -> l == 0),
          CATCH_UP, "lag measured 0 for both partitions");
    } finally {
      release.countDown();
      source.stop(Duration.ofSeconds(30));
    }
  }

  @Test
  void theLiveInstanceCapRefusesNewInstancesPerPartitionWithAnErrorViolation() throws Exception {
    topics("cap", 1);
    // And the dedupe memory's cap: 3 ids of the 4 recorded, the fourth applied and counted.
    KafkaSource source = new KafkaSource(config("cap").withMaxLiveInstancesPerPartition(2)
        .withMaxDedupeIdsPerPartition(3), compile(ORDERS), null);
    source.start();
    try {
      produce("cap-in", doc("placed", "o-1", 5), doc("placed", "o-2", 5), doc("placed", "o-3", 5),
          doc("paid", "o-1", 0));
      awaitConsumed("cap");
    } finally {
      source.stop(Duration.ofSeconds(30));
    }
    List<String> violations = KafkaTestSupport.committedViolations(kafka, "cap-violations");
    assertEquals(1, violations.size(), violations::toString);
    assertTrue(violations.get(0).contains("\"kind\":\"error\""), violations::toString);
    assertTrue(violations.get(0).contains("live-instance limit reached"), violations::toString);
    assertTrue(violations.get(0).contains("\"key\":\"o-3\""), violations::toString);
    assertEquals(1, source.stats().instancesRefused.get());
    assertEquals(1, source.stats().dedupeIdsUnrecorded.get());
  }
}
