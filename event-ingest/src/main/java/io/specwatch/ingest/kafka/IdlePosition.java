package io.specwatch.ingest.kafka;

import io.specwatch.core.Position;
import io.specwatch.core.json.JsonText;

/**
 * The position of a deadline fired in an idle partition by the member's watermark, with no
 * record of that partition to point at: {@code "topic"}, {@code "partition"}, and
 * {@code "idle_after_offset"}, the last record the partition had applied (-1 for none). The
 * distinct member name says the deadline was fired by other partitions' event time.
 */
public record IdlePosition(String topic, int partition, long afterOffset) implements Position {
  @Override
  public void appendJsonMembers(StringBuilder sb) {
    sb.append("\"topic\":");
    JsonText.appendString(sb, topic);
    sb.append(",\"partition\":").append(partition).append(",\"idle_after_offset\":")
        .append(afterOffset);
  }
}
