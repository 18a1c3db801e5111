package io.specwatch.ingest.kafka;

import io.specwatch.core.engine.DedupeLimits;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;
import java.util.regex.Pattern;

/**
 * Everything the Kafka source needs; the daemon's configuration file maps onto it one to one.
 *
 * @param bootstrapServers {@code host:port,...}
 * @param groupId the consumer group; members of one group share the partitions
 * @param topics the topics to read, or empty when {@code topicPattern} is set
 * @param topicPattern a regular expression of topics to read, or null
 * @param startPosition where a partition with no checkpoint starts
 * @param groupProtocol the classic rebalance protocol or the new consumer protocol (KIP-848)
 * @param clientProperties passed unchanged to every client (security.protocol, sasl.*, ssl.*,
 *     session.timeout.ms, ...); they are applied last, so they override specwatch's defaults
 * @param violationsTopic where violations go, in the same transactions as the offsets
 * @param changelogTopic the compacted topic of partition checkpoints (created if absent)
 * @param changelogPartitions partitions of the changelog if specwatch creates it
 * @param replicationFactor replication of the topics specwatch creates
 * @param commitInterval how often state, violations and offsets are committed together
 * @param transactionalId this member's transactional id: stable across restarts of the same
 *     member (so a restart fences its crashed predecessor at once), unique among live members
 * @param maxDocumentBytes values over this are reported as malformed, not parsed
 * @param idlePartitionTimeout how long (wall time) a caught-up partition may receive no record
 *     before it stops holding the member's watermark back and its deadlines follow the other
 *     partitions' event time (docs/kafka.md, section 4); zero (the default) switches this off
 * @param checkpointInterval how often each changed partition's full state is checkpointed;
 *     between checkpoints every transaction records only how far violations were committed, and
 *     a restore re-applies the records since the checkpoint without emitting their violations again
 * @param repartition whether documents are first re-keyed by entity key through the internal
 *     topic {@code <group>-repartition} (docs/kafka.md, section 6); off by default
 * @param repartitionPartitions partitions of the repartition topic (created if absent; an
 *     existing one must have exactly this many, since partition = shard of the entity key)
 * @param maxLiveInstancesPerPartition the most live instances each spec may hold in one
 *     partition's runtime (0, the default: no cap); an event that would create one more is an
 *     {@code error} violation and is not applied. Per partition, not per member, so that a
 *     partition's verdicts depend only on its own records, not on how many partitions the member
 *     happens to own (a member's bound is this times its partition count; docs/kafka.md)
 * @param maxDedupeIdsPerPartition the most event ids each spec's dedupe memory may hold in one
 *     partition's runtime (0: no cap; {@code of} sets {@link DedupeLimits#DEFAULT_MAX_IDS}); past
 *     it a new id is applied but not recorded, and counted in
 *     {@link KafkaSourceStats#dedupeIdsUnrecorded}
 * @param applyThreads how many threads apply records, each to its own share of the member's
 *     partitions (a partition always on the same one, so in offset order), while the member's
 *     thread polls and commits; 0 (the default): one per processor
 */
