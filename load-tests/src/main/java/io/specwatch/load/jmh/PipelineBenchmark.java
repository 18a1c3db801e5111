package io.specwatch.load.jmh;

import io.specwatch.core.LinePosition;
import io.specwatch.core.pipeline.Pipeline;
import io.specwatch.core.pipeline.PipelineConfig;
import io.specwatch.load.bench.Specwatch;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.LongAdder;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The whole pipeline from JSON bytes: one invocation publishes {@value #BATCH} lines into the
 * {@link Pipeline} ring and waits until every one has been decoded and evaluated (publish to
 * last verdict). The pipeline's own threads (decode, evaluators) run next to the benchmark
 * thread, which is the source (and, decoding on publish, the decoder too; {@code -p decode=...}).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class PipelineBenchmark {
  static final int BATCH = 10_000;

  @Param("1000000")
  int lines;

  @Param("100000")
  int entities;

  @Param("1")
  int evaluators;

  @Param("SLEEPING")
  String waitStrategy;

  /** AUTO (on publish on 2 cores with one evaluator), ON_PUBLISH or OWN_THREAD. */
  @Param("AUTO")
  String decode = "AUTO"; // also when set up outside JMH (JmhBenchmarksTest)

  private byte[][] log;
  private Pipeline pipeline;
  private final LongAdder violations = new LongAdder();
  private int next;

  @Setup(Level.Trial)
  public void setUp() {
    log = BenchLines.generate(lines, entities);
    pipeline = new Pipeline(List.of(Specwatch.program()), PipelineConfig.defaults()
        .withSingleSource() // this benchmark's thread is the only publisher
        .withEvaluators(evaluators)
        .withWaitStrategy(PipelineConfig.WaitStrategyKind.valueOf(waitStrategy))
        .withDecode(PipelineConfig.DecodeMode.valueOf(decode)),
        v -> violations.increment(), null);
  }

  @TearDown(Level.Trial)
  public void tearDown() throws TimeoutException {
    pipeline.close(false, 1, TimeUnit.MINUTES);
  }

  @Benchmark
  @OperationsPerInvocation(BATCH)
  public long publishAndDrain() {
    for (int i = 0; i < BATCH; i++) {
      byte[] line = log[next];
      // The log repeats when used up: event time jumps back, so later rounds are late documents.
      next = next + 1 == log.length ? 0 : next + 1;
      pipeline.publish(line, 0, line.length, new LinePosition(next));
    }
    while (pipeline.backlog() > 0) {
      Thread.onSpinWait();
    }
    return violations.sum();
  }
}
