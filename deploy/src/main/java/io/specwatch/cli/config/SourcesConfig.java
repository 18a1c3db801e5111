package io.specwatch.cli.config;

import io.specwatch.ingest.kafka.KafkaSourceConfig.GroupProtocol;
import io.specwatch.ingest.kafka.KafkaSourceConfig.StartPosition;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * Where documents come from. Any number of files; the others at most once each, null when off.
 */
public record SourcesConfig(List<FileSource> files, boolean stdin, KafkaSource kafka,
    OtlpSource otlp, HttpSource http) {

  public SourcesConfig {
    files = List.copyOf(files);
  }

  /** Whether nothing at all is configured (a configuration error: the daemon would idle). */
  public boolean none() {
    return files.isEmpty() && !stdin && kafka == null && otlp == null && http == null;
  }

  /**
   * A JSONL file.
   *
   * @param follow keep reading as the file grows (like {@code tail -F}); otherwise stop at its end
   */
  public record FileSource(Path path, boolean follow) {}

  /**
   * A Kafka consumer group over some topics; each record value is one JSON document. One to one
   * with the Kafka source's own settings ({@code KafkaSourceConfig}, docs/kafka.md section 1).
   *
   * @param topics the topics to read, or empty when {@code topicPattern} is set
   * @param topicPattern a regular expression of topics to read (checked to compile), or null
   * @param properties passed unchanged to every Kafka client (security.protocol, sasl.*, ssl.*,
   *     tuning); values may hold secrets, so {@link #toString()} shows the keys only
   * @param changelogTopic null: {@code <group>-specwatch-changelog}
   * @param transactionalId null: the daemon's own, kept in its state directory
   * @param applyThreads 0: one per processor
   * @param idlePartitionTimeout zero = off; see docs/kafka.md section 4
   * @param repartition re-key documents by entity key through {@code <group>-repartition}
   *     (docs/kafka.md section 6), with {@code repartitionPartitions} partitions
   */
  public record KafkaSource(String bootstrapServers, List<String> topics, String topicPattern,
      String groupId, StartPosition startPosition, GroupProtocol groupProtocol,
      Map<String, String> properties, Duration commitInterval, Duration checkpointInterval,
      String changelogTopic, int changelogPartitions, short replicationFactor,
      String transactionalId, int applyThreads, Duration idlePartitionTimeout,
      boolean repartition, int repartitionPartitions) {
    public static final Duration DEFAULT_COMMIT_INTERVAL = Duration.ofMillis(100);
    public static final Duration DEFAULT_CHECKPOINT_INTERVAL = Duration.ofSeconds(10);

    public KafkaSource {
      topics = List.copyOf(topics);
      properties = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(properties));
    }

    /** Topics and a group, everything else at its default. */
    public static KafkaSource of(String bootstrapServers, List<String> topics, String groupId) {
      return new KafkaSource(bootstrapServers, topics, null, groupId, StartPosition.COMMITTED,
          GroupProtocol.CLASSIC, Map.of(), DEFAULT_COMMIT_INTERVAL, DEFAULT_CHECKPOINT_INTERVAL,
          null, 4, (short) 1, null, 0, Duration.ZERO, false, 4);
    }

    /** Without the property values, which may be passwords. */
    @Override
    public String toString() {
      return "KafkaSource[bootstrapServers=" + bootstrapServers + ", topics=" + topics
          + ", topicPattern=" + topicPattern + ", groupId=" + groupId + ", startPosition="
          + startPosition + ", groupProtocol=" + groupProtocol
          + ", properties=" + properties.keySet()
          + ", commitInterval=" + commitInterval + ", checkpointInterval=" + checkpointInterval
          + ", changelogTopic=" + changelogTopic + ", changelogPartitions=" + changelogPartitions
          + ", replicationFactor=" + replicationFactor + ", transactionalId=" + transactionalId
          + ", applyThreads=" + applyThreads + ", idlePartitionTimeout=" + idlePartitionTimeout
          + ", repartition=" + repartition
          + ", repartitionPartitions=" + repartitionPartitions + "]";
    }
  }

  /** OTLP receivers for logs and spans; a port of 0 turns that protocol off. */
  public record OtlpSource(String host, int httpPort, int grpcPort, ReceiverSettings receiver) {}

  /** {@code POST /v1/events} with JSON lines in the body, for sidecars. */
  public record HttpSource(String host, int port, ReceiverSettings receiver) {}
}
