package io.specwatch.cli.run;

import static io.specwatch.cli.run.DaemonProcesses.countLines;
import static io.specwatch.cli.run.DaemonProcesses.withoutPositions;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.logs.Logger;
import io.opentelemetry.exporter.otlp.http.logs.OtlpHttpLogRecordExporter;
import io.opentelemetry.sdk.common.CompletableResultCode;
import io.opentelemetry.sdk.logs.SdkLoggerProvider;
import io.opentelemetry.sdk.logs.export.BatchLogRecordProcessor;
import io.opentelemetry.sdk.resources.Resource;
import io.specwatch.cli.Main;
import io.specwatch.testkit.AlertmanagerProcess;
import io.specwatch.testkit.EmbeddedKafka;
import io.specwatch.testkit.FreePorts;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The end-to-end test: {@code specwatch run} in its own JVM with a Kafka source (a real
 * KRaft broker) and an OTLP source (the real OpenTelemetry SDK exporting over HTTP), violations
 * to a JSONL file and to a real Alertmanager (the Debian binary). The daemon is stopped with
 * SIGTERM while Kafka records are still being produced, more are produced while it is down, and
 * it is started again. Then the JSONL file and the Kafka violations topic (read committed) must
 * each hold exactly what {@code specwatch check} raises over each source's events (nothing lost,
 * nothing repeated), and Alertmanager must hold one alert per violated (rule, key), and no other.
 */
class DaemonEndToEndTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static EmbeddedKafka kafka;
  private static AlertmanagerProcess alertmanager;

  @TempDir
  static Path shared;

  @TempDir
  Path dir;

  private final List<Process> daemons = new ArrayList<>();
  private int adminPort;
  private int otlpPort;

  @BeforeAll
  static void startKafkaAndAlertmanager() throws Exception {
    kafka = EmbeddedKafka.start();
    kafka.createTopic("audit", 1);
    kafka.createTopic("violations", 1);
    alertmanager = new AlertmanagerProcess(Files.createDirectories(shared.resolve("am")));
    alertmanager.start();
  }

  @AfterAll
  static void stopKafkaAndAlertmanager() throws Exception {
    if (alertmanager != null) {
      alertmanager.close();
    }
    if (kafka != null) {
      kafka.close();
    }
  }

  @AfterEach
  void killLeftovers() {
    for (Process p : daemons) {
      p.destroyForcibly();
    }
  }

  @Test
  void kafkaAndOtlpToAlertmanagerAndJsonlSurviveASigtermAndARestart() throws Exception {
    Files.writeString(dir.resolve("shop.sw"), ShopScenario.SPEC);
    adminPort = FreePorts.next();
    otlpPort = FreePorts.next();
    Files.writeString(dir.resolve("specwatch.yaml"), "specs: [shop.sw]\n"
        + "sources:\n"
        + "  kafka: {bootstrap_servers: \"" + kafka.bootstrapServers() + "\", topics: [audit], group_id: e2e}\n"
        + "  otlp: {http_port: " + otlpPort + ", grpc_port: 0}\n"
        + "sinks:\n"
        + "  jsonl: [{path: violations.jsonl}]\n"
        + "  alertmanager: {urls: [\"" + alertmanager.url() + "\"], resend_interval: 5s}\n"
        + "  kafka: {bootstrap_servers: \"" + kafka.bootstrapServers() + "\", topic: violations}\n"
        + "admin: {port: " + adminPort + "}\n"
        + "state: {directory: state, interval: 200ms}\n"
        + "reload: {watch: false}\n"
        + "shutdown_timeout: 40s\n");

    List<ShopScenario.Record> kafkaEvents = ShopScenario.orders("k", 0, 18);
    List<ShopScenario.Record> otlpEvents = ShopScenario.orders("t", 0, 12);
    int third = kafkaEvents.size() / 3;
    int half = otlpEvents.size() / 2;

    try (KafkaProducer<String, String> producer = producer()) {
      produce(producer, kafkaEvents.subList(0, third));
      Process first = start("run1");
      awaitReady(first);
      assertTrue(sendOtlp(otlpEvents.subList(0, half)), "the OTLP export succeeded");
      await(() -> countLines(dir.resolve("violations.jsonl")) > 0, first, "the first violations");
      // SIGTERM while records are still arriving.
      produce(producer, kafkaEvents.subList(third, 2 * third));
      assertEquals(0, stop(first), () -> output("run1"));
      assertTrue(output("run1").contains("Kafka consumer group e2e"), () -> output("run1"));
      assertTrue(output("run1").contains("checkpoint written"), () -> output("run1"));
      produce(producer, kafkaEvents.subList(2 * third, kafkaEvents.size()));

      Process second = start("run2");
      awaitReady(second);
      assertTrue(output("run2").contains("resuming from the checkpoint"), () -> output("run2"));
      assertTrue(sendOtlp(otlpEvents.subList(half, otlpEvents.size())), "the OTLP export succeeded");
      List<String> expected = new ArrayList<>();
      expected.addAll(check(kafkaEvents, "kafka"));
      expected.addAll(check(otlpEvents, "otlp"));
      Collections.sort(expected);
      await(() -> countLines(dir.resolve("violations.jsonl")) >= expected.size(), second,
          expected.size() + " violations in the JSONL sink");
      Set<String> expectedAlerts = new TreeSet<>();
      for (String v : expected) {
        JsonNode n = JSON.readTree(v);
        expectedAlerts.add(n.path("rule").asText() + "/" + n.path("key").asText());
      }
      await(() -> alerts().containsAll(expectedAlerts), second, "every alert in Alertmanager");
      assertEquals(0, stop(second), () -> output("run2"));

      assertEquals(expected, withoutPositions(Files.readAllLines(dir.resolve("violations.jsonl"))),
          "exactly what check raises over each source: nothing lost, nothing repeated");
      assertEquals(expectedAlerts, alerts(), "one alert per violated rule and key, and no other");
      assertEquals(expected, withoutPositions(violationsTopic(expected.size())),
          "the violations topic, read committed: the Kafka source's in its transactions, the "
              + "OTLP source's through the Kafka sink");
    }
  }

  /** The committed records of the violations topic, read until {@code atLeast} or 30 s. */
  private List<String> violationsTopic(int atLeast) {
    Properties p = new Properties();
    p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
    p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    p.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
    p.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
    List<String> values = new ArrayList<>();
    try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(p)) {
      TopicPartition tp = new TopicPartition("violations", 0);
      consumer.assign(List.of(tp));
      consumer.seekToBeginning(List.of(tp));
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
      while (values.size() < atLeast && System.nanoTime() < deadline) {
        for (ConsumerRecord<String, String> r : consumer.poll(Duration.ofMillis(200))) {
          values.add(r.value());
        }
      }
      // One more poll: anything beyond the expected count would be a repeat.
      for (ConsumerRecord<String, String> r : consumer.poll(Duration.ofMillis(500))) {
        values.add(r.value());
      }
    }
    return values;
  }

  // ---- the expected verdict

  /** What {@code specwatch check} raises over the events as JSON lines, positions removed. */
  private List<String> check(List<ShopScenario.Record> events, String name) throws IOException {
    Path log = dir.resolve(name + ".jsonl");
    StringBuilder sb = new StringBuilder();
    for (ShopScenario.Record r : events) {
      sb.append(r.json()).append('\n');
    }
    Files.writeString(log, sb);
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    Main.run(new String[] {"check", dir.resolve("shop.sw").toString(), "--events", log.toString()},
        new ByteArrayInputStream(new byte[0]), new PrintStream(out, true, StandardCharsets.UTF_8),
        new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8));
    List<String> lines = withoutPositions(List.of(out.toString(StandardCharsets.UTF_8).split("\n")));
    assertTrue(lines.size() >= 8, "the scenario raises violations: " + lines);
    return lines;
  }

  // ---- the sources

  private KafkaProducer<String, String> producer() {
    Properties p = new Properties();
    p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
    p.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
    p.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
    p.put(ProducerConfig.ACKS_CONFIG, "all");
    return new KafkaProducer<>(p);
  }

  private static void produce(KafkaProducer<String, String> producer, List<ShopScenario.Record> records)
      throws Exception {
    for (ShopScenario.Record r : records) {
      producer.send(new ProducerRecord<>("audit", r.orderId(), r.json())).get(30, TimeUnit.SECONDS);
    }
  }

  /** Sends records through the OpenTelemetry SDK's OTLP/HTTP exporter; true when accepted. */
  private boolean sendOtlp(List<ShopScenario.Record> records) {
    OtlpHttpLogRecordExporter exporter = OtlpHttpLogRecordExporter.builder()
        .setEndpoint("http://127.0.0.1:" + otlpPort + "/v1/logs").build();
    SdkLoggerProvider provider = SdkLoggerProvider.builder()
        .setResource(Resource.create(Attributes.of(AttributeKey.stringKey("service.name"), "shop")))
        .addLogRecordProcessor(BatchLogRecordProcessor.builder(exporter).setScheduleDelay(1, TimeUnit.HOURS).build())
        .build();
    Logger logger = provider.get("shop.orders");
    for (ShopScenario.Record r : records) {
      var b = logger.logRecordBuilder().setTimestamp(r.time()).setEventName(r.eventName())
          .setAttribute("event.id", r.eventId()).setAttribute("order.id", r.orderId());
      if (r.attribute() != null) {
        b.setAttribute(AttributeKey.longKey(r.attribute()), r.value());
      }
      b.emit();
    }
    CompletableResultCode flushed = provider.forceFlush().join(60, TimeUnit.SECONDS);
    provider.shutdown().join(60, TimeUnit.SECONDS);
    return flushed.isSuccess();
  }

  // ---- Alertmanager

  /** The active alerts as rule/key (alertname is the rule, or the event for a transition). */
  private Set<String> alerts() {
    Set<String> out = new TreeSet<>();
    for (JsonNode alert : alertmanager.alerts()) {
      JsonNode labels = alert.path("labels");
      out.add(labels.path("alertname").asText() + "/" + labels.path("key").asText());
    }
    return out;
  }

  // ---- the daemon process

  // ---- the daemon process (shared with the other process tests)

  private Process start(String name) throws IOException {
    Process p = DaemonProcesses.start(dir, dir.resolve("specwatch.yaml"), name, "384m", Map.of());
    daemons.add(p);
    return p;
  }

  private static int stop(Process p) throws InterruptedException {
    return DaemonProcesses.stop(p, Duration.ofSeconds(90));
  }

  private String output(String name) {
    return DaemonProcesses.output(dir, name);
  }

  private void awaitReady(Process p) throws Exception {
    await(() -> DaemonProcesses.ready(adminPort), p, "/readyz to answer 200");
  }

  private void await(BooleanSupplier condition, Process p, String what) throws Exception {
    String name = daemons.indexOf(p) == 0 ? "run1" : "run2";
    DaemonProcesses.await(condition, p, Duration.ofSeconds(90), what, () -> output(name));
  }
}
