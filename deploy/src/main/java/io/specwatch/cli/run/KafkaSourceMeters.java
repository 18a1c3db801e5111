package io.specwatch.cli.run;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.MultiGauge;
import io.micrometer.core.instrument.Tags;
import io.specwatch.ingest.kafka.KafkaSource;
import io.specwatch.ingest.kafka.KafkaSourceStats;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.ToDoubleFunction;
import org.apache.kafka.common.TopicPartition;

/**
 * The Kafka source's own figures as Micrometer meters, with Prometheus names
 * {@code specwatch_kafka_...}: counters of records, malformed records, committed violations,
 * transactions, checkpoints, restores, recoveries, reloads, refused instances and time spent
 * polling, applying and committing; gauges of assigned, idle and caught-up state and of
 * instances split over partitions; and the consumer lag of every assigned partition
 * ({@code specwatch_kafka_consumer_lag{topic,partition}}). Everything reads
 * {@link KafkaSourceStats}, whose counters the consumer thread updates; nothing here touches
 * the (single-threaded) consumer. The violations themselves are counted with every other
 * source's in {@code specwatch_violations_total}.
 */
final class KafkaSourceMeters {
  private KafkaSourceMeters() {}

  static void bind(KafkaSource source, MeterRegistry registry) {
    KafkaSourceStats s = source.stats();
    counter(registry, "specwatch.kafka.records", s.records,
        "Records applied to the specs (re-applied ones after a restore included).");
    counter(registry, "specwatch.kafka.malformed.records", s.malformedRecords,
        "Records that are no document: no value, over the size limit.");
    counter(registry, "specwatch.kafka.violations.committed", s.violationsCommitted,
        "Violations in committed Kafka transactions.");
    counter(registry, "specwatch.kafka.commits", s.commits,
        "Committed transactions (violations, progress, checkpoints and offsets together).");
    counter(registry, "specwatch.kafka.checkpoints", s.checkpoints,
        "Transactions that carried full partition checkpoints.");
    counter(registry, "specwatch.kafka.restores", s.restores,
        "Partition checkpoints restored on assignment.");
    counter(registry, "specwatch.kafka.recoveries", s.recoveries,
        "Times the member was rebuilt from its last commit after a client error.");
    counter(registry, "specwatch.kafka.repartitioned.records", s.repartitionedRecords,
        "Repartition step: input records read by the first stage.");
    counter(registry, "specwatch.kafka.repartition.copies", s.repartitionCopies,
        "Repartition step: copies written to the repartition topic.");
    counter(registry, "specwatch.kafka.idle.advances", s.idleAdvances,
        "Times an idle partition's deadlines were fired by the member's watermark.");
    counter(registry, "specwatch.kafka.spec.reloads", s.specReloads,
        "Spec reloads applied to the partitions' runtimes.");
    counter(registry, "specwatch.kafka.specs.started.afresh.on.restore", s.specsStartedAfreshOnRestore,
        "Spec states not restored because the changelog held them in another state layout.");
    counter(registry, "specwatch.kafka.instances.refused", s.instancesRefused,
        "New instances refused by the live-instance cap (an error violation each).");
    counter(registry, "specwatch.kafka.dedupe.ids.unrecorded", s.dedupeIdsUnrecorded,
        "New event ids the dedupe memory did not record at its cap (limits.max_dedupe_ids): "
            + "applied, but a copy of one would not be recognised.");
    seconds(registry, "specwatch.kafka.poll", s.pollNanos, "Time spent in the consumer's poll.");
    seconds(registry, "specwatch.kafka.apply", s.applyNanos, "Time spent applying records to the specs.");
    seconds(registry, "specwatch.kafka.commit", s.commitNanos, "Time spent committing transactions.");
    seconds(registry, "specwatch.kafka.apply.wait", s.applyWaitNanos,
        "Time the member's thread waited for its apply threads (before a commit, or a batch behind).");
    counter(registry, "specwatch.kafka.checkpoint.bytes", s.checkpointBytes,
        "Bytes of full partition checkpoints written to the changelog.");
    seconds(registry, "specwatch.kafka.checkpoint.encode", s.checkpointEncodeNanos,
        "Time spent encoding full partition checkpoints.");
    Gauge.builder("specwatch.kafka.longest.commit", s.longestCommitNanos,
            n -> n.get() / (double) TimeUnit.SECONDS.toNanos(1))
        .description("The longest commit so far (what a record's latency can include).")
        .baseUnit("seconds").strongReference(true).register(registry);
    gauge(registry, "specwatch.kafka.assigned.partitions", s.assignedPartitions,
        "Partitions assigned to this member.");
    gauge(registry, "specwatch.kafka.idle.partitions", s.idlePartitions,
        "Partitions idle at the last commit (no record for the idle timeout, caught up).");
    gauge(registry, "specwatch.kafka.instances.on.several.partitions", s.instancesOnSeveralPartitions,
        "Instances held by two or more of this member's partitions at the last scan (key records by entity, or repartition).");
    Gauge.builder("specwatch.kafka.caught.up", source, src -> src.caughtUp() ? 1 : 0)
        .description("1 once every assigned partition reached the end offset it had at assignment.")
        .strongReference(true).register(registry);
    bindLag(s, registry);
  }

  /**
   * One lag gauge per assigned partition: the rows are replaced whenever the assignment
   * changes (on the consumer's thread), so a revoked partition's series disappears.
   */
  private static void bindLag(KafkaSourceStats s, MeterRegistry registry) {
    MultiGauge lag = MultiGauge.builder("specwatch.kafka.consumer.lag")
        .description("Records between the member's position and the partition's end, as of its last commit.")
        .register(registry);
    Runnable refresh = () -> {
      List<MultiGauge.Row<?>> rows = new ArrayList<>();
      for (TopicPartition tp : s.consumerLag().keySet()) {
        rows.add(MultiGauge.Row.of(Tags.of("topic", tp.topic(), "partition",
            Integer.toString(tp.partition())), s, (ToDoubleFunction<KafkaSourceStats>) st -> st.lagOf(tp)));
      }
      lag.register(rows, true);
    };
    s.onAssignmentChange(refresh);
    refresh.run();
  }

  private static void counter(MeterRegistry r, String name, AtomicLong value, String help) {
    FunctionCounter.builder(name, value, AtomicLong::get).description(help).register(r);
  }

  private static void seconds(MeterRegistry r, String name, AtomicLong nanos, String help) {
    FunctionCounter.builder(name, nanos, n -> n.get() / (double) TimeUnit.SECONDS.toNanos(1))
        .baseUnit("seconds").description(help).register(r);
  }

  private static void gauge(MeterRegistry r, String name, AtomicLong value, String help) {
    Gauge.builder(name, value, AtomicLong::get).description(help).strongReference(true).register(r);
  }
}
