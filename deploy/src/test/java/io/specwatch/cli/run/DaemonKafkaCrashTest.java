package io.specwatch.cli.run;

import static io.specwatch.cli.run.DaemonProcesses.countLines;
import static io.specwatch.cli.run.DaemonProcesses.withoutPositions;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.specwatch.cli.Main;
import io.specwatch.testkit.EmbeddedKafka;
import io.specwatch.testkit.FreePorts;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A JSONL sink holds each violation exactly once across a kill -9, with a Kafka source AND a
 * file source feeding it: {@code specwatch run} in its own JVM, a real KRaft broker (a topic of
 * two partitions) and a followed file; the daemon is killed with SIGKILL while both are still
 * arriving, the rest arrives while it is down, and it is started again. The file must then hold
 * exactly {@code check}'s violations over each Kafka partition's records and over the file, as a
 * multiset (positions aside): the daemon's own lines past its checkpoint were cut back and raised
 * again, the Kafka source's lines were kept and those raised again skipped.
 */
class DaemonKafkaCrashTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final int ORDERS = 1500;
  private static EmbeddedKafka kafka;

  @TempDir
  Path dir;

  private final List<Process> daemons = new ArrayList<>();
  private final int adminPort = FreePorts.next();

  @BeforeAll
  static void startKafka() {
    kafka = EmbeddedKafka.start();
    kafka.createTopic("audit", 2);
    kafka.createTopic("crash.violations", 1);
  }

  @AfterAll
  static void stopKafka() {
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
  void killNineMidStreamAndARestartLeaveEachViolationInTheJsonlFileOnce() throws Exception {
    Files.writeString(dir.resolve("orders.sw"), OrdersLog.SPEC);
    Path events = dir.resolve("events.jsonl");
    Path violations = dir.resolve("violations.jsonl");
    Files.createFile(events);
    Files.writeString(dir.resolve("specwatch.yaml"), "specs: [orders.sw]\n"
        + "sources:\n"
        + "  files: [{path: events.jsonl}]\n"
        + "  kafka: {bootstrap_servers: \"" + kafka.bootstrapServers() + "\", topics: [audit], group_id: crash}\n"
        + "sinks:\n"
        + "  jsonl: [{path: violations.jsonl}]\n"
        + "admin: {port: " + adminPort + "}\n"
        // Only the checkpoint taken at start (and the one at SIGTERM): the kill then always
        // finds the daemon's lines, and the Kafka source's, past the checkpointed length.
        + "state: {directory: state, interval: 1h}\n"
        + "reload: {watch: false}\n");

    // Kafka: order k on partition k % 2 (an order's records stay on one partition, in order).
    List<List<String>> partitions = List.of(new ArrayList<>(), new ArrayList<>());
    List<String> kafkaLines = OrdersLog.lines(ORDERS);
    for (String line : kafkaLines) {
      int order = Integer.parseInt(JSON.readTree(line).path("order_id").asText().substring(2));
      partitions.get(order % 2).add(line);
    }
    // The file: other orders (keys f-...), so that a line lost from one source cannot hide
    // behind a line repeated from the other.
    List<String> fileLines = new ArrayList<>();
    for (String line : OrdersLog.lines(ORDERS)) {
      fileLines.add(line.replace("\"order_id\":\"o-", "\"order_id\":\"f-"));
    }
    List<String> expected = new ArrayList<>();
    expected.addAll(check(partitions.get(0), "p0"));
    expected.addAll(check(partitions.get(1), "p1"));
    expected.addAll(check(fileLines, "file"));
    Collections.sort(expected);

    try (KafkaProducer<String, String> producer = producer()) {
      int third0 = partitions.get(0).size() / 3;
      int third1 = partitions.get(1).size() / 3;
      int thirdF = fileLines.size() / 3;
      produce(producer, 0, partitions.get(0).subList(0, third0));
      produce(producer, 1, partitions.get(1).subList(0, third1));
      append(events, fileLines.subList(0, thirdF));
      Process first = start("run1");
      await(() -> hasKafkaAndFileLines(violations) && hasCheckpoint(), first, "violations of both sources");
      // More of both while it runs, and SIGKILL while they are being applied.
      long before = countLines(violations);
      append(events, fileLines.subList(thirdF, 2 * thirdF));
      produceAsync(producer, 0, partitions.get(0).subList(third0, 2 * third0));
      produceAsync(producer, 1, partitions.get(1).subList(third1, 2 * third1));
      await(() -> countLines(violations) > before, first, "more violations");
      first.destroyForcibly();
      assertTrue(first.waitFor(30, TimeUnit.SECONDS));
      long afterKill = countLines(violations);
      assertTrue(afterKill < expected.size(), "killed mid-stream: " + afterKill + " of " + expected.size());
      producer.flush();
      produce(producer, 0, partitions.get(0).subList(2 * third0, partitions.get(0).size()));
      produce(producer, 1, partitions.get(1).subList(2 * third1, partitions.get(1).size()));
      append(events, fileLines.subList(2 * thirdF, fileLines.size()));

      Process second = start("run2");
      // Everything applied: the file read to its end (ready), and every record's violations
      // committed (the group's offsets at the end; they are written ahead of that commit).
      await(() -> ready() && committedToTheEnd(), second, "the file and both partitions done");
      assertTrue(countLines(violations) >= expected.size(), () -> output("run2"));
      second.destroy();
      assertTrue(second.waitFor(60, TimeUnit.SECONDS));
      assertEquals(0, second.exitValue(), () -> output("run2"));
      assertTrue(output("run2").contains("resuming from the checkpoint"), () -> output("run2"));
    }
    List<String> lines = Files.readAllLines(violations);
    assertEquals(expected, withoutPositions(lines),
        "check's violations over each partition and the file, each once");
    Set<String> kafkaPositions = new HashSet<>();
    for (String line : lines) {
      JsonNode n = JSON.readTree(line);
      if (n.has("partition")) {
        assertTrue(kafkaPositions.add(n.path("partition") + "/" + n.path("offset") + "/" + n.path("rule")
            + "/" + n.path("key")), () -> "repeated: " + line);
      }
    }
  }

  // ---- expected

  private List<String> check(List<String> lines, String name) throws IOException {
    Path log = dir.resolve("check-" + name + ".jsonl");
    Files.writeString(log, String.join("", lines));
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    Main.run(new String[] {"check", dir.resolve("orders.sw").toString(), "--events", log.toString()},
        new ByteArrayInputStream(new byte[0]), new PrintStream(out, true, StandardCharsets.UTF_8),
        new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8));
    List<String> found = withoutPositions(List.of(out.toString(StandardCharsets.UTF_8).split("\n")));
    assertTrue(found.size() > 100, name + " raises violations: " + found.size());
    return found;
  }

  // ---- sources

  private static KafkaProducer<String, String> producer() {
    Properties p = new Properties();
    p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
    p.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
    p.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
    p.put(ProducerConfig.ACKS_CONFIG, "all");
    return new KafkaProducer<>(p);
  }

  private static void produce(KafkaProducer<String, String> producer, int partition, List<String> lines)
      throws Exception {
    produceAsync(producer, partition, lines);
    producer.flush();
  }

  private static void produceAsync(KafkaProducer<String, String> producer, int partition, List<String> lines) {
    for (String line : lines) {
      producer.send(new ProducerRecord<>("audit", partition, null, line.strip()));
    }
  }

  private static void append(Path file, List<String> lines) throws IOException {
    Files.writeString(file, String.join("", lines), StandardOpenOption.APPEND);
  }

  // ---- the daemon process

  /** Whether group {@code crash} has committed both partitions' offsets up to their ends. */
  private static boolean committedToTheEnd() {
    try (org.apache.kafka.clients.admin.Admin admin = kafka.admin()) {
      var committed = admin.listConsumerGroupOffsets("crash").partitionsToOffsetAndMetadata()
          .get(10, TimeUnit.SECONDS);
      for (int p = 0; p < 2; p++) {
        var tp = new org.apache.kafka.common.TopicPartition("audit", p);
        long end = admin.listOffsets(java.util.Map.of(tp, org.apache.kafka.clients.admin.OffsetSpec.latest()))
            .partitionResult(tp).get(10, TimeUnit.SECONDS).offset();
        var c = committed.get(tp);
        if (c == null || c.offset() < end) {
          return false;
        }
      }
      return true;
    } catch (Exception e) {
      return false;
    }
  }

  private boolean hasCheckpoint() {
    try (var files = Files.list(dir.resolve("state"))) {
      return files.anyMatch(f -> f.toString().endsWith(".ckpt"));
    } catch (IOException e) {
      return false;
    }
  }

  private static boolean hasKafkaAndFileLines(Path f) {
    try {
      boolean kafkaLine = false;
      boolean fileLine = false;
      for (String l : Files.exists(f) ? Files.readAllLines(f) : List.<String>of()) {
        kafkaLine |= l.contains("\"partition\":");
        fileLine |= l.contains("\"line\":");
      }
      return kafkaLine && fileLine;
    } catch (IOException e) {
      return false;
    }
  }

  // ---- the daemon process (shared with the other process tests)

  private Process start(String name) throws IOException {
    Process p = DaemonProcesses.start(dir, dir.resolve("specwatch.yaml"), name, "256m", Map.of());
    daemons.add(p);
    return p;
  }

  private String output(String name) {
    return DaemonProcesses.output(dir, name);
  }

  private boolean ready() {
    return DaemonProcesses.ready(adminPort);
  }

  private void await(BooleanSupplier condition, Process p, String what) throws Exception {
    String name = daemons.indexOf(p) == 0 ? "run1" : "run2";
    DaemonProcesses.await(condition, p, Duration.ofSeconds(90), what, () -> output(name));
  }
}
