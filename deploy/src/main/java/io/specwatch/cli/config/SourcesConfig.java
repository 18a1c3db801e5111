package io.specwatch.cli.config;

import java.nio.file.Path;
import java.util.List;

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
   * A Kafka consumer group over some topics; each record value is one JSON document.
   *
   * @param idlePartitionTimeout zero = off; see docs/kafka.md section 4
   * @param repartition re-key documents by entity key through {@code <group>-repartition}
   *     (docs/kafka.md section 6), with {@code repartitionPartitions} partitions
   */
  public record KafkaSource(String bootstrapServers, List<String> topics, String groupId,
      java.time.Duration idlePartitionTimeout, boolean repartition, int repartitionPartitions) {
    public KafkaSource {
      topics = List.copyOf(topics);
    }

    /** With the defaults: no idle timeout, no repartition. */
    public KafkaSource(String bootstrapServers, List<String> topics, String groupId) {
      this(bootstrapServers, topics, groupId, java.time.Duration.ZERO, false, 4);
    }
  }

  /** OTLP receivers for logs and spans; a port of 0 turns that protocol off. */
  public record OtlpSource(String host, int httpPort, int grpcPort, ReceiverSettings receiver) {}

  /** {@code POST /v1/events} with JSON lines in the body, for sidecars. */
  public record HttpSource(String host, int port, ReceiverSettings receiver) {}
}
