package io.specwatch.load.bench;

import io.specwatch.core.LinePosition;
import io.specwatch.core.ViolationSink;
import io.specwatch.core.engine.Monitor;
import io.specwatch.core.engine.RuntimeStats;
import io.specwatch.load.PaymentsLogGenerator;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;

/**
 * How many live payments fit in the heap: feeds {@code payments-bench.sw} an authorization and a
 * capture for each of N distinct payments (a captured payment never ends, so every one stays
 * live; the capture disarms its deadline), then reports the heap retained after a full GC per live
 * instance. Run it with the heap of the target, e.g. {@code -Xmx2g} for "10M live instances in a
 * 2 GB heap"; running out of memory is reported with how far it got.
 *
 * <pre>
 * java -Xmx2g -cp load-tests/target/specwatch-load.jar io.specwatch.load.bench.LiveInstancesRunner --instances 10m
 * </pre>
 */
public final class LiveInstancesRunner {
  private LiveInstancesRunner() {}

  public static void main(String[] args) {
    System.exit(run(args, System.out));
  }

  static int run(String[] args, PrintStream out) {
    long instances = 10_000_000;
    for (int i = 0; i < args.length; i++) {
      if (args[i].equals("--instances")) {
        instances = PaymentsLogGenerator.parseCount(args[++i]);
      } else {
        out.println("usage: LiveInstancesRunner [--instances N (10m)]");
        return 2;
      }
    }
    Runtime rt = Runtime.getRuntime();
    out.printf(Locale.ROOT, "max heap %,d MB; %,d payments, each authorized then captured%n",
        rt.maxMemory() >> 20, instances);
    System.gc();
    long before = usedHeap();
    Monitor monitor = new Monitor(List.of(Specwatch.program()));
    long[] violations = new long[1];
    ViolationSink sink = v -> violations[0]++;
    byte[] buf = new byte[256];
    long t0 = System.nanoTime();
    long done = 0;
    long ts = PaymentsLogGenerator.DEFAULT_START_MILLIS;
    try {
      for (long p = 0; p < instances; p++) {
        String key = "pay_" + PaymentsLogGenerator.pad(p, 10);
        int n = line(buf, ts++, "payment.authorized", key);
        monitor.accept(buf, 0, n, new LinePosition(2 * p + 1), sink);
        n = line(buf, ts++, "payment.captured", key);
        monitor.accept(buf, 0, n, new LinePosition(2 * p + 2), sink);
        done = p + 1;
        if (done % 1_000_000 == 0) {
          out.printf(Locale.ROOT, "  %,d live, heap used %,d MB%n", done, usedHeap() >> 20);
        }
      }
    } catch (OutOfMemoryError e) {
      monitor = null;
      out.printf(Locale.ROOT, "OUT OF MEMORY after %,d live instances%n", done);
      return 1;
    }
    double seconds = (System.nanoTime() - t0) / 1e9;
    System.gc();
    System.gc();
    long retained = usedHeap() - before;
    RuntimeStats s = monitor.runtimes().get(0).stats();
    out.printf(Locale.ROOT, "%,d live instances (%,d violations) in %.1f s (%,.0f events/s);"
            + " retained %,d MB after full GC: %.0f bytes per live instance%n",
        s.liveInstances, violations[0], seconds, 2 * done / seconds, retained >> 20,
        (double) retained / s.liveInstances);
    return s.liveInstances == instances && violations[0] == 0 ? 0 : 1;
  }

  private static int line(byte[] buf, long ts, String type, String key) {
    String json = "{\"ts\":" + ts + ",\"type\":\"" + type + "\",\"payment_id\":\"" + key
        + "\",\"amount_cents\":1000}";
    byte[] b = json.getBytes(StandardCharsets.US_ASCII);
    System.arraycopy(b, 0, buf, 0, b.length);
    return b.length;
  }

  private static long usedHeap() {
    return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
  }
}
