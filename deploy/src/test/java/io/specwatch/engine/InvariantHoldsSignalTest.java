package io.specwatch.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.specwatch.core.LinePosition;
import io.specwatch.core.engine.Monitor;
import io.specwatch.core.pipeline.Pipeline;
import io.specwatch.core.pipeline.PipelineConfig;
import io.specwatch.core.pipeline.SinkQueue;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * "Invariant holds again" reaches sinks in order with the violations, through the monitor and
 * through the pipeline's fan-out and sink queues, so an alert can resolve the moment it is true.
 */
class InvariantHoldsSignalTest {
  private static final List<String> EXPECTED = List.of(
      "invariant non_negative a",
      "holds non_negative a accounts/Account at 2000",
      "invariant non_negative a");

  @Test
  void theMonitorSignalsARepairedInvariantAfterItsViolation() {
    Monitor m = new Monitor(List.of(AccountsSpec.program()));
    AccountsSpec.Recorder out = new AccountsSpec.Recorder();
    List<byte[]> docs = documents();
    for (int i = 0; i < docs.size(); i++) {
      m.accept(docs.get(i), 0, docs.get(i).length, new LinePosition(i + 1), out);
    }
    assertEquals(EXPECTED, out.events());
  }

  @Test
  void thePipelineForwardsTheSignalThroughFanOutAndSinkQueues() throws Exception {
    AccountsSpec.Recorder first = new AccountsSpec.Recorder();
    AccountsSpec.Recorder second = new AccountsSpec.Recorder();
    SinkQueue q1 = new SinkQueue("first", first, 16, SinkQueue.Overflow.BLOCK);
    SinkQueue q2 = new SinkQueue("second", second, 16, SinkQueue.Overflow.BLOCK);
    Pipeline p = new Pipeline(List.of(AccountsSpec.program()),
        PipelineConfig.defaults().withEvaluators(2), Pipeline.fanOut(List.of(q1, q2)), null);
    List<byte[]> docs = documents();
    for (int i = 0; i < docs.size(); i++) {
      p.publish(docs.get(i), 0, docs.get(i).length, new LinePosition(i + 1));
    }
    p.close(false, 1, TimeUnit.MINUTES);
    q1.close();
    q2.close();
    assertEquals(EXPECTED, first.events());
    assertEquals(EXPECTED, second.events());
    assertEquals(2, q1.delivered(), "signals are not counted as delivered violations");
  }

  /** Breaks the invariant, repairs it, breaks it again: each break is a violation. */
  private static List<byte[]> documents() {
    return List.of(
        AccountsSpec.deposit("e1", "a", 1000, -5),
        AccountsSpec.deposit("e2", "a", 2000, 10),
        AccountsSpec.deposit("e3", "a", 3000, -20));
  }
}
