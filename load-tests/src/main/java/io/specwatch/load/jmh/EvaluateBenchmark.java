package io.specwatch.load.jmh;

import io.specwatch.core.LinePosition;
import io.specwatch.core.ViolationSink;
import io.specwatch.core.engine.Admission;
import io.specwatch.core.engine.AdmittedDocument;
import io.specwatch.core.engine.Evaluator;
import io.specwatch.core.engine.SpecInputs;
import io.specwatch.core.json.DocumentDecoder;
import io.specwatch.core.program.Program;
import io.specwatch.load.bench.Specwatch;
import java.util.List;
import java.util.concurrent.TimeUnit;
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
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;

/**
 * Evaluation per event: documents already decoded and admitted (outside the measurement, in a
 * per-invocation setup) are fed to the {@link Evaluator}: deadlines, handlers, invariants,
 * arming. One invocation evaluates a batch of {@value #BATCH} documents; when the in-memory log
 * is used up, the setup starts a fresh evaluator over it again.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class EvaluateBenchmark {
  static final int BATCH = 10_000;

  @Param("1000000")
  int lines;

  @Param("100000")
  int entities;

  private byte[][] log;
  private Program program;
  private SpecInputs inputs;
  private Admission admission;
  private Evaluator evaluator;
  private final AdmittedDocument[] batch = new AdmittedDocument[BATCH];
  private final LinePosition[] positions = new LinePosition[BATCH];
  private int next;
  private Blackhole blackhole;
  private ViolationSink sink;
  /** Violations raised so far (consumed by the blackhole too); read by tests. */
  long violations;

  @Setup(Level.Trial)
  public void setUp(Blackhole bh) {
    log = BenchLines.generate(lines, entities);
    program = Specwatch.program();
    for (int i = 0; i < BATCH; i++) {
      batch[i] = new AdmittedDocument(program);
    }
    blackhole = bh;
    sink = v -> {
      violations++;
      blackhole.consume(v);
    };
    restart();
  }

  private void restart() {
    inputs = new SpecInputs(List.of(program), DocumentDecoder.DEFAULT_MAX_DEPTH);
    admission = new Admission(program, inputs.view(0));
    evaluator = new Evaluator(program, 0, 1);
    next = 0;
  }

  /** Decodes and admits the next batch; not measured. */
  @Setup(Level.Invocation)
  public void admitNextBatch() {
    if (next + BATCH > log.length) {
      restart();
    }
    for (int i = 0; i < BATCH; i++) {
      byte[] line = log[next];
      LinePosition pos = new LinePosition(++next);
      positions[i] = pos;
      String reason = inputs.decode(line, 0, line.length);
      if (reason != null) {
        admission.reject(pos, reason, batch[i]);
      } else {
        admission.admit(pos, batch[i]);
      }
    }
  }

  @Benchmark
  @OperationsPerInvocation(BATCH)
  public void evaluate() {
    for (int i = 0; i < BATCH; i++) {
      evaluator.onDocument(batch[i], positions[i], sink);
    }
  }
}
