package io.specwatch.cli.demo;

/**
 * The line the simulator generated last: a view over its buffers, valid until the next call to
 * {@link PaymentSimulator#next()}. Publishing it into the pipeline copies the bytes.
 */
public final class SimulatedLine {
  byte[] bytes;
  int length;
  Fault fault;
  String paymentId;
  long time;
  long number;

  SimulatedLine() {}

  public byte[] bytes() {
    return bytes;
  }

  public int length() {
    return length;
  }

  /** The fault this line carries, or null for a line of a well-behaved payment. */
  public Fault fault() {
    return fault;
  }

  /** The payment the line is about (a malformed line is a torn copy of that payment's document). */
  public String paymentId() {
    return paymentId;
  }

  /** The document's event time ({@code ts}) in epoch milliseconds. */
  public long time() {
    return time;
  }

  /** The 1-based line number: the line of a recording, and the position in violations. */
  public long number() {
    return number;
  }

  /** The line as text (for tests and tools; the hot path uses the bytes). */
  public String text() {
    return new String(bytes, 0, length, java.nio.charset.StandardCharsets.UTF_8);
  }
}
