package io.specwatch.load.bench;

import io.specwatch.core.ViolationSink;
import io.specwatch.core.engine.Monitor;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * specwatch from JSON bytes on one thread ({@link Monitor}, what {@code specwatch check} runs):
 * decode, admission and evaluation are all timed; only reading the file is not.
 */
public final class SpecwatchMonitor implements Engine {
  private final LineBatch lines;
  private final Monitor monitor;
  private final Set<String> verdicts = new HashSet<>();
  private final ViolationSink sink = Specwatch.collectInto(verdicts);

  public SpecwatchMonitor(PaymentsWorkload w) throws Exception {
    this.lines = new LineBatch(w.file);
    this.monitor = new Monitor(List.of(Specwatch.program()));
  }

  public static Factory factory() {
    return new Factory() {
      @Override
      public String name() {
        return "specwatch, JSON bytes, one thread (Monitor)";
      }

      @Override
      public Engine create(PaymentsWorkload w) throws Exception {
        return new SpecwatchMonitor(w);
      }
    };
  }

  @Override
  public void prepare(int from, int to) throws Exception {
    lines.load(from, to);
  }

  @Override
  public void process(int i) {
    monitor.accept(lines.bytes(), lines.off(i), lines.len(i), Specwatch.position(i), sink);
  }

  @Override
  public void finish() throws Exception {
    lines.close();
  }

  @Override
  public Set<String> verdicts() {
    return verdicts;
  }

  @Override
  public long liveInstances() {
    return monitor.runtimes().get(0).stats().liveInstances;
  }
}
