package io.specwatch.ingest.kafka;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.specwatch.core.Violation;
import io.specwatch.core.engine.Monitor;
import io.specwatch.core.program.Program;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;

/**
 * The apply threads without a broker: records of several partitions applied on two threads, in
 * batches, give exactly what one monitor per partition gives sequentially (violations in order
 * per partition, next offsets); records before a runtime's next offset are skipped and those
 * before {@code emittedUpTo} raise nothing; a failure on an apply thread surfaces at
 * {@code awaitIdle} on the member's thread, once, and the threads stay usable.
 */
class PartitionWorkersTest {
  private static final String TOPIC = "in";

  private final List<Program> programs = TestSpecs.compile(TestSpecs.paymentsLoadSpec());
  private final KafkaSourceConfig config =
      KafkaSourceConfig.of("127.0.0.1:1", "g", List.of(TOPIC), "v");

  @Test
  void partitionsAppliedOnTwoThreadsGiveWhatOneMonitorPerPartitionGives() {
    int partitions = 4;
    List<List<String>> logs = new ArrayList<>();
    for (int p = 0; p < partitions; p++) {
      logs.add(TestSpecs.randomPaymentsLoadLog(100 + p, 60));
    }
    KafkaSourceStats stats = new KafkaSourceStats();
    List<PartitionRuntime> owned = new ArrayList<>();
    List<Object> raised = new ArrayList<>();
    try (PartitionWorkers workers = new PartitionWorkers(2,
        i -> new RecordApplier(config, 0, stats, programs), "test")) {
      for (int p = 0; p < partitions; p++) {
        PartitionRuntime rt = new PartitionRuntime(new TopicPartition(TOPIC, p),
            new Monitor(programs), -1);
        rt.worker = workers.leastLoaded(owned);
        owned.add(rt);
      }
      assertEquals(List.of(0, 1, 0, 1), owned.stream().map(rt -> rt.worker).toList(),
          "partitions spread over the threads");
      // Batches of 7 records per partition, all partitions in flight at once.
      int longest = logs.stream().mapToInt(List::size).max().orElseThrow();
      for (int from = 0; from < longest; from += 7) {
        for (int p = 0; p < partitions; p++) {
          List<String> log = logs.get(p);
          if (from < log.size()) {
            workers.submit(owned.get(p), records(p, log, from, Math.min(log.size(), from + 7)));
          }
        }
        if (from % 21 == 0) {
          workers.awaitIdle();
          workers.forEachApplier(a -> a.drainTo(raised::add));
        }
      }
      workers.awaitIdle();
      workers.forEachApplier(a -> a.drainTo(raised::add));
    }
    List<String> expected = new ArrayList<>();
    long total = 0;
    for (int p = 0; p < partitions; p++) {
      List<Violation> out = new ArrayList<>();
      Monitor m = new Monitor(programs);
      List<String> log = logs.get(p);
      for (int i = 0; i < log.size(); i++) {
        byte[] doc = log.get(i).getBytes(StandardCharsets.UTF_8);
        m.accept(doc, 0, doc.length, new KafkaPosition(TOPIC, p, i), out::add);
      }
      expected.addAll(TestSpecs.json(out));
      assertEquals(log.size(), owned.get(p).nextOffset, "next offset of partition " + p);
      total += log.size();
    }
    List<Violation> actual = new ArrayList<>();
    raised.forEach(o -> {
      if (o instanceof Violation) {
        actual.add((Violation) o);
      }
    });
    assertTrue(expected.size() > 20, "violations expected: " + expected.size());
    // Across partitions the order is the threads'; within a partition it must be the monitor's.
    for (int p = 0; p < partitions; p++) {
      String at = "\"partition\":" + p + ",";
      assertEquals(expected.stream().filter(v -> v.contains(at)).toList(),
          TestSpecs.json(actual).stream().filter(v -> v.contains(at)).toList(), "partition " + p);
    }
    assertEquals(expected.size(), actual.size());
    assertEquals(total, stats.records.get());
  }

