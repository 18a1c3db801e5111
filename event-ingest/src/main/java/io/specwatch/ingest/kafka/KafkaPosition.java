package io.specwatch.ingest.kafka;

import io.specwatch.core.Position;
import io.specwatch.core.json.JsonText;

/**
 * Where a document came from in Kafka: every violation it raises carries
 * {@code "topic":..., "partition":..., "offset":...} in place of {@code "line"}, so the record
 * that raised it can be fetched again ({@code kcat -C -t T -p P -o O -c 1}).
 */
public record KafkaPosition(String topic, int partition, long offset) implements Position {
  @Override
  public void appendJsonMembers(StringBuilder sb) {
    sb.append("\"topic\":");
    JsonText.appendString(sb, topic);
    sb.append(",\"partition\":").append(partition).append(",\"offset\":").append(offset);
  }
}
