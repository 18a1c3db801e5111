package io.specwatch.testkit;

import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.stream.Stream;
import kafka.server.KafkaConfig;
import kafka.server.KafkaRaftServer;
import kafka.tools.StorageTool;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.utils.Time;

/**
 * A real Kafka broker (KRaft, one node acting as broker and controller) inside the test JVM,
 * bound to 127.0.0.1 only. It speaks the wire protocol, so the code under test uses the ordinary
 * kafka-clients against it. Start one per test class: it takes a few seconds.
 *
 * <p>{@link #restart()} stops and starts the broker on the same ports and log directory, which is
 * how tests check that clients recover from a broker outage.
 */
public final class EmbeddedKafka implements AutoCloseable {
  private final Path logDir;
  private final int port;
  private final int controllerPort;
  private final Path propsFile;
  /** The SASL/PLAIN listener's port, or 0 when there is none. */
  private final int saslPort;
  /** SASL/PLAIN users and their passwords. */
  private final Map<String, String> saslUsers;
  /** Whether ACLs are enforced (SASL users get only what ACLs grant them). */
  private boolean authorize;
  /** The mutual-TLS listener's stores, or null when there is none. */
  private TestCertificates tls;
  private int tlsPort;
  private KafkaRaftServer server;
  /** Whether the broker runs in a JVM of its own ({@link #startAsProcess()}). */
  private boolean ownProcess;
  private Process process;
  /** Destroys {@link #process} if this JVM ends first (^C during a benchmark). */
  private Thread reaper;

  private EmbeddedKafka(Path logDir, int port, int controllerPort, Path propsFile, int saslPort,
      Map<String, String> saslUsers) {
    this.logDir = logDir;
    this.port = port;
    this.controllerPort = controllerPort;
    this.propsFile = propsFile;
    this.saslPort = saslPort;
    this.saslUsers = Map.copyOf(saslUsers);
  }

  /** Formats a fresh log directory and starts the broker; returns once it answers clients. */
  public static EmbeddedKafka start() {
    return start(Map.of());
  }

  /**
   * As {@link #start()}, but the broker runs in a JVM of its own ({@code kafka.Kafka} on the
   * properties file, 1 GiB heap, output to {@code broker.log} in its directory): for benchmarks,
   * where a broker in the measured JVM shares its heap, its collector and its safepoints. The
   * API is the same; {@link #stop()} ends the process with SIGTERM (a clean broker shutdown).
   */
  public static EmbeddedKafka startAsProcess() {
    return start(Map.of(), true, false);
  }

  /**
   * As {@link #start()}, with a second listener, {@link #saslBootstrapServers()}, that takes
   * only clients authenticated with SASL/PLAIN as one of {@code users} (name to password). The
   * plaintext listener stays, for the test's own clients and {@link #admin()}.
   */
  public static EmbeddedKafka startWithSaslPlain(Map<String, String> users) {
    return startWithSaslPlain(users, false);
  }

  /**
   * As {@link #startWithSaslPlain(Map)}; with {@code authorize}, the broker enforces ACLs
   * (KRaft's {@code StandardAuthorizer}): a SASL user may do only what ACLs grant it, while the
   * plaintext listener's anonymous principal (the test's own clients, the controller) is a super
   * user.
   */
  public static EmbeddedKafka startWithSaslPlain(Map<String, String> users, boolean authorize) {
    if (users.isEmpty()) {
      throw new IllegalArgumentException("a SASL listener needs at least one user");
    }
    return start(users, false, authorize);
  }

  /**
   * As {@link #startWithSaslPlain(Map)}, with a third listener, {@link #tlsBootstrapServers()},
   * that takes only clients presenting the client certificate of {@code tls} (mutual TLS).
   */
  public static EmbeddedKafka startWithSaslPlainAndTls(Map<String, String> users,
      TestCertificates tls) {
    return start(users, false, false, tls);
  }

  private static EmbeddedKafka start(Map<String, String> saslUsers) {
    return start(saslUsers, false, false);
  }

  private static EmbeddedKafka start(Map<String, String> saslUsers, boolean ownProcess,
      boolean authorize) {
    return start(saslUsers, ownProcess, authorize, null);
  }

