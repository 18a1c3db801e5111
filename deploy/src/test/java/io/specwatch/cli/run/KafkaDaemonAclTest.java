package io.specwatch.cli.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.specwatch.cli.config.ConfigReader;
import io.specwatch.testkit.EmbeddedKafka;
import io.specwatch.testkit.FreePorts;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
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
  private static final Duration WAIT = Duration.ofSeconds(60);
  private static final String USER = "monitor";
  private static final String PASSWORD = "acl-test-password";

  private EmbeddedKafka kafka;
  private final HttpClient http = HttpClient.newHttpClient();
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
    Path config = config(group, adminPort, repartition);
    ByteArrayOutputStream log = new ByteArrayOutputStream();
    PrintStream out = new PrintStream(log, true, StandardCharsets.UTF_8);
    Daemon daemon = new Daemon(new ConfigReader().read(config), new ByteArrayInputStream(new byte[0]), out, out);
    AtomicInteger exit = new AtomicInteger(-1);
    Thread thread = new Thread(() -> exit.set(daemon.run()), "daemon-under-test");
    thread.start();
    try (KafkaProducer<String, String> producer = producer()) {
      await(() -> status(adminPort, "/readyz") == 200, "ready", log);
      send(producer, group + "-in", "o-1");
      await(() -> metric(adminPort, "specwatch_kafka_violations_committed_total") == 1,
          "the violation committed", log);
      assertEquals(0, metric(adminPort, "specwatch_kafka_recoveries_total"),
          () -> "no permission was missing on the way: " + log.toString(StandardCharsets.UTF_8));
    } finally {
      daemon.requestStop();
      thread.join(WAIT.toMillis());
    }
    assertEquals(Daemon.OK, exit.get(), () -> log.toString(StandardCharsets.UTF_8));
  }

  @Test
  void withoutWriteOnTheTransactionalIdTheMemberFailsAndRetriesNeverReady() throws Exception {
    int adminPort = FreePorts.next();
    Path config = config("notx", adminPort, false);
    ByteArrayOutputStream log = new ByteArrayOutputStream();
    PrintStream out = new PrintStream(log, true, StandardCharsets.UTF_8);
    Daemon daemon = new Daemon(new ConfigReader().read(config), new ByteArrayInputStream(new byte[0]), out, out);
    AtomicInteger exit = new AtomicInteger(-1);
    Thread thread = new Thread(() -> exit.set(daemon.run()), "daemon-under-test");
    thread.start();
    try {
      await(() -> metric(adminPort, "specwatch_kafka_recoveries_total") >= 2, "two failed attempts", log);
      assertNotEquals(200, status(adminPort, "/readyz"));
      assertEquals(200, status(adminPort, "/healthz"));
    } finally {
      daemon.requestStop();
      thread.join(WAIT.toMillis());
    }
    assertEquals(Daemon.OK, exit.get(), () -> log.toString(StandardCharsets.UTF_8));
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

  private double metric(int adminPort, String series) {
    try {
      String body = http.send(request(adminPort, "/metrics"), HttpResponse.BodyHandlers.ofString()).body();
      for (String line : body.split("\n")) {
        if (line.startsWith(series + " ")) {
          return Double.parseDouble(line.substring(series.length() + 1).trim());
        }
      }
    } catch (Exception e) {
      // not up yet
    }
    return Double.NaN;
  }

  private int status(int adminPort, String path) {
    try {
      return http.send(request(adminPort, path), HttpResponse.BodyHandlers.discarding()).statusCode();
    } catch (Exception e) {
      return -1;
    }
  }

  private static HttpRequest request(int adminPort, String path) {
    return HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + adminPort + path))
        .timeout(Duration.ofSeconds(5)).build();
  }

  private static void await(BooleanSupplier condition, String what, ByteArrayOutputStream log) {
    long deadline = System.nanoTime() + WAIT.toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError(what + " within " + WAIT + "\nlog:\n" + log.toString(StandardCharsets.UTF_8));
      }
      try {
        Thread.sleep(100); // poll interval between condition checks, not a synchronisation
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new AssertionError("interrupted", e);
      }
    }
  }
}
