package io.specwatch.cli.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.specwatch.testkit.EmbeddedKafka;
import io.specwatch.testkit.FreePorts;
import io.specwatch.testkit.TestCertificates;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code specwatch run} (in this JVM) with the Kafka source's settings from the YAML file, on a
 * real broker whose listeners for specwatch take SASL/PLAIN or mutual TLS: the client properties
 * reach every client unchanged (passwords from the environment), a topic pattern and
 * {@code start_position: latest} choose what is read, and the transactional id the daemon keeps
 * in its state directory survives a restart. A wrong password is a failing member that retries,
 * never a crash or a ready daemon.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class KafkaDaemonSettingsTest {
  private static final String PASSWORD = "s3cret-for-monitor";

  private EmbeddedKafka kafka;
  private final AtomicInteger eventId = new AtomicInteger();
  @TempDir
  Path dir;

  private TestCertificates tls;
  private Path tlsDir;

  @BeforeAll
  void startBroker() throws Exception {
    tlsDir = Files.createTempDirectory("specwatch-tls-");
    tls = TestCertificates.generate(tlsDir);
    kafka = EmbeddedKafka.startWithSaslPlainAndTls(Map.of("monitor", PASSWORD), tls);
    kafka.createTopic("ks-audit-a", 1);
    kafka.createTopic("ks-audit-b", 1);
    kafka.createTopic("ks-other", 1);
    kafka.createTopic("ks-tls-in", 1);
  }

  /** Daemons started by the current test, stopped after it even when an assertion failed. */
  private final List<InJvmDaemon> daemons = new ArrayList<>();

  private InJvmDaemon start(Path config, Map<String, String> env, int adminPort) throws Exception {
    InJvmDaemon d = InJvmDaemon.start(config, env, adminPort);
    daemons.add(d);
    return d;
  }

  @AfterEach
  void stopDaemons() throws InterruptedException {
    AssertionError first = null;
    for (InJvmDaemon d : daemons) {
      try {
        d.close();
      } catch (AssertionError e) { // one that does not stop must not keep the others running
        first = first == null ? e : first;
      }
    }
    daemons.clear();
    if (first != null) {
      throw first;
    }
  }

  @AfterAll
  void stopBroker() throws Exception {
    kafka.close();
    try (java.util.stream.Stream<Path> files = Files.list(tlsDir)) {
      for (Path f : files.toList()) {
        Files.delete(f);
      }
    }
    Files.delete(tlsDir);
  }

  @Test
  void saslPropertiesAPatternAndLatestReachTheSourceAndTheTransactionalIdIsKept() throws Exception {
    latestOverSaslAcrossARestart("ks", false);
  }

  /** The same through the repartition stage, whose own clients need the properties too. */
  @Test
  void theRepartitionStageGetsTheSamePropertiesAndKeepsItsLatestPositionsToo() throws Exception {
    latestOverSaslAcrossARestart("ks-rp", true);
  }

  /** The same with the new consumer protocol (KIP-848) and the repartition stage. */
  @Test
  void theNewConsumerProtocolToo() throws Exception {
    latestOverSaslAcrossARestart("ks-848", true, "consumer");
  }

  private void latestOverSaslAcrossARestart(String group, boolean repartition) throws Exception {
    latestOverSaslAcrossARestart(group, repartition, "classic");
  }

  private void latestOverSaslAcrossARestart(String group, boolean repartition, String protocol)
      throws Exception {
    Files.writeString(dir.resolve("orders.sw"), SpecReloadTest.ORDERS);
    int adminPort = FreePorts.next();
    Path config = config(group, adminPort, "${KAFKA_PASSWORD}", repartition, protocol);
    Map<String, String> env = Map.of("KAFKA_PASSWORD", PASSWORD);
    try (KafkaProducer<String, String> producer = producer()) {
      // Before the first start: `latest` skips it (the partition has no checkpoint yet).
      send(producer, "ks-audit-a", "shipped", "o-before");
      InJvmDaemon first = start(config, env, adminPort);
      first.awaitReady();
      String transactionalId = first.transactionalId();
      Path idFile = dir.resolve("state-" + group).resolve(KafkaMemberId.FILE_NAME);
      assertTrue(Files.exists(idFile), "the daemon kept its id");
      assertEquals(group + "-" + Files.readString(idFile).trim(), transactionalId);

      // Both input partitions assigned (their lag is reported once a poll has them). With the
      // consumer protocol a member can be ready first with nothing assigned yet (docs/kafka.md
      // section 11); `latest` is "from when first assigned", so wait for the assignment.
      first.await(() -> first.metrics().contains("topic=\"ks-audit-a\"")
          && first.metrics().contains("topic=\"ks-audit-b\""), "both input partitions assigned");
      // Stopped before any record arrived: the positions `latest` chose are committed anyway.
      assertEquals(0, first.stop(), first::log);

      // While it is down; the restart resumes where the first run's positions were.
      send(producer, "ks-audit-a", "shipped", "o-a");
      InJvmDaemon second = start(config, env, adminPort);
      second.awaitReady();
      // The pattern's two topics, not ks-other: never subscribed, so never read.
      second.await(() -> second.metrics().contains("topic=\"ks-audit-a\"")
          && second.metrics().contains("topic=\"ks-audit-b\""), "the lag of both pattern topics");
      assertFalse(second.metrics().contains("topic=\"ks-other\""), second::metrics);
      send(producer, "ks-other", "shipped", "o-other");
      send(producer, "ks-audit-b", "shipped", "o-b"); // matched by the pattern: a violation
      second.await(() -> second.metric("specwatch_kafka_violations_committed_total") == 2,
          "the violations of o-a (sent while down) and o-b committed");
      assertEquals(transactionalId, second.transactionalId(), "the same member id again");
      assertEquals(0, second.stop(), second::log);
      assertFalse((first.log() + second.log()).contains(PASSWORD),
          "the daemon's own output never shows the password");
    }
    assertEquals(List.of("o-a shipped", "o-b shipped"), CommittedViolations.keyAndRule(kafka, group + ".violations"));
  }

  /** Mutual TLS: the stores' paths and passwords (from the environment) reach every client. */
  @Test
  void mutualTlsSettingsReachTheClients() throws Exception {
    Files.writeString(dir.resolve("orders.sw"), SpecReloadTest.ORDERS);
    try (KafkaProducer<String, String> producer = producer()) {
      send(producer, "ks-tls-in", "shipped", "o-tls"); // earliest: read
    }
    int adminPort = FreePorts.next();
    Path config = tlsConfig("ks-tls", adminPort, true);
    InJvmDaemon run = start(config, Map.of("TLS_PASSWORD", tls.password()), adminPort);
    run.await(() -> run.metric("specwatch_kafka_violations_committed_total") == 1,
        "the violation committed over mutual TLS");
    assertEquals(0, run.metric("specwatch_kafka_recoveries_total"), run::log);
    assertEquals(0, run.stop(), run::log);
    assertEquals(List.of("o-tls shipped"), CommittedViolations.keyAndRule(kafka, "ks-tls.violations"));
  }

  @Test
  void withoutAClientCertificateTheTlsListenerRefusesTheMember() throws Exception {
    Files.writeString(dir.resolve("orders.sw"), SpecReloadTest.ORDERS);
    int adminPort = FreePorts.next();
    Path config = tlsConfig("ks-tls-anon", adminPort, false);
    InJvmDaemon run = start(config, Map.of("TLS_PASSWORD", tls.password()), adminPort);
    run.await(() -> run.metric("specwatch_kafka_recoveries_total") >= 2,
        "the member refused by the TLS listener, twice");
    assertNotEquals(200, run.status("/readyz"));
    assertEquals(0, run.stop(), run::log);
  }

  private Path tlsConfig(String group, int adminPort, boolean clientCertificate) throws Exception {
    Path config = dir.resolve(group + ".yaml");
    Files.writeString(config, "specs: [orders.sw]\n"
        + "sources:\n"
        + "  kafka:\n"
        + "    bootstrap_servers: \"" + kafka.tlsBootstrapServers() + "\"\n"
        + "    topics: [ks-tls-in]\n"
        + "    group_id: " + group + "\n"
        + "    start_position: earliest\n"
        + "    commit_interval: 20ms\n"
        + "    properties:\n"
        + "      security.protocol: SSL\n"
        + "      ssl.truststore.location: " + tls.clientTruststore() + "\n"
        + "      ssl.truststore.type: PKCS12\n"
        + "      ssl.truststore.password: ${TLS_PASSWORD}\n"
        + (clientCertificate
            ? "      ssl.keystore.location: " + tls.clientKeystore() + "\n"
                + "      ssl.keystore.type: PKCS12\n"
                + "      ssl.keystore.password: ${TLS_PASSWORD}\n"
                + "      ssl.key.password: ${TLS_PASSWORD}\n"
            : "")
        + "admin: {port: " + adminPort + "}\n"
        + "state: {directory: state-" + group + "}\n"
        + "reload: {watch: false}\n");
    return config;
  }

  @Test
  void aWrongPasswordIsAMemberThatFailsAndRetriesNeverReady() throws Exception {
    Files.writeString(dir.resolve("orders.sw"), SpecReloadTest.ORDERS);
    int adminPort = FreePorts.next();
    Path config = config("ks-wrong", adminPort, "not-the-password", false);
    InJvmDaemon run = start(config, Map.of(), adminPort);
    run.await(() -> run.metric("specwatch_kafka_recoveries_total") >= 2,
        "the member failing to authenticate, twice");
    assertNotEquals(200, run.status("/readyz"), "not ready while the member cannot join");
    assertEquals(200, run.status("/healthz"), "alive");
    assertEquals(0, run.metric("specwatch_kafka_assigned_partitions"));
    assertEquals(0, run.stop(), run::log);
  }

  private Path config(String group, int adminPort, String password, boolean repartition)
      throws Exception {
    return config(group, adminPort, password, repartition, "classic");
  }

  private Path config(String group, int adminPort, String password, boolean repartition,
      String protocol) throws Exception {
    Path state = dir.resolve("state-" + group);
    Path config = dir.resolve(group + ".yaml");
    Files.writeString(config, "specs: [orders.sw]\n"
        + "sources:\n"
        + "  kafka:\n"
        + "    bootstrap_servers: \"" + kafka.saslBootstrapServers() + "\"\n"
        + "    topic_pattern: 'ks-audit-.*'\n"
        + "    group_id: " + group + "\n"
        + "    start_position: latest\n"
        + "    group_protocol: " + protocol + "\n"
        + "    commit_interval: 20ms\n"
        + "    repartition: " + repartition + "\n"
        + "    properties:\n"
        + "      security.protocol: SASL_PLAINTEXT\n"
        + "      sasl.mechanism: PLAIN\n"
        + "      sasl.jaas.config: 'org.apache.kafka.common.security.plain.PlainLoginModule required"
        + " username=\"monitor\" password=\"" + password + "\";'\n"
        + "admin: {port: " + adminPort + "}\n"
        + "state: {directory: " + state + "}\n"
        + "reload: {watch: false}\n");
    return config;
  }

  private void send(KafkaProducer<String, String> producer, String topic, String type, String order)
      throws Exception {
    int id = eventId.incrementAndGet();
    String doc = "{\"event_id\":\"e" + id + "\",\"type\":\"" + type + "\",\"at\":" + (1_000_000 + id * 1000L)
        + ",\"order_id\":\"" + order + "\"}";
    producer.send(new ProducerRecord<>(topic, order, doc)).get();
  }

  /** The test's own producer, on the plaintext listener. */
  private KafkaProducer<String, String> producer() {
    Properties p = new Properties();
    p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
    return new KafkaProducer<>(p, new StringSerializer(), new StringSerializer());
  }
}
