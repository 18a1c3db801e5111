package io.specwatch.load;

import io.specwatch.core.checkpoint.BinaryStateReader;
import io.specwatch.core.checkpoint.BinaryStateWriter;
import io.specwatch.core.checkpoint.CompactStateReader;
import io.specwatch.core.checkpoint.CompactStateWriter;
import io.specwatch.core.engine.Monitor;
import io.specwatch.core.engine.SpecRuntime;
import io.specwatch.core.program.Program;
import java.util.List;
import java.util.Locale;

/**
 * One spec's checkpoint in both state forms, side by side in one JVM: the fixed-width
 * {@link BinaryStateWriter} (checkpoint format version 1) and the compact
 * {@link CompactStateWriter} (version 2). Feeds a generated payments log through the Monitor API
 * ({@code payments-load.sw}, 10k payments in flight, as the Kafka benchmark's partitions see it),
 * then exports and imports the state in each form, alternating, and prints bytes and mean times.
 *
 * <p>Run: {@code java -cp load-tests/target/specwatch-load.jar io.specwatch.load.CheckpointSize
 * [events (125000: one partition's share of the Kafka benchmark)] [rounds (20)]}.
 */
public final class CheckpointSize {
  private CheckpointSize() {}

  public static void main(String[] args) throws Exception {
    long events = args.length > 0 ? Long.parseLong(args[0]) : 125_000;
    int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 20;
    List<Program> programs = PaymentsLogGenerator.compiledSpec();
    Monitor monitor = new Monitor(programs);
    PaymentsLogGenerator gen = new PaymentsLogGenerator(
        new PaymentsLogGenerator.Options().lines(events).entities(10_000).lineFaults(false));
    while (gen.hasNext()) {
      byte[] line = gen.next();
      monitor.accept(line, 0, line.length, null, v -> { });
    }
    SpecRuntime rt = monitor.runtimes().get(0);
    System.out.printf(Locale.ROOT, "%,d events: %,d live instances, %,d remembered ids%n", events,
        rt.stats().liveInstances, rt.stats().rememberedIds);
    long[] bytes = new long[2];
    long[] exportNanos = new long[2];
    long[] importNanos = new long[2];
    int warmUp = Math.max(1, rounds / 2);
    for (int round = 0; round < warmUp + rounds; round++) {
      for (int form = 0; form < 2; form++) { // alternating, so drift hits both alike
        long t0 = System.nanoTime();
        byte[] state = form == 0 ? fixedWidth(rt) : compact(rt);
        long t1 = System.nanoTime();
        SpecRuntime fresh = new Monitor(programs).runtimes().get(0);
        fresh.importState(form == 0 ? new BinaryStateReader(state) : new CompactStateReader(state));
        long t2 = System.nanoTime();
        if (fresh.stats().liveInstances != rt.stats().liveInstances) {
          throw new IllegalStateException("the round trip lost instances");
        }
        if (round >= warmUp) {
          exportNanos[form] += t1 - t0;
          importNanos[form] += t2 - t1;
        }
        bytes[form] = state.length;
      }
    }
    String[] names = {"fixed-width (version 1)", "compact (version 2)"};
    for (int form = 0; form < 2; form++) {
      System.out.printf(Locale.ROOT, "%-24s %,12d bytes  export %6.1f ms  import %6.1f ms"
          + " (means of %d rounds after %d)%n", names[form], bytes[form],
          exportNanos[form] / 1e6 / rounds, importNanos[form] / 1e6 / rounds, rounds, warmUp);
    }
    System.out.printf(Locale.ROOT, "fixed-width / compact: bytes %.2fx, export %.2fx, import %.2fx%n",
        (double) bytes[0] / bytes[1], (double) exportNanos[0] / exportNanos[1],
        (double) importNanos[0] / importNanos[1]);
  }

  private static byte[] fixedWidth(SpecRuntime rt) {
    BinaryStateWriter w = new BinaryStateWriter();
    rt.exportState(w);
    return w.toByteArray();
  }

  private static byte[] compact(SpecRuntime rt) {
    CompactStateWriter w = new CompactStateWriter(4096);
    rt.exportState(w);
    return w.toByteArray();
  }
}
