package io.specwatch.cli.demo;

import io.specwatch.core.engine.RuntimeStats;
import java.util.List;

/**
 * What a running demo looks like at one moment, for the status line and the metrics endpoint.
 * The per-spec counters are read while the pipeline runs, so they are approximate.
 *
 * @param documents lines published into the pipeline so far
 * @param backlog ring slots published but not yet evaluated
 * @param eventTime the simulated clock, epoch milliseconds
 * @param specs per-spec counters
 * @param violations violation counters, the largest first
 */
public record DemoSnapshot(long documents, long backlog, long eventTime, List<RuntimeStats> specs,
    List<ViolationCounter.Count> violations) {

  public long liveInstances() {
    long n = 0;
    for (RuntimeStats s : specs) {
      n += s.liveInstances;
    }
    return n;
  }

  public long totalViolations() {
    long n = 0;
    for (ViolationCounter.Count c : violations) {
      n += c.count();
    }
    return n;
  }
}
