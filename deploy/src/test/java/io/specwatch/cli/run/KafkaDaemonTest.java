package io.specwatch.cli.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.specwatch.testkit.EmbeddedKafka;
import io.specwatch.testkit.FreePorts;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code specwatch run} (in this JVM) with a Kafka source on a real broker: the Kafka source's
 * figures on {@code /metrics} under {@code specwatch_kafka_...}, readiness once it has caught up,
 * and spec reloads reaching its per-partition runtimes: a reload that keeps the layout keeps the
 * instances, a spec that does not compile changes nothing, a layout change starts afresh.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class KafkaDaemonTest {
  /** The same orders spec the in-JVM reload test uses. */
  private static final String ORDERS = SpecReloadTest.ORDERS;
  private static final String STRICTER = ORDERS.replace("requires status == Paid {",
      "requires status == Paid, total > 0 {");
  private static final String BROKEN = ORDERS.replace("requires status == Paid {",
      "requires status == Payd {");
  private static final String NEW_LAYOUT = ORDERS.replace("total: int\n", "total: int\n  note: string\n");

  private EmbeddedKafka kafka;
  private final AtomicInteger eventId = new AtomicInteger();
  @TempDir
  Path dir;

  @BeforeAll
  void startBroker() {
    kafka = EmbeddedKafka.start();
    kafka.createTopic("kd-in", 1);
  }

  @AfterAll
  void stopBroker() {
    kafka.close();
  }

  @Test
  void kafkaFiguresReadinessAndReloadsReachTheKafkaSource() throws Exception {
    Path spec = dir.resolve("orders.sw");
    Files.writeString(spec, ORDERS);
    int adminPort = FreePorts.next();
    Path config = dir.resolve("specwatch.yaml");
    Files.writeString(config, "specs: [orders.sw]\n"
        + "sources:\n"
        + "  kafka: {bootstrap_servers: \"" + kafka.bootstrapServers() + "\", topics: [kd-in], group_id: kd}\n"
        + "admin: {port: " + adminPort + "}\n"
        + "state: {directory: state}\n"
        + "reload: {watch: false}\n");
    // Closing stops a daemon the body left running (a failed assertion) without hiding why.
    try (InJvmDaemon daemon = InJvmDaemon.start(config, Map.of(), adminPort);
        KafkaProducer<String, String> producer = producer()) {
      daemon.await(() -> daemon.status("/readyz") == 200, "ready once the member joined an empty topic");
      String metrics = daemon.metrics();
      for (String name : List.of("specwatch_kafka_records_total", "specwatch_kafka_malformed_records_total",
          "specwatch_kafka_violations_committed_total", "specwatch_kafka_commits_total",
          "specwatch_kafka_checkpoints_total", "specwatch_kafka_restores_total",
          "specwatch_kafka_recoveries_total", "specwatch_kafka_assigned_partitions",
          "specwatch_kafka_instances_on_several_partitions", "specwatch_kafka_repartitioned_records_total",
          "specwatch_kafka_repartition_copies_total", "specwatch_kafka_idle_partitions",
          "specwatch_kafka_idle_advances_total", "specwatch_kafka_spec_reloads_total",
          "specwatch_kafka_specs_started_afresh_on_restore_total", "specwatch_kafka_instances_refused_total",
          "specwatch_kafka_dedupe_ids_unrecorded_total",
          "specwatch_kafka_poll_seconds_total", "specwatch_kafka_apply_seconds_total",
          "specwatch_kafka_commit_seconds_total", "specwatch_kafka_apply_wait_seconds_total",
          "specwatch_kafka_checkpoint_bytes_total", "specwatch_kafka_checkpoint_encode_seconds_total",
          "specwatch_kafka_longest_commit_seconds", "specwatch_kafka_caught_up 1.0",
          "specwatch_kafka_assigned_partitions 1.0",
          "specwatch_kafka_consumer_lag{partition=\"0\",topic=\"kd-in\"}")) {
        assertTrue(metrics.contains(name), () -> name + " missing from /metrics:\n" + metrics);
      }

      for (String order : List.of("o-1", "o-2", "o-3", "o-4")) {
        send(producer, "placed", order, order.equals("o-2") ? 0 : 5);
        send(producer, "paid", order, 0);
      }
      awaitRecords(daemon, 8);

      Files.writeString(spec, STRICTER); // same layout: kept
      daemon.requestReload();
      daemon.await(() -> daemon.metric("specwatch_kafka_spec_reloads_total") == 1, "the Kafka source reloaded");
      send(producer, "shipped", "o-1", 0); // kept Paid: ships
      send(producer, "shipped", "o-2", 0); // total 0: the new rule refuses it
      awaitRecords(daemon, 10);

      Files.writeString(spec, BROKEN);
      daemon.requestReload();
      daemon.await(() -> daemon.metrics().contains(
          "specwatch_spec_reloads_total{outcome=\"rejected\",spec=\"orders\"} 1.0"), "rejected");
      send(producer, "shipped", "o-3", 0); // the running (stricter) spec with its state judges
      awaitRecords(daemon, 11);
      assertEquals(1, daemon.metric("specwatch_kafka_spec_reloads_total"), "a rejected reload reaches nobody");

      Files.writeString(spec, NEW_LAYOUT); // restarted: instances start afresh
      daemon.requestReload();
      daemon.await(() -> daemon.metric("specwatch_kafka_spec_reloads_total") == 2, "second Kafka reload");
      send(producer, "shipped", "o-4", 0); // fresh instance, Placed: a violation
      awaitRecords(daemon, 12);
      daemon.await(() -> daemon.metric("specwatch_kafka_violations_committed_total") == 2,
          "violations committed");
      assertEquals(Daemon.OK, daemon.stop(), daemon::log);
    }
    assertEquals(List.of("o-2 shipped", "o-4 shipped"), CommittedViolations.keyAndRule(kafka, "kd.violations"));
  }

  private static void awaitRecords(InJvmDaemon daemon, long n) {
    daemon.await(() -> daemon.metric("specwatch_kafka_records_total") == n
        && daemon.status("/readyz") == 200, n + " records applied and ready");
  }

  private void send(KafkaProducer<String, String> producer, String type, String order, int total)
      throws Exception {
    int id = eventId.incrementAndGet();
    String doc = "{\"event_id\":\"e" + id + "\",\"type\":\"" + type + "\",\"at\":" + (1_000_000 + id * 1000L)
        + ",\"order_id\":\"" + order + "\"" + (type.equals("placed") ? ",\"total\":" + total : "") + "}";
    producer.send(new ProducerRecord<>("kd-in", order, doc)).get();
  }

  private KafkaProducer<String, String> producer() {
    Properties p = new Properties();
    p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
    return new KafkaProducer<>(p, new StringSerializer(), new StringSerializer());
  }
}
