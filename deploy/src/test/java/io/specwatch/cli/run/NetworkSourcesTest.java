package io.specwatch.cli.run;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.specwatch.cli.config.SourcesConfig;
import io.specwatch.ingest.kafka.KafkaSourceConfig;
import io.specwatch.ingest.kafka.KafkaSourceConfig.GroupProtocol;
import io.specwatch.ingest.kafka.KafkaSourceConfig.StartPosition;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The daemon's Kafka settings reach the Kafka source field by field (many share a type). */
class NetworkSourcesTest {
  @Test
  void everyDaemonKafkaSettingLandsInItsOwnField() {
    SourcesConfig.KafkaSource k = new SourcesConfig.KafkaSource("b:1", List.of(), "in-.*", "grp",
        StartPosition.LATEST, GroupProtocol.CONSUMER, Map.of("security.protocol", "SSL"),
        Duration.ofMillis(11), Duration.ofMillis(2222), "chg", 7, (short) 3, null, 5,
        Duration.ofMillis(333), true, 9);
    KafkaSourceConfig c = NetworkSources.kafkaSourceConfig(k, "viol", "grp-tx", 4096, 1234,
        5678);
    assertEquals("b:1", c.bootstrapServers());
    assertEquals("grp", c.groupId());
    assertEquals(List.of(), c.topics());
    assertEquals("in-.*", c.topicPattern().pattern());
    assertEquals(StartPosition.LATEST, c.startPosition());
    assertEquals(GroupProtocol.CONSUMER, c.groupProtocol());
    assertEquals(Map.of("security.protocol", "SSL"), c.clientProperties());
    assertEquals("viol", c.violationsTopic());
    assertEquals("chg", c.changelogTopic());
    assertEquals(7, c.changelogPartitions());
    assertEquals(3, c.replicationFactor());
    assertEquals(Duration.ofMillis(11), c.commitInterval());
    assertEquals("grp-tx", c.transactionalId());
    assertEquals(4096, c.maxDocumentBytes());
    assertEquals(Duration.ofMillis(333), c.idlePartitionTimeout());
    assertEquals(Duration.ofMillis(2222), c.checkpointInterval());
    assertEquals(true, c.repartition());
    assertEquals(9, c.repartitionPartitions());
    assertEquals(1234, c.maxLiveInstancesPerPartition());
    assertEquals(5678, c.maxDedupeIdsPerPartition());
    assertEquals(5, c.applyThreads());
  }

  @Test
  void unsetNamesTakeTheSourcesDefaults() {
    KafkaSourceConfig c = NetworkSources.kafkaSourceConfig(
        SourcesConfig.KafkaSource.of("b:1", List.of("t"), "grp"), "viol", "grp-tx", 4096, 0, 0);
    assertEquals("grp-specwatch-changelog", c.changelogTopic());
    assertEquals(List.of("t"), c.topics());
    assertEquals(null, c.topicPattern());
  }
}
