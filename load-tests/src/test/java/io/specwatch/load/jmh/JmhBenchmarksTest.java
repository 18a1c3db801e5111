package io.specwatch.load.jmh;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.openjdk.jmh.infra.Blackhole;

/**
 * The JMH benchmarks are generated (annotation processing) and their bodies work: each is run
 * for a few operations on a small log, outside JMH, and checked for what it computes.
 */
class JmhBenchmarksTest {
  @Test
  void annotationProcessingListedTheBenchmarks() throws Exception {
    try (InputStream in = getClass().getResourceAsStream("/META-INF/BenchmarkList")) {
      String list = new String(in.readAllBytes(), StandardCharsets.UTF_8);
      for (String b : new String[] {"EvaluateBenchmark", "DecodeBenchmark", "PipelineBenchmark"}) {
        assertTrue(list.contains("io.specwatch.load.jmh." + b), b + " missing from " + list);
      }
    }
  }

  @Test
  void decodeAdmitsOneEventPerLine() {
    DecodeBenchmark b = new DecodeBenchmark();
    b.lines = 500;
    b.setUp();
    for (int i = 0; i < 1_200; i++) { // wraps around the log twice
      assertEquals(1, b.decode());
    }
  }

  @Test
  void evaluateRaisesTheLogsViolations() {
    EvaluateBenchmark b = new EvaluateBenchmark();
    b.lines = 40_000;
    b.entities = 1_000;
    b.setUp(new Blackhole(
        "Today's password is swordfish. I understand instantiating Blackholes directly is dangerous."));
    for (int i = 0; i < 5; i++) { // 50k documents: the log restarts once
      b.admitNextBatch();
      b.evaluate();
    }
    assertTrue(b.violations > 10, "violations: " + b.violations);
  }

  @Test
  void pipelineDrainsEveryBatch() throws Exception {
    PipelineBenchmark b = new PipelineBenchmark();
    b.lines = 30_000;
    b.entities = 1_000;
    b.evaluators = 2;
    b.waitStrategy = "BLOCKING";
    b.setUp();
    try {
      long violations = 0;
      for (int i = 0; i < 3; i++) {
        violations = b.publishAndDrain();
      }
      assertTrue(violations > 10, "violations: " + violations);
    } finally {
      b.tearDown();
    }
  }
}
