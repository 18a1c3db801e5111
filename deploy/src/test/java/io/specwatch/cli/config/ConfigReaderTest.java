package io.specwatch.cli.config;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.specwatch.ingest.kafka.KafkaSourceConfig;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ConfigReaderTest {
  private static final Path FILE = Path.of("/etc/specwatch/specwatch.yaml");
  private static final String MINIMAL = "specs: [orders.sw]\nsources:\n  files:\n    - path: events.jsonl\n";

  private static DaemonConfig read(String yaml, Map<String, String> env) throws ConfigException {
    return new ConfigReader(env).read(FILE, yaml);
  }

  private static DaemonConfig read(String yaml) throws ConfigException {
    return read(yaml, Map.of());
  }

  private static List<String> errors(String yaml, Map<String, String> env) {
    ConfigException e = assertThrows(ConfigException.class, () -> read(yaml, env));
    return e.errors().stream().map(ConfigError::render).toList();
  }

  private static String onlyError(String yaml) {
    List<String> all = errors(yaml, Map.of());
    assertEquals(1, all.size(), () -> all.toString());
    return all.get(0);
  }

  @Test
  void aSpecAndAFileAreEnoughAndEverythingElseTakesItsDefault() throws Exception {
    DaemonConfig c = read(MINIMAL);
    assertEquals(List.of(Path.of("/etc/specwatch/orders.sw")), c.specs());
    assertEquals(List.of(new SourcesConfig.FileSource(Path.of("/etc/specwatch/events.jsonl"), true)),
        c.sources().files());
    assertEquals(List.of(new SinksConfig.JsonlSink(null)), c.sinks().jsonl(), "stdout by default");
    assertEquals(new DaemonConfig.Admin(true, "127.0.0.1", 9464), c.admin());
    assertEquals(new DaemonConfig.State(Path.of("/etc/specwatch/specwatch-state"), Duration.ofSeconds(10)), c.state());
    assertEquals(new DaemonConfig.Limits(1 << 20, 500, 1 << 14, 1, DaemonConfig.Limits.AUTO), c.limits(),
        "a finite live-instance cap derived from the heap unless told otherwise");
    assertTrue(c.reload().watch());
    assertEquals(Duration.ofSeconds(30), c.shutdownTimeout());
  }

  @Test
  void theLiveInstanceCapIsAutoANumberOrZeroForNone() throws Exception {
    assertEquals(DaemonConfig.Limits.AUTO, read(MINIMAL + "limits: {max_live_instances: auto}\n").limits().maxLiveInstances());
    assertEquals(0, read(MINIMAL + "limits: {max_live_instances: 0}\n").limits().maxLiveInstances());
    assertEquals(250_000, read(MINIMAL + "limits: {max_live_instances: 250000}\n").limits().maxLiveInstances());
    assertEquals("/etc/specwatch/specwatch.yaml:5:30: limits.max_live_instances: `lots` is not a cap: allowed "
        + "`auto` (from the heap), 0 (no cap) or a whole number of instances per spec",
        onlyError(MINIMAL + "limits: {max_live_instances: lots}\n"));
    assertTrue(onlyError(MINIMAL + "limits: {max_live_instances: -5}\n").contains("`-5` is not a cap"));
  }

  @Test
  void theDedupeIdCapIsAutoANumberOrZeroForNone() throws Exception {
    assertEquals(DaemonConfig.Limits.AUTO, read(MINIMAL).limits().maxDedupeIds(), "auto by default");
    assertEquals(0, read(MINIMAL + "limits: {max_dedupe_ids: 0}\n").limits().maxDedupeIds());
    assertEquals(20_000_000, read(MINIMAL + "limits: {max_dedupe_ids: 20000000}\n").limits().maxDedupeIds());
    assertEquals("/etc/specwatch/specwatch.yaml:5:26: limits.max_dedupe_ids: `many` is not a cap: allowed "
        + "`auto` (from the heap), 0 (no cap) or a whole number of event ids per spec",
        onlyError(MINIMAL + "limits: {max_dedupe_ids: many}\n"));
  }

  @Test
  void everyKeyIsReadIntoItsTypedRecord() throws Exception {
    String yaml = """
        specs: [a.sw, /abs/b.sw]
        sources:
          files: [{path: x.jsonl, follow: false}]
          stdin: true
          kafka: {bootstrap_servers: "127.0.0.1:9092", topics: [audit, more], group_id: g}
          otlp: {http_port: 14318, grpc_port: 0}
          http: {host: 0.0.0.0, port: 8081}
        sinks:
          jsonl: [{path: out.jsonl}, {path: "-"}]
          alertmanager: {urls: ["http://127.0.0.1:9093"], resend_interval: 30s, timeout: 500ms}
          webhook: [{url: "https://hooks.example/v1", hmac_secret: s3cret}]
          kafka: {bootstrap_servers: "127.0.0.1:9092", topic: violations}
        admin: {host: 127.0.0.1, port: 0}
        state: {directory: /var/lib/specwatch, interval: 2s}
        limits: {max_document_bytes: 64KiB, max_nesting_depth: 100, ring_size: 1024, evaluators: 2, max_live_instances: 1000000, max_dedupe_ids: 3000000}
        reload: {watch: false}
        shutdown_timeout: 1m
        """;
    DaemonConfig c = read(yaml);
    assertEquals(List.of(Path.of("/etc/specwatch/a.sw"), Path.of("/abs/b.sw")), c.specs());
    assertFalse(c.sources().files().get(0).follow());
    assertTrue(c.sources().stdin());
    assertEquals(SourcesConfig.KafkaSource.of("127.0.0.1:9092", List.of("audit", "more"), "g"), c.sources().kafka());
    assertEquals(new SourcesConfig.OtlpSource("127.0.0.1", 14318, 0, ReceiverSettings.defaults()), c.sources().otlp());
    assertEquals(new SourcesConfig.HttpSource("0.0.0.0", 8081, ReceiverSettings.defaults()), c.sources().http());
    assertEquals(List.of(new SinksConfig.JsonlSink(Path.of("/etc/specwatch/out.jsonl")), new SinksConfig.JsonlSink(null)),
        c.sinks().jsonl());
    assertEquals(new SinksConfig.AlertmanagerSink(List.of(URI.create("http://127.0.0.1:9093")),
        Duration.ofSeconds(30), Duration.ofMillis(500)), c.sinks().alertmanager());
    assertEquals("s3cret", c.sinks().webhooks().get(0).hmacSecret());
    assertFalse(c.sinks().webhooks().get(0).toString().contains("s3cret"), "secrets stay out of logs");
    assertEquals(new SinksConfig.KafkaSink("127.0.0.1:9092", "violations"), c.sinks().kafka());
    assertEquals(new DaemonConfig.Admin(true, "127.0.0.1", 0), c.admin());
    assertEquals(new DaemonConfig.State(Path.of("/var/lib/specwatch"), Duration.ofSeconds(2)), c.state());
    assertEquals(new DaemonConfig.Limits(65536, 100, 1024, 2, 1_000_000, 3_000_000), c.limits());
    assertFalse(c.reload().watch());
    assertEquals(Duration.ofMinutes(1), c.shutdownTimeout());
  }

  @Test
  void theReceiversRequestSettingsAreReadWithTheTokenFromTheEnvironment() throws Exception {
    String yaml = MINIMAL + """
          otlp:
            token: ${OTLP_TOKEN}
            max_request_bytes: 1MiB
            max_decompressed_bytes: 8MiB
            threads: 2
            retry_after: 3s
            commit_timeout: 500ms
          http: {max_request_bytes: 8MiB, commit_timeout: 0s}
        """;
    DaemonConfig c = read(yaml, Map.of("OTLP_TOKEN", "t0ken"));
    ReceiverSettings otlp = c.sources().otlp().receiver();
    assertEquals(new ReceiverSettings("t0ken", 1 << 20, 8 << 20, 2, Duration.ofSeconds(3), Duration.ofMillis(500)), otlp);
    assertFalse(otlp.toString().contains("t0ken"), "the token stays out of logs: " + otlp);
    // Unset, the inflated limit follows a raised request limit (4x), so one key is enough.
    assertEquals(new ReceiverSettings(null, 8 << 20, 32 << 20, 4, Duration.ofSeconds(1), Duration.ZERO),
        c.sources().http().receiver());
  }

  @Test
  void badReceiverSettingsAreNamedWithWhatIsAllowed() {
    String unset = onlyError(MINIMAL + "  otlp: {token: \"${NO_SUCH_TOKEN}\"}\n");
    assertTrue(unset.contains("sources.otlp.token: "), "an unset secret is an error, never an empty token: " + unset);
    assertTrue(onlyError(MINIMAL + "  otlp: {token: \"  \"}\n").endsWith("sources.otlp.token: must not be empty"));
    assertTrue(onlyError(MINIMAL + "  http: {max_request_bytes: 2GiB}\n")
        .contains("sources.http.max_request_bytes: `2GiB` is out of range"));
    assertTrue(onlyError(MINIMAL + "  otlp: {max_request_bytes: 8MiB, max_decompressed_bytes: 1MiB}\n")
        .endsWith("sources.otlp.max_decompressed_bytes: `1048576` is below max_request_bytes (8388608): "
            + "a body that fits as sent would not fit inflated"));
    assertTrue(onlyError(MINIMAL + "  otlp: {threads: 0}\n")
        .endsWith("sources.otlp.threads: `0` is out of range: allowed 1 to 256"));
    assertTrue(onlyError(MINIMAL + "  otlp: {retry_after: 100ms}\n")
        .endsWith("sources.otlp.retry_after: `100ms` is too short: allowed at least 1000ms"));
    assertTrue(onlyError(MINIMAL + "  http: {tokn: x}\n").contains("sources.http.tokn: unknown key (did you mean `token`?)"));
  }

  @Test
  void alertSettingsAreReadWithTheirDefaults() throws Exception {
    assertEquals(io.specwatch.alert.AlertSettings.defaults(), read(MINIMAL).alerts());
    io.specwatch.alert.AlertSettings a = read(MINIMAL + "alerts:\n"
        + "  severity: info\n"
        + "  severities: {orders/paid_once: critical, late_shipment: page}\n"
        + "  resolve_after: 5m\n"
        + "  invariant_quiet_period: 2h\n"
        + "  group_after: 50\n"
        + "  example_keys: 3\n"
        + "  update_interval: 10s\n"
        + "  generator_url: http://specwatch.example:9464/metrics\n"
        + "  trace_url: https://tempo.example/trace/{trace_id}\n"
        + "  events_hint: audit.jsonl\n").alerts();
    assertEquals("info", a.defaultSeverity());
    assertEquals("critical", a.severityOf("orders", "paid_once"));
    assertEquals("info", a.severityOf("other", "paid_once"), "spec/rule keys name one spec");
    assertEquals("page", a.severityOf("any", "late_shipment"));
    assertEquals(Duration.ofMinutes(5), a.resolveAfter());
    assertEquals(Duration.ofHours(2), a.invariantQuietPeriod());
    assertEquals(50, a.groupThreshold());
    assertEquals(3, a.exampleKeys());
    assertEquals(Duration.ofSeconds(10), a.updateInterval());
    assertEquals("http://specwatch.example:9464/metrics", a.generatorUrl());
    assertEquals("https://tempo.example/trace/{trace_id}", a.traceUrlTemplate());
    assertEquals("audit.jsonl", a.eventsHint());
  }

  @Test
  void badAlertSettingsAreNamedWithWhatIsAllowed() {
    assertTrue(onlyError(MINIMAL + "alerts: {trace_url: https://tempo.example/trace}\n")
        .endsWith("alerts.trace_url: `https://tempo.example/trace` has no `{trace_id}` to fill in"
            + " (e.g. https://tempo.example/trace/{trace_id})"));
    assertTrue(onlyError(MINIMAL + "alerts: {group_after: 0}\n")
        .endsWith("alerts.group_after: `0` is out of range: allowed 1 to 1000000"));
    assertTrue(onlyError(MINIMAL + "alerts: {resolve_after: soon}\n")
        .contains("alerts.resolve_after: `soon` is not a duration"));
    assertTrue(onlyError(MINIMAL + "alerts: {severities: [critical]}\n")
        .endsWith("alerts.severities: expected a map of names to values, found a list"));
    assertTrue(onlyError(MINIMAL + "alerts: {severites: {}}\n")
        .contains("alerts.severites: unknown key (did you mean `severities`?)"));
  }

  @Test
  void anUnknownKeyIsAnErrorWithItsPathAndASuggestion() {
    String e = onlyError(MINIMAL + "  fils: []\n");
    assertEquals("/etc/specwatch/specwatch.yaml:5:3: sources.fils: unknown key (did you mean `files`?); "
        + "allowed here: files, stdin, kafka, otlp, http", e);
  }

  @Test
  void anUnknownKeyFarFromAnyKnownOneGetsNoSuggestion() {
    String e = onlyError(MINIMAL + "colour: blue\n");
    assertTrue(e.contains(": colour: unknown key; allowed here: specs, sources"), e);
  }

  @Test
  void aBadValueNamesTheKeyTheValueAndWhatIsAllowed() {
    assertEquals("/etc/specwatch/specwatch.yaml:5:19: state.interval: `10 seconds` is not a duration: "
        + "allowed a whole number with a unit, ms, s, m, h or d (e.g. 10s)",
        onlyError(MINIMAL + "state: {interval: 10 seconds}\n"));
    assertTrue(onlyError(MINIMAL + "admin: {port: 70000}\n")
        .endsWith("admin.port: `70000` is out of range: allowed 0 to 65535"));
    assertTrue(onlyError(MINIMAL + "admin: {port: http}\n")
        .endsWith("admin.port: `http` is not a whole number: allowed 0 to 65535"));
    assertTrue(onlyError(MINIMAL + "reload: {watch: yes please}\n")
        .endsWith("reload.watch: `yes please` is not a boolean: allowed true or false"));
    assertTrue(onlyError(MINIMAL + "limits: {ring_size: 1000}\n")
        .endsWith("limits.ring_size: `1000` is not a power of two: allowed 2, 4, ... 16777216"));
    assertTrue(onlyError(MINIMAL + "limits: {max_document_bytes: 1TB}\n")
        .contains("limits.max_document_bytes: `1TB` is not a size"));
    assertTrue(onlyError(MINIMAL + "sinks: {alertmanager: {urls: [ftp://x]}}\n")
        .endsWith("sinks.alertmanager.urls: `ftp://x` is not an http or https URL with a host (e.g. http://127.0.0.1:9093)"));
    assertTrue(onlyError(MINIMAL + "admin: [1, 2]\n")
        .endsWith("admin: expected a map of settings, found a list"));
  }

  @Test
  void kafkaIdlePartitionTimeoutAndRepartitionAreReadAndValidated() throws Exception {
    String kafka = "specs: [a.sw]\nsources: {kafka: {bootstrap_servers: b, topics: [t], ";
    SourcesConfig.KafkaSource k = read(kafka
        + "idle_partition_timeout: 5s, repartition: true, repartition_partitions: 8}}\n").sources().kafka();
    assertEquals(Duration.ofSeconds(5), k.idlePartitionTimeout());
    assertTrue(k.repartition());
    assertEquals(8, k.repartitionPartitions());
    assertEquals(SourcesConfig.KafkaSource.of("b", List.of("t"), "specwatch"),
        read(kafka + "}}\n").sources().kafka(), "off by default");
    assertTrue(onlyError(kafka + "idle_partition_timeout: soon}}\n")
        .contains("sources.kafka.idle_partition_timeout"));
    assertTrue(onlyError(kafka + "repartition_partitions: 0}}\n")
        .contains("sources.kafka.repartition_partitions"));
    assertTrue(onlyError(kafka + "repartition: maybe}}\n").contains("sources.kafka.repartition"));
  }

  @Test
  void everyKafkaSourceSettingIsReadWithSecretsFromTheEnvironmentAndNeverPrinted() throws Exception {
    String yaml = """
        specs: [a.sw]
        sources:
          kafka:
            bootstrap_servers: broker-1:9093,broker-2:9093
            topic_pattern: 'audit\\..*'
            group_id: payments-monitor
            start_position: earliest
            group_protocol: consumer
            commit_interval: 30ms
            checkpoint_interval: 1m
            changelog_topic: pm-changelog
            changelog_partitions: 12
            replication_factor: 3
            transactional_id: ${POD_NAME}
            apply_threads: 2
            properties:
              security.protocol: SASL_SSL
              sasl.mechanism: SCRAM-SHA-512
              sasl.jaas.config: 'org.apache.kafka.common.security.scram.ScramLoginModule required username="monitor" password="${KAFKA_PASSWORD}";'
              session.timeout.ms: 45000
        sinks:
          kafka:
            bootstrap_servers: other:9093
            topic: violations
            properties: {security.protocol: SSL, ssl.keystore.password: "${KEYSTORE_PASSWORD}"}
        """;
    DaemonConfig c = read(yaml, Map.of("POD_NAME", "monitor-0", "KAFKA_PASSWORD", "hunter2",
        "KEYSTORE_PASSWORD", "k3y"));
    SourcesConfig.KafkaSource k = c.sources().kafka();
    assertEquals("broker-1:9093,broker-2:9093", k.bootstrapServers());
    assertEquals(List.of(), k.topics());
    assertEquals("audit\\..*", k.topicPattern());
    assertEquals("payments-monitor", k.groupId());
    assertEquals(KafkaSourceConfig.StartPosition.EARLIEST, k.startPosition());
    assertEquals(KafkaSourceConfig.GroupProtocol.CONSUMER, k.groupProtocol());
    assertEquals(Duration.ofMillis(30), k.commitInterval());
    assertEquals(Duration.ofMinutes(1), k.checkpointInterval());
    assertEquals("pm-changelog", k.changelogTopic());
    assertEquals(12, k.changelogPartitions());
    assertEquals(3, k.replicationFactor());
    assertEquals("monitor-0", k.transactionalId());
    assertEquals(2, k.applyThreads());
    assertEquals(List.of("security.protocol", "sasl.mechanism", "sasl.jaas.config", "session.timeout.ms"),
        List.copyOf(k.properties().keySet()), "in the order written");
    assertEquals("org.apache.kafka.common.security.scram.ScramLoginModule required username=\"monitor\" "
        + "password=\"hunter2\";", k.properties().get("sasl.jaas.config"));
    assertEquals("45000", k.properties().get("session.timeout.ms"));
    assertEquals(Map.of("security.protocol", "SSL", "ssl.keystore.password", "k3y"),
        c.sinks().kafka().properties());
    assertFalse(k.toString().contains("hunter2"), k::toString);
    assertFalse(c.sinks().kafka().toString().contains("k3y"), () -> c.sinks().kafka().toString());
    assertTrue(k.toString().contains("sasl.jaas.config"), "the keys are shown");
  }

  @Test
  void kafkaSourceDefaultsAreTheKafkaSourcesOwn() throws Exception {
    SourcesConfig.KafkaSource k = read("specs: [a.sw]\nsources: {kafka: {bootstrap_servers: b, topics: [t]}}\n")
        .sources().kafka();
    KafkaSourceConfig own = KafkaSourceConfig.of("b", "specwatch", List.of("t"), "v");
    assertEquals(own.startPosition(), k.startPosition());
    assertEquals(own.groupProtocol(), k.groupProtocol());
    assertEquals(own.commitInterval(), k.commitInterval());
    assertEquals(own.checkpointInterval(), k.checkpointInterval());
    assertEquals(own.changelogPartitions(), k.changelogPartitions());
    assertEquals(own.replicationFactor(), k.replicationFactor());
    assertEquals(own.applyThreads(), k.applyThreads());
    assertEquals(Map.of(), k.properties());
    assertNull(k.changelogTopic(), "the source names it after the group");
    assertNull(k.transactionalId(), "the daemon keeps its own in the state directory");
  }

  @Test
  void badKafkaSourceSettingsAreNamedWithoutEchoingPropertyValues() {
    String kafka = "specs: [a.sw]\nsources: {kafka: {bootstrap_servers: b, ";
    assertTrue(onlyError(kafka + "topics: [t], topic_pattern: x}}\n")
        .endsWith("sources.kafka.topics: give topics or topic_pattern, not both"));
    assertTrue(onlyError(kafka + "group_id: g}}\n").endsWith("sources.kafka.topics: missing: at least one "
        + "topic to consume (topics), or a regular expression (topic_pattern)"));
    assertTrue(onlyError(kafka + "topic_pattern: \"audit[\"}}\n")
        .contains("sources.kafka.topic_pattern: `audit[` is not a regular expression: "));
    assertTrue(onlyError(kafka + "topics: [t], start_position: newest}}\n")
        .endsWith("sources.kafka.start_position: `newest` is not allowed here: allowed earliest, latest, "
            + "committed"));
    assertTrue(onlyError(kafka + "topics: [t], group_protocol: eager}}\n")
        .endsWith("allowed classic, consumer"));
    assertTrue(onlyError(kafka + "topics: [t], commit_interval: 10s}}\n")
        .endsWith("sources.kafka.commit_interval: `10s` is too long: allowed at most 5000ms"));
    assertTrue(onlyError(kafka + "topics: [t], checkpoint_interval: 10ms}}\n")
        .endsWith("sources.kafka.checkpoint_interval: `10ms` is too short: allowed at least 100ms"));
    assertTrue(onlyError(kafka + "topics: [t], replication_factor: 40000}}\n")
        .contains("sources.kafka.replication_factor"));
    assertTrue(onlyError(kafka + "topics: [t], apply_threads: -1}}\n").contains("sources.kafka.apply_threads"));
    assertTrue(onlyError(kafka + "topics: [t], properties: [a, b]}}\n")
        .endsWith("sources.kafka.properties: expected a map of names to values, found a list"));
    List<String> own = errors(kafka + "topics: [t], properties: {group.id: other-group, "
        + "isolation.level: read_uncommitted, bootstrap.servers: secret-host:1, sasl.mechanism: PLAIN}}}\n",
        Map.of());
    assertEquals(3, own.size(), own::toString);
    assertTrue(own.get(0).endsWith("sources.kafka.properties.group.id: not settable here: set group_id instead"),
        own::toString);
    assertTrue(own.get(1).contains("sources.kafka.properties.isolation.level: not settable here: "
        + "specwatch reads read_committed"), own::toString);
    assertTrue(own.get(2).endsWith("set bootstrap_servers instead"), own::toString);
    assertFalse(own.toString().contains("other-group") || own.toString().contains("secret-host"),
        () -> "values are not echoed: " + own);
    assertTrue(onlyError("specs: [a.sw]\nsources: {files: [{path: e}]}\nsinks: {kafka: {bootstrap_servers: b, "
        + "topic: v, properties: {value.serializer: x}}}\n")
        .endsWith("sinks.kafka.properties.value.serializer: not settable here: the sink writes the bytes itself"));
    assertTrue(onlyError(kafka + "topics: [t], properties: {transaction.timeout.ms: 60000}}}\n")
        .contains("sources.kafka.properties.transaction.timeout.ms: not settable here"));
    assertTrue(onlyError("specs: [a.sw]\nsources: {files: [{path: e}]}\nsinks: {kafka: {bootstrap_servers: b, "
        + "topic: v, properties: {acks: '1'}}}\n").contains("sinks.kafka.properties.acks: not settable here"));
  }

  @Test
  void kafkaClientPropertiesAreCheckedAsTheClientsWouldWithTyposCaught() throws Exception {
    String kafka = "specs: [a.sw]\nsources: {kafka: {bootstrap_servers: b, topics: [t], properties: {";
    assertTrue(onlyError(kafka + "security.protocl: SASL_SSL}}}\n").endsWith(
        "sources.kafka.properties.security.protocl: not a Kafka client setting (did you mean "
            + "`security.protocol`?)"));
    String protocol = onlyError(kafka + "security.protocol: SASL_TLS}}}\n");
    assertTrue(protocol.contains("sources.kafka.properties.security.protocol: refused by the Kafka "
        + "client: Invalid value SASL_TLS"), protocol);
    assertTrue(onlyError(kafka + "session.timeout.ms: soon}}}\n")
        .contains("sources.kafka.properties.session.timeout.ms: refused by the Kafka client"));
    // A key no client defines and no typo of one: a plugin's setting, passed on.
    assertEquals("x", read(kafka + "my.interceptor.region: x, fetch.max.wait.ms: 50}}}\n")
        .sources().kafka().properties().get("my.interceptor.region"));
    assertTrue(onlyError("specs: [a.sw]\nsources: {files: [{path: e}]}\nsinks: {kafka: {bootstrap_servers: b, "
        + "topic: v, properties: {linger.ms: '-1'}}}\n")
        .contains("sinks.kafka.properties.linger.ms: refused by the Kafka client"));
    // Two bad values: both reported in one run.
    assertEquals(2, errors(kafka + "session.timeout.ms: soon, fetch.max.wait.ms: later}}}\n", Map.of()).size());
    // What the producer checks across keys when built, for idempotent producers.
    assertTrue(onlyError(kafka + "max.in.flight.requests.per.connection: 6}}}\n")
        .endsWith("max.in.flight.requests.per.connection: at most 5: specwatch's producers are idempotent"));
    assertTrue(onlyError(kafka + "retries: 0}}}\n").endsWith("retries: must be above 0: specwatch's "
        + "producers are idempotent"));
    assertTrue(onlyError(kafka + "acks: '1'}}}\n").contains("sources.kafka.properties.acks: not settable here"));
    // With config providers, a reference is the clients' to resolve, not a value to check.
    assertEquals("$${file:/etc/kafka/secrets.properties:timeout}".substring(1), read(kafka
        + "config.providers: file, config.providers.file.class: "
        + "org.apache.kafka.common.config.provider.FileConfigProvider, "
        + "session.timeout.ms: '$${file:/etc/kafka/secrets.properties:timeout}'}}}\n")
        .sources().kafka().properties().get("session.timeout.ms"));
    // A plugin class the clients would load (MSK IAM's goes here): on specwatch's class path.
    assertTrue(onlyError(kafka + "sasl.client.callback.handler.class: com.example.NotHere}}}\n")
        .contains("sasl.client.callback.handler.class: refused by the Kafka client: Invalid value "
            + "com.example.NotHere for configuration sasl.client.callback.handler.class: Class "
            + "com.example.NotHere could not be found"));
    // An empty value, quoted, is a value (hostname verification off).
    assertEquals("", read(kafka + "ssl.endpoint.identification.algorithm: ''}}}\n")
        .sources().kafka().properties().get("ssl.endpoint.identification.algorithm"));
  }

  @Test
  void aKafkaSinkWithoutATopicNextToAKafkaSourceIsAnErrorNotACrash() {
    List<String> all = errors("specs: [a.sw]\nsources: {kafka: {bootstrap_servers: b, topic_pattern: 'a.*'}}\n"
        + "sinks: {kafka: {bootstrap_servers: b}}\n", Map.of());
    assertEquals(1, all.size(), all::toString);
    assertTrue(all.get(0).contains("sinks.kafka.topic: missing"), all::toString);
  }

  @Test
  void theKafkaSourceMayNotReadTheTopicsItWrites() {
    String kafka = "specs: [a.sw]\nsources: {kafka: {bootstrap_servers: b, group_id: audit-monitor, ";
    assertTrue(onlyError(kafka + "topic_pattern: 'audit.*'}}\n").contains("sources.kafka.topic_pattern: "
        + "includes `audit-monitor.violations`, `audit-monitor-specwatch-changelog`, written by specwatch"));
    List<String> both = errors(kafka + "topic_pattern: 'audit.*', changelog_topic: cl}}\n", Map.of());
    assertEquals(1, both.size(), both::toString);
    assertTrue(onlyError(kafka + "topics: [in, audit-monitor-specwatch-changelog]}}\n")
        .contains("sources.kafka.topics: includes `audit-monitor-specwatch-changelog`"));
    assertTrue(onlyError(kafka + "topic_pattern: '.*-repartition', repartition: true}}\n")
        .contains("includes `audit-monitor-repartition`"));
    assertTrue(onlyError(kafka + "topic_pattern: 'audit-in.*'}}\nsinks: {kafka: {bootstrap_servers: b, "
        + "topic: audit-in-violations}}\n").contains("includes `audit-in-violations`"),
        "the violations topic is the sink's when there is one");
    assertEquals("audit-monitor", assertDoesNotThrow(() -> read(kafka + "topic_pattern: 'audit\\.(in|more)'}}\n"))
        .sources().kafka().groupId());
  }

  @Test
  void missingRequiredSettingsAreNamed() {
    List<String> all = errors("admin: {port: 1}\n", Map.of());
    assertEquals(2, all.size(), all::toString);
    assertTrue(all.get(0).contains("specs: missing: at least one spec file"), all::toString);
    assertTrue(all.get(1).contains("sources: missing: at least one source"), all::toString);
    assertTrue(onlyError("specs: [a.sw]\nsources: {kafka: {bootstrap_servers: b}}\n")
        .contains("sources.kafka.topics: missing: at least one topic to consume"));
    assertTrue(onlyError("specs: [a.sw]\nsources: {files: [{follow: true}]}\n")
        .endsWith("sources.files[0].path: missing: the JSONL file to read"));
  }

  @Test
  void everyErrorIsReportedInOneRunInFileOrder() {
    List<String> all = errors(MINIMAL + "admin: {port: -1, hots: x}\nstate: {interval: soon}\n", Map.of());
    assertEquals(3, all.size(), all::toString);
    assertTrue(all.get(0).contains("admin.port"), all::toString);
    assertTrue(all.get(1).contains("admin.hots: unknown key (did you mean `host`?)"), all::toString);
    assertTrue(all.get(2).contains("state.interval"), all::toString);
  }

  @Test
  void environmentVariablesAreSubstitutedWithOptionalDefaults() throws Exception {
    String yaml = "specs: [\"${SPEC_DIR}/orders.sw\"]\nsources: {files: [{path: events.jsonl}]}\n"
        + "admin: {port: \"${ADMIN_PORT:-9999}\", host: \"${ADMIN_HOST:-127.0.0.1}\"}\n"
        + "sinks: {webhook: {url: \"https://h.example\", hmac_secret: \"${SECRET}\"}}\n";
    DaemonConfig c = read(yaml, Map.of("SPEC_DIR", "/specs", "SECRET", "abc", "ADMIN_HOST", "127.0.0.2"));
    assertEquals(Path.of("/specs/orders.sw"), c.specs().get(0));
    assertEquals(9999, c.admin().port());
    assertEquals("127.0.0.2", c.admin().host());
    assertEquals("abc", c.sinks().webhooks().get(0).hmacSecret());
  }

  @Test
  void anUnsetVariableWithoutADefaultIsAnErrorNotAnEmptyString() {
    List<String> all = errors(MINIMAL + "sinks: {webhook: {url: \"https://h.example\", hmac_secret: \"${SECRET}\"}}\n", Map.of());
    assertEquals(List.of("/etc/specwatch/specwatch.yaml:5:58: sinks.webhook.hmac_secret: environment variable "
        + "SECRET is not set (write ${SECRET:-default} to give a default)"), all);
  }

  @Test
  void aDollarDollarBraceIsALiteral() throws Exception {
    assertEquals("pa${ss}", read(MINIMAL + "sinks: {webhook: {url: \"https://h\", hmac_secret: \"pa$${ss}\"}}\n")
        .sinks().webhooks().get(0).hmacSecret());
  }

  @Test
  void invalidYamlIsReportedWithItsLineAndColumn() {
    String e = onlyError("specs: [a.sw\nsources: {files: [{path: e}]}\n");
    assertTrue(e.startsWith("/etc/specwatch/specwatch.yaml:"), e);
    assertTrue(e.contains("not valid YAML"), e);
  }

  @Test
  void aDuplicateKeyIsAnError() {
    String e = onlyError(MINIMAL + "admin: {port: 1}\nadmin: {port: 2}\n");
    assertTrue(e.contains(":6:1: admin: duplicate key (first at line 5)"), e);
  }

  @Test
  void aDocumentThatIsNotAMapIsAnError() {
    assertTrue(onlyError("- a\n- b\n").endsWith("expected a map of settings (specs, sources, sinks, ...), found a list"));
  }

  @Test
  void stdoutIsWrittenAsADash() throws Exception {
    assertNull(read(MINIMAL + "sinks: {jsonl: {path: \"-\"}}\n").sinks().jsonl().get(0).path());
  }
}
