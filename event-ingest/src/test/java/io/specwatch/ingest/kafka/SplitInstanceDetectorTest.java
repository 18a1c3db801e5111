package io.specwatch.ingest.kafka;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.specwatch.core.Violation;
import io.specwatch.core.engine.Monitor;
import io.specwatch.core.program.Program;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;

/** Instances whose documents arrive on two partitions are found; well-keyed ones are not. */
class SplitInstanceDetectorTest {
  @Test
  void anInstanceOnTwoPartitionsIsReportedWithBoth() {
    List<Program> programs = TestSpecs.compile(TestSpecs.paymentsLoadSpec());
    PartitionRuntime p0 = runtime(programs, 0, List.of(doc("p-1", "e1", 1000), doc("p-2", "e2", 2000)));
    PartitionRuntime p1 = runtime(programs, 1, List.of(doc("p-3", "e3", 1000)));
    assertTrue(SplitInstanceDetector.scan(List.of(p0, p1)).isEmpty(), "keyed by entity: no split");

    PartitionRuntime p2 = runtime(programs, 2, List.of(doc("p-1", "e4", 3000)));
    List<SplitInstanceDetector.Split> splits = SplitInstanceDetector.scan(List.of(p0, p1, p2));
    assertEquals(1, splits.size(), splits.toString());
    assertEquals("p-1", splits.get(0).key());
    assertEquals("Payment", splits.get(0).entity());
    assertEquals(2, splits.get(0).partitions().size());
  }

  private static String doc(String payment, String id, long ts) {
    return "{\"type\":\"payment.authorized\",\"amount_cents\":100,\"currency\":\"EUR\","
        + "\"payment_id\":\"" + payment + "\",\"event_id\":\"" + id + "\",\"ts\":" + ts + "}";
  }

  private static PartitionRuntime runtime(List<Program> programs, int partition, List<String> docs) {
    Monitor m = new Monitor(programs);
    List<Violation> out = new ArrayList<>();
    TestSpecs.feed(m, docs, 0, docs.size(), out);
    return new PartitionRuntime(new TopicPartition("t", partition), m, docs.size());
  }
}
