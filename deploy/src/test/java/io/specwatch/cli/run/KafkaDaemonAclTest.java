package io.specwatch.cli.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import io.specwatch.testkit.EmbeddedKafka;
import io.specwatch.testkit.FreePorts;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.acl.AccessControlEntry;
import org.apache.kafka.common.acl.AclBinding;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.acl.AclPermissionType;
import org.apache.kafka.common.resource.PatternType;
import org.apache.kafka.common.resource.ResourcePattern;
import org.apache.kafka.common.resource.ResourceType;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * A locked-down cluster, as payment platforms run them: the broker enforces ACLs, the topics
 * were created by the platform team, and specwatch's principal holds exactly the permissions
 * docs/kafka.md section 1 lists, no Create among them. The daemon must run on those and nothing
 * more; with one of them missing it is a member that fails and retries, never ready.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class KafkaDaemonAclTest {
  private static final String USER = "monitor";
  private static final String PASSWORD = "acl-test-password";

  private EmbeddedKafka kafka;
  private final AtomicInteger eventId = new AtomicInteger();
  @TempDir
  Path dir;

  @BeforeAll
  void startBroker() throws Exception {
    kafka = EmbeddedKafka.startWithSaslPlain(Map.of(USER, PASSWORD), true);
    try (Admin admin = kafka.admin()) {
      for (String group : List.of("full", "notx", "rp")) {
        // What the platform team creates, as docs/kafka.md section 1 says.
        admin.createTopics(List.of(
            new NewTopic(group + "-in", 1, (short) 1),
            new NewTopic(group + ".violations", 1, (short) 1),
            new NewTopic(group + "-specwatch-changelog", 4, (short) 1)
                .configs(Map.of("cleanup.policy", "compact", "max.message.bytes", "67108864"))))
            .all().get();
      }
      admin.createAcls(documentedAcls("full", true)).all().get();
      admin.createAcls(documentedAcls("notx", false)).all().get();
      admin.createTopics(List.of(new NewTopic("rp-repartition", 4, (short) 1))).all().get();
      List<AclBinding> rp = new ArrayList<>(documentedAcls("rp", true));
      rp.add(allow(ResourceType.TOPIC, "rp-repartition", PatternType.LITERAL, AclOperation.READ));
      rp.add(allow(ResourceType.TOPIC, "rp-repartition", PatternType.LITERAL, AclOperation.WRITE));
      rp.add(allow(ResourceType.GROUP, "rp-by-entity", PatternType.LITERAL, AclOperation.READ));
      admin.createAcls(rp).all().get(); // the transactional ids: `rp-` prefixed covers both

    }
  }

  /** docs/kafka.md section 1, for group {@code g} and its default topic names. */
  private static List<AclBinding> documentedAcls(String g, boolean transactionalId) {
    List<AclBinding> acls = new ArrayList<>();
    acls.add(allow(ResourceType.TOPIC, g + "-in", PatternType.LITERAL, AclOperation.READ));
    acls.add(allow(ResourceType.GROUP, g, PatternType.LITERAL, AclOperation.READ));
    acls.add(allow(ResourceType.TOPIC, g + ".violations", PatternType.LITERAL, AclOperation.WRITE));
    acls.add(allow(ResourceType.TOPIC, g + "-specwatch-changelog", PatternType.LITERAL, AclOperation.READ));
    acls.add(allow(ResourceType.TOPIC, g + "-specwatch-changelog", PatternType.LITERAL, AclOperation.WRITE));
    if (transactionalId) {
      // The daemon's default transactional id is `<group>-<uuid>`: a prefixed grant.
      acls.add(allow(ResourceType.TRANSACTIONAL_ID, g + "-", PatternType.PREFIXED, AclOperation.WRITE));
    }
    return acls;
  }

  private static AclBinding allow(ResourceType type, String name, PatternType pattern, AclOperation op) {
    return new AclBinding(new ResourcePattern(type, name, pattern),
        new AccessControlEntry("User:" + USER, "*", op, AclPermissionType.ALLOW));
  }

  @AfterAll
  void stopBroker() {
    kafka.close();
  }

  @Test
  void theDocumentedPermissionsWithoutCreateAreEnough() throws Exception {
    runsOnTheDocumentedPermissions("full", false);
  }

  @Test
  void withRepartitionTheDocumentedRowsForItAreEnoughToo() throws Exception {
    runsOnTheDocumentedPermissions("rp", true);
  }

  private void runsOnTheDocumentedPermissions(String group, boolean repartition) throws Exception {
    int adminPort = FreePorts.next();
    // Closing stops a daemon the body left running (a failed assertion) without hiding why.
    try (InJvmDaemon daemon = InJvmDaemon.start(config(group, adminPort, repartition), Map.of(), adminPort);
        KafkaProducer<String, String> producer = producer()) {
      daemon.awaitReady();
      send(producer, group + "-in", "o-1");
      daemon.await(() -> daemon.metric("specwatch_kafka_violations_committed_total") == 1,
          "the violation committed");
      assertEquals(0, daemon.metric("specwatch_kafka_recoveries_total"),
          () -> "no permission was missing on the way: " + daemon.log());
      assertEquals(Daemon.OK, daemon.stop(), daemon::log);
    }
  }

  @Test
  void withoutWriteOnTheTransactionalIdTheMemberFailsAndRetriesNeverReady() throws Exception {
    int adminPort = FreePorts.next();
    try (InJvmDaemon daemon = InJvmDaemon.start(config("notx", adminPort, false), Map.of(), adminPort)) {
      daemon.await(() -> daemon.metric("specwatch_kafka_recoveries_total") >= 2, "two failed attempts");
      assertNotEquals(200, daemon.status("/readyz"));
      assertEquals(200, daemon.status("/healthz"));
      assertEquals(Daemon.OK, daemon.stop(), daemon::log);
    }
  }

  private Path config(String group, int adminPort, boolean repartition) throws Exception {
    Files.writeString(dir.resolve("orders.sw"), SpecReloadTest.ORDERS);
    Path config = dir.resolve(group + ".yaml");
    Files.writeString(config, "specs: [orders.sw]\n"
        + "sources:\n"
        + "  kafka:\n"
        + "    bootstrap_servers: \"" + kafka.saslBootstrapServers() + "\"\n"
        + "    topics: [" + group + "-in]\n"
        + "    group_id: " + group + "\n"
        + "    commit_interval: 20ms\n"
        + "    repartition: " + repartition + "\n"
        + "    properties:\n"
        + "      security.protocol: SASL_PLAINTEXT\n"
        + "      sasl.mechanism: PLAIN\n"
        + "      sasl.jaas.config: 'org.apache.kafka.common.security.plain.PlainLoginModule required"
        + " username=\"" + USER + "\" password=\"" + PASSWORD + "\";'\n"
        + "admin: {port: " + adminPort + "}\n"
        + "state: {directory: state-" + group + "}\n"
        + "reload: {watch: false}\n");
    return config;
  }

  private void send(KafkaProducer<String, String> producer, String topic, String order) throws Exception {
    int id = eventId.incrementAndGet();
    producer.send(new ProducerRecord<>(topic, order, "{\"event_id\":\"e" + id
        + "\",\"type\":\"shipped\",\"at\":" + (1_000_000 + id * 1000L) + ",\"order_id\":\"" + order + "\"}"))
        .get();
  }

  /** The test's own producer, on the plaintext listener (a super user). */
  private KafkaProducer<String, String> producer() {
    Properties p = new Properties();
    p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
    return new KafkaProducer<>(p, new StringSerializer(), new StringSerializer());
  }
}