  private static EmbeddedKafka start(Map<String, String> saslUsers, boolean ownProcess,
      boolean authorize, TestCertificates tls) {
    try {
      Path dir = Files.createTempDirectory("specwatch-kafka-");
      int port = FreePorts.next();
      int controllerPort = FreePorts.next();
      while (controllerPort == port) {
        controllerPort = FreePorts.next();
      }
      int saslPort = 0;
      while (!saslUsers.isEmpty()
          && (saslPort == 0 || saslPort == port || saslPort == controllerPort)) {
        saslPort = FreePorts.next();
      }
      int tlsPort = 0;
      while (tls != null && (tlsPort == 0 || tlsPort == port || tlsPort == controllerPort
          || tlsPort == saslPort)) {
        tlsPort = FreePorts.next();
      }
      Path props = dir.resolve("server.properties");
      Properties p = properties(dir.resolve("logs"), port, controllerPort, saslPort, saslUsers,
          authorize);
      addTls(p, tlsPort, tls);
      try (OutputStream out = Files.newOutputStream(props)) {
        p.store(out, "specwatch test broker");
      }
      PrintStream quiet = new PrintStream(OutputStream.nullOutputStream());
      int rc = StorageTool.execute(new String[] {"format", "--standalone", "-t",
          Uuid.randomUuid().toString(), "-c", props.toString()}, quiet);
      if (rc != 0) {
        throw new IllegalStateException("kafka storage format failed with code " + rc);
      }
      EmbeddedKafka kafka =
          new EmbeddedKafka(dir, port, controllerPort, props, saslPort, saslUsers);
      kafka.ownProcess = ownProcess;
      kafka.authorize = authorize;
      kafka.tls = tls;
      kafka.tlsPort = tlsPort;
      kafka.startServer();
      return kafka;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The mutual-TLS listener, when asked for: appended to the listeners already set. */
  private static void addTls(Properties p, int tlsPort, TestCertificates tls) {
    if (tls == null) {
      return;
    }
    String listener = "SSL://127.0.0.1:" + tlsPort;
    p.setProperty("listeners", p.getProperty("listeners") + "," + listener);
    p.setProperty("advertised.listeners", p.getProperty("advertised.listeners") + "," + listener);
    p.setProperty("listener.security.protocol.map",
        p.getProperty("listener.security.protocol.map") + ",SSL:SSL");
    String prefix = "listener.name.ssl.";
    p.setProperty(prefix + "ssl.keystore.location", tls.brokerKeystore().toString());
    p.setProperty(prefix + "ssl.keystore.type", "PKCS12");
    p.setProperty(prefix + "ssl.keystore.password", tls.password());
    p.setProperty(prefix + "ssl.key.password", tls.password());
    p.setProperty(prefix + "ssl.truststore.location", tls.brokerTruststore().toString());
    p.setProperty(prefix + "ssl.truststore.type", "PKCS12");
    p.setProperty(prefix + "ssl.truststore.password", tls.password());
    p.setProperty(prefix + "ssl.client.auth", "required");
  }

  private static Properties properties(Path logs, int port, int controllerPort, int saslPort,
      Map<String, String> saslUsers, boolean authorize) {
    Properties p = new Properties();
    p.setProperty("process.roles", "broker,controller");
    p.setProperty("node.id", "1");
    p.setProperty("controller.quorum.bootstrap.servers", "127.0.0.1:" + controllerPort);
    String sasl = saslPort == 0 ? "" : ",SASL_PLAINTEXT://127.0.0.1:" + saslPort;
    p.setProperty("listeners",
        "PLAINTEXT://127.0.0.1:" + port + ",CONTROLLER://127.0.0.1:" + controllerPort + sasl);
    p.setProperty("advertised.listeners", "PLAINTEXT://127.0.0.1:" + port + sasl);
    p.setProperty("controller.listener.names", "CONTROLLER");
    p.setProperty("inter.broker.listener.name", "PLAINTEXT");
    p.setProperty("listener.security.protocol.map", "CONTROLLER:PLAINTEXT,PLAINTEXT:PLAINTEXT"
        + (saslPort == 0 ? "" : ",SASL_PLAINTEXT:SASL_PLAINTEXT"));
    if (saslPort != 0) {
      StringBuilder jaas = new StringBuilder(
          "org.apache.kafka.common.security.plain.PlainLoginModule required");
      saslUsers.forEach((user, password) ->
          jaas.append(" user_").append(user).append("=\"").append(password).append('"'));
      p.setProperty("sasl.enabled.mechanisms", "PLAIN");
      p.setProperty("listener.name.sasl_plaintext.plain.sasl.jaas.config",
          jaas.append(';').toString());
    }
    if (authorize) {
      p.setProperty("authorizer.class.name",
          "org.apache.kafka.metadata.authorizer.StandardAuthorizer");
      p.setProperty("super.users", "User:ANONYMOUS");
    }
    p.setProperty("log.dirs", logs.toString());
    // Without these three a one-node cluster cannot host the internal topics: group consumers
    // and transactional producers hang forever.
    p.setProperty("offsets.topic.replication.factor", "1");
    p.setProperty("transaction.state.log.replication.factor", "1");
    p.setProperty("transaction.state.log.min.isr", "1");
    p.setProperty("share.coordinator.state.topic.replication.factor", "1");
    p.setProperty("share.coordinator.state.topic.min.isr", "1");
    p.setProperty("group.initial.rebalance.delay.ms", "0");
    p.setProperty("num.partitions", "1");
    p.setProperty("auto.create.topics.enable", "false");
    p.setProperty("log.flush.interval.messages", "1000000");
    return p;
  }

  private void startServer() {
    if (ownProcess) {
      startProcess();
      return;
    }
    Properties p = properties(logDir.resolve("logs"), port, controllerPort, saslPort, saslUsers,
        authorize);
    addTls(p, tlsPort, tls);
    server = new KafkaRaftServer(KafkaConfig.fromProps(p, false), Time.SYSTEM);
    server.startup();
    awaitReady(Duration.ofSeconds(60));
  }

  private void startProcess() {
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    try {
      process = new ProcessBuilder(java, "-Xmx1g", "-cp", System.getProperty("java.class.path"),
          "kafka.Kafka", propsFile.toString())
          .redirectErrorStream(true)
          .redirectOutput(ProcessBuilder.Redirect.appendTo(logDir.resolve("broker.log").toFile()))
          .start();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    Process started = process;
    // A benchmark stopped with ^C must not leave a broker behind holding its ports.
    reaper = new Thread(started::destroyForcibly, "kafka-broker-reaper");
    Runtime.getRuntime().addShutdownHook(reaper);
    try {
      awaitReady(Duration.ofSeconds(60));
    } catch (RuntimeException e) {
      process.destroyForcibly();
      throw e;
    }
  }

  private void awaitReady(Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    ExecutionException last = null;
    try (Admin admin = admin()) {
      while (System.nanoTime() < deadline) {
        try {
          if (!admin.describeCluster().nodes().get().isEmpty()) {
            return;
          }
        } catch (ExecutionException e) {
          last = e;
        }
        if (process != null && !process.isAlive()) {
          throw new IllegalStateException("the broker process exited with code "
              + process.exitValue() + "; see " + logDir.resolve("broker.log"));
        }
        Thread.onSpinWait();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while waiting for the broker", e);
    }
    throw new IllegalStateException("broker did not become ready within " + timeout, last);
  }

  /** {@code 127.0.0.1:port}, for {@code bootstrap.servers}. */
  public String bootstrapServers() {
    return "127.0.0.1:" + port;
  }

  /** {@code 127.0.0.1:port} of the SASL/PLAIN listener ({@link #startWithSaslPlain}). */
  public String saslBootstrapServers() {
    if (saslPort == 0) {
      throw new IllegalStateException("this broker was started without a SASL listener");
    }
    return "127.0.0.1:" + saslPort;
  }

  /** {@code 127.0.0.1:port} of the mutual-TLS listener ({@link #startWithSaslPlainAndTls}). */
  public String tlsBootstrapServers() {
    if (tls == null) {
      throw new IllegalStateException("this broker was started without a TLS listener");
    }
    return "127.0.0.1:" + tlsPort;
  }

  /** The properties file the broker was formatted with (also usable by a separate process). */
  public Path propertiesFile() {
    return propsFile;
  }

  public Admin admin() {
    return Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers()));
  }

  /** Creates topics (replication 1) and waits until they exist. */
  public void createTopic(String name, int partitions) {
    createTopic(name, partitions, Map.of());
  }

  public void createTopic(String name, int partitions, Map<String, String> configs) {
    try (Admin admin = admin()) {
      admin.createTopics(List.of(new NewTopic(name, partitions, (short) 1).configs(configs)))
          .all().get();
    } catch (ExecutionException e) {
      throw new IllegalStateException("creating topic " + name, e.getCause());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /** Stops the broker, keeping its data. Clients see an outage until {@link #startAgain()}. */
  public void stop() {
    if (process != null) {
      try {
        Runtime.getRuntime().removeShutdownHook(reaper);
      } catch (IllegalStateException e) {
        // the JVM is ending: the hook runs anyway
      }
      process.destroy();
      try {
        if (!process.waitFor(60, java.util.concurrent.TimeUnit.SECONDS)) {
          process.destroyForcibly().waitFor();
        }
      } catch (InterruptedException e) {
        process.destroyForcibly();
        Thread.currentThread().interrupt();
      }
      process = null;
    }
    if (server != null) {
      server.shutdown();
      server.awaitShutdown();
      server = null;
    }
  }

  /** Starts a stopped broker again on the same ports and data. */
  public void startAgain() {
    if (server == null && process == null) {
      startServer();
    }
  }

  public void restart() {
    stop();
    startAgain();
  }

  @Override
  public void close() {
    stop();
    try (Stream<Path> files = Files.walk(logDir)) {
      files.sorted(Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
    } catch (IOException e) {
      // Best effort: a temp directory left behind is not a test failure.
    }
  }
}