public record KafkaSourceConfig(
    String bootstrapServers,
    String groupId,
    List<String> topics,
    Pattern topicPattern,
    StartPosition startPosition,
    GroupProtocol groupProtocol,
    Map<String, String> clientProperties,
    String violationsTopic,
    String changelogTopic,
    int changelogPartitions,
    short replicationFactor,
    Duration commitInterval,
    String transactionalId,
    int maxDocumentBytes,
    Duration idlePartitionTimeout,
    Duration checkpointInterval,
    boolean repartition,
    int repartitionPartitions,
    long maxLiveInstancesPerPartition,
    long maxDedupeIdsPerPartition,
    int applyThreads) {

  /** Where a partition without a checkpoint starts reading. */
  public enum StartPosition {
    /** The oldest retained record. */
    EARLIEST,
    /** Only records produced after the partition is first assigned. */
    LATEST,
    /** The group's committed offset, or the oldest record when the group has none. */
    COMMITTED
  }

  /** The rebalance protocol ({@code group.protocol}). */
  public enum GroupProtocol { CLASSIC, CONSUMER }

  public KafkaSourceConfig {
    Objects.requireNonNull(bootstrapServers, "bootstrapServers");
    Objects.requireNonNull(groupId, "groupId");
    topics = topics == null ? List.of() : List.copyOf(topics);
    if (topics.isEmpty() == (topicPattern == null)) {
      throw new IllegalArgumentException("give either topics or a topic pattern, not both or neither");
    }
    Objects.requireNonNull(violationsTopic, "violationsTopic");
    startPosition = startPosition == null ? StartPosition.COMMITTED : startPosition;
    groupProtocol = groupProtocol == null ? GroupProtocol.CLASSIC : groupProtocol;
    clientProperties = clientProperties == null ? Map.of() : Map.copyOf(clientProperties);
    changelogTopic = changelogTopic == null ? groupId + "-specwatch-changelog" : changelogTopic;
    if (changelogPartitions < 1) {
      throw new IllegalArgumentException("changelogPartitions must be at least 1");
    }
    if (replicationFactor < 1) {
      throw new IllegalArgumentException("replicationFactor must be at least 1");
    }
    commitInterval = commitInterval == null ? Duration.ofMillis(100) : commitInterval;
    transactionalId = transactionalId == null ? groupId + "-" + UUID.randomUUID() : transactionalId;
    if (maxDocumentBytes < 1) {
      throw new IllegalArgumentException("maxDocumentBytes must be positive");
    }
    // Off by default (as Flink's idleness): an idle partition's deadlines then fire only at its
    // own next record, which is exactly what `check` over that partition's records does.
    idlePartitionTimeout = idlePartitionTimeout == null ? Duration.ZERO : idlePartitionTimeout;
    if (idlePartitionTimeout.isNegative()) {
      throw new IllegalArgumentException("idlePartitionTimeout must not be negative");
    }
    checkpointInterval = checkpointInterval == null ? Duration.ofSeconds(10) : checkpointInterval;
    if (repartitionPartitions < 1) {
      throw new IllegalArgumentException("repartitionPartitions must be at least 1");
    }
    if (maxLiveInstancesPerPartition < 0) {
      throw new IllegalArgumentException("maxLiveInstancesPerPartition must not be negative");
    }
    if (maxDedupeIdsPerPartition < 0) {
      throw new IllegalArgumentException("maxDedupeIdsPerPartition must not be negative");
    }
    if (applyThreads < 0) {
      throw new IllegalArgumentException("applyThreads must not be negative");
    }
    for (String own : ownTopics(groupId, violationsTopic, changelogTopic, repartition)) {
      if (topics.contains(own) || topicPattern != null && topicPattern.matcher(own).matches()) {
        throw new IllegalArgumentException("the input topics include " + own + ", a topic"
            + " specwatch writes: it would read its own output");
      }
    }
  }

  /**
   * The topics a source with these settings writes (violations, changelog, and the repartition
   * topic when on), which it must therefore not read.
   *
   * @param changelogTopic null: the default name
   */
  public static List<String> ownTopics(String groupId, String violationsTopic,
      String changelogTopic, boolean repartition) {
    List<String> own = new java.util.ArrayList<>();
    if (violationsTopic != null) {
      own.add(violationsTopic);
    }
    own.add(changelogTopic != null ? changelogTopic : groupId + "-specwatch-changelog");
    if (repartition) {
      own.add(groupId + "-repartition");
    }
    return own;
  }

  /** Every field, with the client properties' keys only: their values may be passwords. */
  @Override
  public String toString() {
    return "KafkaSourceConfig[bootstrapServers=" + bootstrapServers + ", groupId=" + groupId
        + ", topics=" + topics + ", topicPattern=" + topicPattern + ", startPosition="
        + startPosition + ", groupProtocol=" + groupProtocol + ", clientProperties="
        + clientProperties.keySet() + ", violationsTopic=" + violationsTopic + ", changelogTopic="
        + changelogTopic + ", changelogPartitions=" + changelogPartitions + ", replicationFactor="
        + replicationFactor + ", commitInterval=" + commitInterval + ", transactionalId="
        + transactionalId + ", maxDocumentBytes=" + maxDocumentBytes + ", idlePartitionTimeout="
        + idlePartitionTimeout + ", checkpointInterval=" + checkpointInterval + ", repartition="
        + repartition + ", repartitionPartitions=" + repartitionPartitions
        + ", maxLiveInstancesPerPartition=" + maxLiveInstancesPerPartition
        + ", maxDedupeIdsPerPartition=" + maxDedupeIdsPerPartition + ", applyThreads="
        + applyThreads + "]";
  }

  /** Applies records on {@code threads} threads (0: one per processor). */
  public KafkaSourceConfig withApplyThreads(int threads) {
    return new KafkaSourceConfig(bootstrapServers, groupId, topics, topicPattern, startPosition,
        groupProtocol, clientProperties, violationsTopic, changelogTopic, changelogPartitions,
        replicationFactor, commitInterval, transactionalId, maxDocumentBytes, idlePartitionTimeout,
        checkpointInterval, repartition, repartitionPartitions, maxLiveInstancesPerPartition,
        maxDedupeIdsPerPartition, threads);
  }

  /**
   * The apply threads a member runs (at least 1). A member owning fewer partitions than threads
   * leaves the rest waiting, which costs nothing; the count does not follow rebalances.
   */
  int applyThreadCount() {
    return applyThreads > 0 ? applyThreads : Math.max(1, Runtime.getRuntime().availableProcessors());
  }

  /** Caps each spec's live instances in each partition's runtime; 0 is no cap. */
  public KafkaSourceConfig withMaxLiveInstancesPerPartition(long max) {
    return new KafkaSourceConfig(bootstrapServers, groupId, topics, topicPattern, startPosition,
        groupProtocol, clientProperties, violationsTopic, changelogTopic, changelogPartitions,
        replicationFactor, commitInterval, transactionalId, maxDocumentBytes, idlePartitionTimeout,
        checkpointInterval, repartition, repartitionPartitions, max, maxDedupeIdsPerPartition,
        applyThreads);
  }

  /** Caps each spec's dedupe ids in each partition's runtime; 0 is no cap. */
  public KafkaSourceConfig withMaxDedupeIdsPerPartition(long max) {
    return new KafkaSourceConfig(bootstrapServers, groupId, topics, topicPattern, startPosition,
        groupProtocol, clientProperties, violationsTopic, changelogTopic, changelogPartitions,
        replicationFactor, commitInterval, transactionalId, maxDocumentBytes, idlePartitionTimeout,
        checkpointInterval, repartition, repartitionPartitions, maxLiveInstancesPerPartition, max,
        applyThreads);
  }

  /** The dedupe memory's limits in each partition's runtime: a live stream's, capped. */
  DedupeLimits dedupeLimits() {
    return DedupeLimits.LIVE.withMaxIds(maxDedupeIdsPerPartition);
  }

  /** A configuration with specwatch's defaults for everything but the essentials. */
  public static KafkaSourceConfig of(String bootstrapServers, String groupId, List<String> topics,
      String violationsTopic) {
    return new KafkaSourceConfig(bootstrapServers, groupId, topics, null, StartPosition.COMMITTED,
        GroupProtocol.CLASSIC, Map.of(), violationsTopic, null, 4, (short) 1, null, null,
        1 << 20, null, null, false, 4, 0, DedupeLimits.DEFAULT_MAX_IDS, 0);
  }

  public KafkaSourceConfig withStartPosition(StartPosition p) {
    return new KafkaSourceConfig(bootstrapServers, groupId, topics, topicPattern, p, groupProtocol,
        clientProperties, violationsTopic, changelogTopic, changelogPartitions, replicationFactor,
        commitInterval, transactionalId, maxDocumentBytes, idlePartitionTimeout,
        checkpointInterval, repartition,
        repartitionPartitions, maxLiveInstancesPerPartition,
        maxDedupeIdsPerPartition, applyThreads);
  }

  public KafkaSourceConfig withGroupProtocol(GroupProtocol g) {
    return new KafkaSourceConfig(bootstrapServers, groupId, topics, topicPattern, startPosition, g,
        clientProperties, violationsTopic, changelogTopic, changelogPartitions, replicationFactor,
        commitInterval, transactionalId, maxDocumentBytes, idlePartitionTimeout,
        checkpointInterval, repartition,
        repartitionPartitions, maxLiveInstancesPerPartition,
        maxDedupeIdsPerPartition, applyThreads);
  }

  public KafkaSourceConfig withClientProperties(Map<String, String> props) {
    return new KafkaSourceConfig(bootstrapServers, groupId, topics, topicPattern, startPosition,
        groupProtocol, props, violationsTopic, changelogTopic, changelogPartitions,
        replicationFactor, commitInterval, transactionalId, maxDocumentBytes, idlePartitionTimeout,
        checkpointInterval, repartition,
        repartitionPartitions, maxLiveInstancesPerPartition,
        maxDedupeIdsPerPartition, applyThreads);
  }

  public KafkaSourceConfig withTransactionalId(String id) {
    return new KafkaSourceConfig(bootstrapServers, groupId, topics, topicPattern, startPosition,
        groupProtocol, clientProperties, violationsTopic, changelogTopic, changelogPartitions,
        replicationFactor, commitInterval, id, maxDocumentBytes, idlePartitionTimeout,
        checkpointInterval, repartition,
        repartitionPartitions, maxLiveInstancesPerPartition,
        maxDedupeIdsPerPartition, applyThreads);
  }

  public KafkaSourceConfig withCommitInterval(Duration d) {
    return new KafkaSourceConfig(bootstrapServers, groupId, topics, topicPattern, startPosition,
        groupProtocol, clientProperties, violationsTopic, changelogTopic, changelogPartitions,
        replicationFactor, d, transactionalId, maxDocumentBytes, idlePartitionTimeout,
        checkpointInterval, repartition,
        repartitionPartitions, maxLiveInstancesPerPartition,
        maxDedupeIdsPerPartition, applyThreads);
  }

  public KafkaSourceConfig withCheckpointInterval(Duration d) {
    return new KafkaSourceConfig(bootstrapServers, groupId, topics, topicPattern, startPosition,
        groupProtocol, clientProperties, violationsTopic, changelogTopic, changelogPartitions,
        replicationFactor, commitInterval, transactionalId, maxDocumentBytes, idlePartitionTimeout, d,
        repartition, repartitionPartitions, maxLiveInstancesPerPartition,
        maxDedupeIdsPerPartition, applyThreads);
  }

  /** Switches the repartition step on, through a topic of {@code partitions} partitions. */
  public KafkaSourceConfig withRepartition(boolean on, int partitions) {
    return new KafkaSourceConfig(bootstrapServers, groupId, topics, topicPattern, startPosition,
        groupProtocol, clientProperties, violationsTopic, changelogTopic, changelogPartitions,
        replicationFactor, commitInterval, transactionalId, maxDocumentBytes, idlePartitionTimeout,
        checkpointInterval, on, partitions, maxLiveInstancesPerPartition,
        maxDedupeIdsPerPartition, applyThreads);
  }

  /** The internal topic of the repartition step: {@code <group>-repartition}. */
  public String repartitionTopic() {
    return groupId + "-repartition";
  }

  /**
   * The configuration of the repartition step's second stage: the group {@code <group>-by-entity}
   * reading the repartition topic from its start, with its own transactional id; violations,
   * changelog and every other setting are this configuration's.
   */
  KafkaSourceConfig entityStage() {
    return new KafkaSourceConfig(bootstrapServers, groupId + "-by-entity",
        List.of(repartitionTopic()), null, StartPosition.EARLIEST, groupProtocol, clientProperties,
        violationsTopic, changelogTopic, changelogPartitions, replicationFactor, commitInterval,
        transactionalId + "-by-entity", maxDocumentBytes, idlePartitionTimeout,
        checkpointInterval, false, repartitionPartitions, maxLiveInstancesPerPartition,
        maxDedupeIdsPerPartition, applyThreads);
  }

  /** Zero switches the idle-partition watermark off (the default). */
  public KafkaSourceConfig withIdlePartitionTimeout(Duration d) {
    return new KafkaSourceConfig(bootstrapServers, groupId, topics, topicPattern, startPosition,
        groupProtocol, clientProperties, violationsTopic, changelogTopic, changelogPartitions,
        replicationFactor, commitInterval, transactionalId, maxDocumentBytes, d,
        checkpointInterval, repartition,
        repartitionPartitions, maxLiveInstancesPerPartition,
        maxDedupeIdsPerPartition, applyThreads);
  }

  /** Whether idle partitions follow the member's watermark (a positive idle timeout). */
  public boolean idlePartitionsFollowWatermark() {
    return !idlePartitionTimeout.isZero() && !idlePartitionTimeout.isNegative();
  }

  public KafkaSourceConfig withTopicPattern(Pattern pattern) {
    return new KafkaSourceConfig(bootstrapServers, groupId, List.of(), pattern, startPosition,
        groupProtocol, clientProperties, violationsTopic, changelogTopic, changelogPartitions,
        replicationFactor, commitInterval, transactionalId, maxDocumentBytes, idlePartitionTimeout,
        checkpointInterval, repartition,
        repartitionPartitions, maxLiveInstancesPerPartition,
        maxDedupeIdsPerPartition, applyThreads);
  }
}
