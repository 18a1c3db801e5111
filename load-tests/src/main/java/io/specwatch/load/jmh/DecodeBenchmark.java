package io.specwatch.load.jmh;

import io.specwatch.core.LinePosition;
import io.specwatch.core.engine.Admission;
import io.specwatch.core.engine.AdmittedDocument;
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
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Decode per event: one JSON line (about 190 bytes) to an admitted document: the streaming parse
 * of the paths the spec reads ({@link SpecInputs}), then {@link Admission} (event matching,
 * field decoding, RFC 3339 time, watermark). Lines cycle through an in-memory log.
 * {@link #parse} times the first half alone (the byte-level decoder since session 4).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class DecodeBenchmark {
  @Param("100000")
  int lines;

  private byte[][] log;
  private SpecInputs inputs;
  private Admission admission;
  private AdmittedDocument admitted;
  private final LinePosition position = new LinePosition(1);
  private int next;

  @Setup(Level.Trial)
  public void setUp() {
    log = BenchLines.generate(lines, Math.max(1, lines / 100));
    Program program = Specwatch.program();
    inputs = new SpecInputs(List.of(program), DocumentDecoder.DEFAULT_MAX_DEPTH);
    admission = new Admission(program, inputs.view(0));
    admitted = new AdmittedDocument(program);
  }

  @Benchmark
  public int decode() {
    byte[] line = log[next];
    next = next + 1 == log.length ? 0 : next + 1;
    String reason = inputs.decode(line, 0, line.length);
    if (reason != null) {
      throw new IllegalStateException("benchmark line is malformed: " + reason);
    }
    admission.admit(position, admitted);
    return admitted.eventCount();
  }

  /** The parse alone: bytes to the captured values (what Jackson plus a UTF-8 pass did before). */
  @Benchmark
  public String parse() {
    byte[] line = log[next];
    next = next + 1 == log.length ? 0 : next + 1;
    return inputs.decode(line, 0, line.length);
  }
}
