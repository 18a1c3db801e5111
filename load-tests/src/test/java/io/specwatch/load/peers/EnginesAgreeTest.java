package io.specwatch.load.peers;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.specwatch.core.pipeline.PipelineConfig;
import io.specwatch.load.PaymentsLogGenerator;
import io.specwatch.load.bench.ArrayBaseline;
import io.specwatch.load.bench.Engine;
import io.specwatch.load.bench.HashMapBaseline;
import io.specwatch.load.bench.PaymentsWorkload;
import io.specwatch.load.bench.SpecwatchEvaluation;
import io.specwatch.load.bench.SpecwatchMonitor;
import io.specwatch.load.bench.SpecwatchPipeline;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every engine of the benchmark, peers included, on one small workload (a few seconds): each
 * must raise exactly the ground truth's verdicts, every fault kind present. This is what makes
 * the side-by-side figures comparable: the same rules, the same answers. The full-size run is the
 * documented SideBySide command.
 */
class EnginesAgreeTest {
  @TempDir static Path dir;
  static PaymentsWorkload w;

  @BeforeAll
  static void workload() throws Exception {
    // A high fault rate so that every rule fires often on few events.
    w = PaymentsWorkload.generate(new PaymentsLogGenerator.Options().lines(40_000).entities(2_000)
        .seed(7).faultRate(0.05), dir.resolve("bench.jsonl"));
  }

  @Test
  void groundTruthHasEveryRule() {
    for (String rule : List.of("capture_within_authorization", "captured", "refunded", "settle")) {
      assertTrue(w.truth.stream().anyMatch(v -> v.startsWith(rule + " ")), "no " + rule + " verdict");
    }
  }

  @Test
  void specwatchEvaluation() throws Exception {
    assertAgrees(SpecwatchEvaluation.factory());
  }

  @Test
  void specwatchMonitor() throws Exception {
    assertAgrees(SpecwatchMonitor.factory());
  }

  @Test
  void specwatchPipelineWithTwoEvaluators() throws Exception {
    assertAgrees(SpecwatchPipeline.factory(PipelineConfig.defaults().withEvaluators(2)));
  }

  @Test
  void primitiveArrayBaseline() throws Exception {
    assertAgrees(ArrayBaseline.factory());
  }

  @Test
  void hashMapBaseline() throws Exception {
    assertAgrees(HashMapBaseline.factory());
  }

  @Test
  void esper() throws Exception {
    assertAgrees(EsperEngine.factory());
  }

  @Test
  void kafkaStreams() throws Exception {
    assertAgrees(KafkaStreamsEngine.factory());
  }

  private static void assertAgrees(Engine.Factory f) throws Exception {
    Engine e = f.create(w);
    try {
      for (int from = 0; from < w.events; from += 1000) {
        int to = Math.min(w.events, from + 1000);
        e.prepare(from, to);
        for (int i = from; i < to; i++) {
          e.process(i);
        }
      }
      e.finish();
      assertEquals(new TreeSet<>(w.truth), new TreeSet<>(Set.copyOf(e.verdicts())), f.name());
      assertTrue(e.liveInstances() > 1_000, f.name() + " holds " + e.liveInstances() + " instances");
    } finally {
      e.close();
    }
  }
}
