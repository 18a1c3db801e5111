package io.specwatch.ingest.kafka;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

class KafkaSourceConfigTest {
  @Test
  void aSourceThatWouldReadWhatItWritesIsRefused() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> KafkaSourceConfig.of("b", "g", List.of("in", "g-specwatch-changelog"), "v"));
    assertTrue(e.getMessage().contains("g-specwatch-changelog"), e.getMessage());
    assertThrows(IllegalArgumentException.class,
        () -> KafkaSourceConfig.of("b", "g", List.of("in"), "v").withTopicPattern(Pattern.compile("v|in")));
    assertThrows(IllegalArgumentException.class, () -> KafkaSourceConfig.of("b", "g", List.of("g-repartition"), "v")
        .withRepartition(true, 4));
    // Without repartition the name is nobody's; and the entity stage reads the repartition topic.
    KafkaSourceConfig c = KafkaSourceConfig.of("b", "g", List.of("in"), "v").withRepartition(true, 4);
    assertEquals(List.of("g-repartition"), c.entityStage().topics());
  }

  @Test
  void toStringShowsThePropertiesKeysNotTheirValues() {
    String s = KafkaSourceConfig.of("b", "g", List.of("in"), "v")
        .withClientProperties(Map.of("sasl.jaas.config", "password=\"hunter2\";")).toString();
    assertTrue(s.contains("sasl.jaas.config"), s);
    assertFalse(s.contains("hunter2"), s);
  }
}