  @Test
  void recordsBeforeTheNextOffsetAreSkippedAndBeforeEmittedUpToRaiseNothing() {
    List<String> log = TestSpecs.randomPaymentsLoadLog(7, 40);
    KafkaSourceStats stats = new KafkaSourceStats();
    RecordApplier applier = new RecordApplier(config, 0, stats, programs);
    PartitionRuntime rt = new PartitionRuntime(new TopicPartition(TOPIC, 0), new Monitor(programs), 0);
    rt.emittedUpTo = log.size(); // as after a restore: every violation is committed already
    applier.apply(rt, records(0, log, 0, log.size()));
    List<Object> raised = new ArrayList<>();
    applier.drainTo(raised::add);
    assertEquals(List.of(), raised);
    assertEquals(log.size(), rt.nextOffset);
    applier.apply(rt, records(0, log, 0, log.size())); // a re-delivered batch: already applied
    assertEquals(log.size(), stats.records.get());
    assertTrue(rt.dirty && rt.needsCheckpoint);
  }

  @Test
  void aFailureOnAnApplyThreadSurfacesAtAwaitIdleOnceAndTheThreadsStayUsable() {
    KafkaSourceStats stats = new KafkaSourceStats();
    List<String> log = TestSpecs.randomPaymentsLoadLog(3, 5);
    try (PartitionWorkers workers = new PartitionWorkers(2,
        i -> new RecordApplier(config, 0, stats, programs), "test")) {
      PartitionRuntime broken = new PartitionRuntime(new TopicPartition(TOPIC, 0), null, -1);
      workers.submit(broken, records(0, log, 0, log.size()));
      KafkaException e = assertThrows(KafkaException.class, workers::awaitIdle);
      assertTrue(e.getMessage().startsWith("applying records failed"), e.getMessage());
      workers.awaitIdle(); // reported once
      PartitionRuntime fine = new PartitionRuntime(new TopicPartition(TOPIC, 1), new Monitor(programs), -1);
      fine.worker = 1;
      workers.submit(fine, records(1, log, 0, log.size()));
      workers.awaitIdle();
      assertEquals(log.size(), fine.nextOffset);
    }
  }

  /**
   * An Error (out of memory, say) on an apply thread with more tasks queued behind it: the thread
   * must finish those too (or awaitIdle would wait for ever) and the Error surfaces at awaitIdle.
   */
  @Test
  void anErrorOnAnApplyThreadWithTasksQueuedStillLetsAwaitIdleReturn() throws Exception {
    KafkaSourceStats stats = new KafkaSourceStats();
    List<String> log = TestSpecs.randomPaymentsLoadLog(3, 5);
    try (PartitionWorkers workers = new PartitionWorkers(1,
        i -> new RecordApplier(config, 0, stats, programs) {
          @Override
          void apply(PartitionRuntime rt, List<ConsumerRecord<byte[], byte[]>> records) {
            if (rt.partition.partition() == 0) {
              throw new OutOfMemoryError("for the test");
            }
            super.apply(rt, records);
          }
        }, "test")) {
      PartitionRuntime failing = new PartitionRuntime(new TopicPartition(TOPIC, 0),
          new Monitor(programs), -1);
      PartitionRuntime queued = new PartitionRuntime(new TopicPartition(TOPIC, 1),
          new Monitor(programs), -1);
      workers.submit(failing, records(0, log, 0, log.size()));
      workers.submit(queued, records(1, log, 0, log.size()));
      workers.submit(queued, records(1, log, 0, log.size()));
      java.util.concurrent.FutureTask<KafkaException> awaited =
          new java.util.concurrent.FutureTask<>(() -> assertThrows(KafkaException.class,
              workers::awaitIdle));
      Thread member = new Thread(awaited, "member");
      member.setDaemon(true);
      member.start();
      KafkaException e = awaited.get(1, java.util.concurrent.TimeUnit.MINUTES);
      assertTrue(e.getMessage().contains("OutOfMemoryError"), e.getMessage());
      assertEquals(log.size(), queued.nextOffset, "the tasks queued behind the Error ran");
    }
  }

  private static List<ConsumerRecord<byte[], byte[]>> records(int partition, List<String> log,
      int from, int to) {
    List<ConsumerRecord<byte[], byte[]>> out = new ArrayList<>();
    for (int i = from; i < to; i++) {
      out.add(new ConsumerRecord<>(TOPIC, partition, i, null,
          log.get(i).getBytes(StandardCharsets.UTF_8)));
    }
    return out;
  }
}
