package io.specwatch.ingest.kafka;

import io.specwatch.core.engine.SpecRuntime;
import io.specwatch.core.program.EntityType;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.TopicPartition;

/**
 * Finds entity instances that live in the runtimes of two or more partitions at once. With state
 * per partition (and no repartition step), such an instance is really several instances, each
 * seeing part of its events, so its verdicts are wrong; the member reports how many there are (a
 * metric) and warns with examples. The scan costs one pass over the live instances, so the member
 * runs it at a low frequency. It sees the partitions of this member only: a split across members
 * goes unnoticed.
 */
final class SplitInstanceDetector {
  /** One instance seen on several partitions. */
  record Split(String spec, String entity, String key, List<TopicPartition> partitions) {}

  private SplitInstanceDetector() {}

  /** The instances held by more than one of these partition runtimes. */
  static List<Split> scan(Collection<PartitionRuntime> runtimes) {
    List<Split> splits = new ArrayList<>();
    if (runtimes.size() < 2) {
      return splits;
    }
    PartitionRuntime any = runtimes.iterator().next();
    List<SpecRuntime> specs = any.monitor.runtimes();
    for (int s = 0; s < specs.size(); s++) {
      for (EntityType entity : specs.get(s).program().entities()) {
        Map<String, List<TopicPartition>> seen = new HashMap<>();
        for (PartitionRuntime rt : runtimes) {
          for (String key : rt.monitor.runtimes().get(s).liveKeys(entity.name())) {
            seen.computeIfAbsent(key, k -> new ArrayList<>(1)).add(rt.partition);
          }
        }
        for (Map.Entry<String, List<TopicPartition>> e : seen.entrySet()) {
          if (e.getValue().size() > 1) {
            splits.add(new Split(specs.get(s).program().name(), entity.name(), e.getKey(),
                e.getValue()));
          }
        }
      }
    }
    return splits;
  }
}
