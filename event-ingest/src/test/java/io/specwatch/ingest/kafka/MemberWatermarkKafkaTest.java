package io.specwatch.ingest.kafka;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.specwatch.core.program.Program;
import io.specwatch.testkit.EmbeddedKafka;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The member's watermark with an idle-partition timeout, against a real KRaft broker (one for
 * the class). Partition 0 arms a deadline and goes quiet; partition 1's event time passes it.
 * With the idle timeout, the deadline fires once partition 0 has been idle that long, with an
 * {@code idle_after_offset} position, and is not fired again after a restart from the
 * checkpoint nor by partition 0's next record. Without it, it fires only at partition 0's next
 * record, exactly as {@code check} over that partition's records.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class MemberWatermarkKafkaTest {
  private static final Duration CATCH_UP = Duration.ofSeconds(60);
  private static final long T0 = 1_778_076_000_000L;
  private static final String SPEC = """
      spec orders
      input {
        time at
      }
      entity Order key order {
        status: enum { New, Placed, Paid }
      }
      event placed for Order when op == "place"
      event paid for Order when op == "pay"
      on placed requires status == New { status = Placed }
      on paid requires status == Placed { status = Paid }
      deadline pay_timeout: after placed expect paid within 1m
      """;

  private EmbeddedKafka kafka;
  private List<Program> programs;

  @BeforeAll
  void start() throws Exception {
    kafka = EmbeddedKafka.start();
    Path spec = Files.createTempFile("orders", ".sw");
    Files.writeString(spec, SPEC);
    programs = TestSpecs.compile(spec);
    Files.delete(spec);
  }

  @AfterAll
  void stop() {
    kafka.close();
  }

  private static String doc(String op, String order, long at) {
    return "{\"op\":\"" + op + "\",\"order\":\"" + order + "\",\"at\":" + at + "}";
  }

  /** Partition 0 arms o-1's deadline (T0+1m); partition 1 runs on to T0+2m and arms o-3's. */
  private void produceQuietPartitionScenario(String topic) throws Exception {
    kafka.createTopic(topic, 2);
    try (KafkaProducer<byte[], byte[]> p = KafkaTestSupport.producer(kafka)) {
      send(p, topic, 0, doc("place", "o-1", T0));
      send(p, topic, 1, doc("place", "o-2", T0));
      send(p, topic, 1, doc("pay", "o-2", T0 + 1_000));
      send(p, topic, 1, doc("place", "o-3", T0 + 120_000));
      p.flush();
    }
  }

  private static void send(KafkaProducer<byte[], byte[]> p, String topic, int partition, String doc) {
    p.send(new ProducerRecord<>(topic, partition, null, doc.getBytes(StandardCharsets.UTF_8)));
  }

  private KafkaSource startMember(String topic, String group, Duration idleTimeout) {
    KafkaSourceConfig config = KafkaSourceConfig.of(kafka.bootstrapServers(), group,
            List.of(topic), topic + "-violations")
        .withStartPosition(KafkaSourceConfig.StartPosition.EARLIEST)
        .withIdlePartitionTimeout(idleTimeout);
    KafkaSource source = new KafkaSource(config, programs, null);
    source.start();
    return source;
  }

  private static long count(List<String> violations, String needle) {
    return violations.stream().filter(v -> v.contains(needle)).count();
  }

  @Test
  void aQuietPartitionsDeadlineFiresOnceAfterTheIdleTimeoutAndSurvivesARestart() throws Exception {
    String topic = "idle-on";
    kafka.createTopic(topic + "-violations", 1);
    produceQuietPartitionScenario(topic);

    KafkaSource first = startMember(topic, "idle-on-group", Duration.ofSeconds(1));
    // Partition 1 stays active (a record per check, about ten a second, each a new order whose
    // deadline lies a minute ahead): only partition 0 goes quiet. When every partition is idle
    // nothing moves, as in Flink, so the traffic on partition 1 is what the test is about.
    int[] sent = {0};
    try (KafkaProducer<byte[], byte[]> p = KafkaTestSupport.producer(kafka)) {
      KafkaTestSupport.awaitCondition(() -> {
        send(p, topic, 1, doc("place", "p1-" + sent[0], T0 + 120_000 + sent[0]));
        sent[0]++;
        p.flush();
        return count(KafkaTestSupport.committedViolations(kafka, topic + "-violations"),
            "\"key\":\"o-1\"") > 0;
      }, CATCH_UP, "o-1's deadline did not fire from the idle partition");
      assertTrue(first.stats().idleAdvances.get() >= 1);
    } finally {
      first.stop(Duration.ofSeconds(30));
    }
    List<String> afterFirst = KafkaTestSupport.committedViolations(kafka, topic + "-violations");
    assertEquals(1, afterFirst.size(), afterFirst::toString);
    String fired = afterFirst.get(0);
    assertTrue(fired.contains("\"kind\":\"deadline\"") && fired.contains("\"rule\":\"pay_timeout\""),
        fired);
    assertTrue(fired.contains("\"topic\":\"idle-on\",\"partition\":0,\"idle_after_offset\":0"), fired);

    // A new member restores partition 0 from the checkpoint the advance wrote: its next record
    // passes o-1's expiry by itself, and o-1's deadline must not fire a second time.
    try (KafkaProducer<byte[], byte[]> p = KafkaTestSupport.producer(kafka)) {
      send(p, topic, 0, doc("place", "o-4", T0 + 130_000));
      p.flush();
    }
    KafkaSource second = startMember(topic, "idle-on-group", Duration.ofSeconds(1));
    try {
      KafkaTestSupport.awaitGroupCaughtUp(kafka, "idle-on-group", topic, CATCH_UP);
      assertTrue(second.stats().restores.get() >= 1, "partition 0 was restored from a checkpoint");
    } finally {
      second.stop(Duration.ofSeconds(30));
    }
    List<String> all = KafkaTestSupport.committedViolations(kafka, topic + "-violations");
    assertEquals(1, count(all, "\"key\":\"o-1\""), all::toString);
  }

  @Test
  void withoutTheIdleTimeoutTheQuietPartitionWaitsForItsOwnNextRecordAsCheckDoes()
      throws Exception {
    String topic = "idle-off";
    kafka.createTopic(topic + "-violations", 1);
    produceQuietPartitionScenario(topic);

    KafkaSource source = startMember(topic, "idle-off-group", Duration.ZERO);
    try {
      KafkaTestSupport.awaitGroupCaughtUp(kafka, "idle-off-group", topic, CATCH_UP);
      // Absence needs time: let the member itself poll, caught up, for three times the timeout
      // the other test uses (measured by its own poll clock, not by the test sleeping).
      long polledBefore = source.stats().pollNanos.get();
      KafkaTestSupport.awaitCondition(
          () -> source.stats().pollNanos.get() - polledBefore >= Duration.ofSeconds(3).toNanos(),
          CATCH_UP, "the member did not keep polling");
      assertEquals(List.of(), KafkaTestSupport.committedViolations(kafka, topic + "-violations"));
      assertEquals(0, source.stats().idleAdvances.get());

      try (KafkaProducer<byte[], byte[]> p = KafkaTestSupport.producer(kafka)) {
        send(p, topic, 0, doc("place", "o-4", T0 + 130_000));
        p.flush();
      }
      KafkaTestSupport.awaitGroupCaughtUp(kafka, "idle-off-group", topic, CATCH_UP);
    } finally {
      source.stop(Duration.ofSeconds(30));
    }
    List<String> expected = KafkaTestSupport.expectedViolations(kafka, topic, programs);
    assertEquals(1, expected.size(), expected::toString);
    assertTrue(expected.get(0).contains("\"partition\":0,\"offset\":1"), expected.get(0));
    assertEquals(expected, KafkaTestSupport.committedViolations(kafka, topic + "-violations"));
  }
}
