package io.specwatch.load.jmh;

import io.specwatch.load.PaymentsLogGenerator;

/** The benchmark workload's JSON lines, in memory, for the JMH benchmarks. */
final class BenchLines {
  private BenchLines() {}

  /** {@code lines} lines over {@code entities} payments in flight, no per-line faults. */
  static byte[][] generate(int lines, int entities) {
    PaymentsLogGenerator g = new PaymentsLogGenerator(new PaymentsLogGenerator.Options()
        .lines(lines).entities(entities).seed(1).lineFaults(false));
    byte[][] out = new byte[lines][];
    for (int i = 0; i < lines; i++) {
      out[i] = g.next();
    }
    return out;
  }
}
