package io.specwatch.alert.jsonl;

import io.specwatch.core.Violation;
import io.specwatch.core.ViolationSink;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/**
 * Writes each violation as one JSON line (the {@code check} contract's format) to a stream, with
 * a buffer that is flushed by {@link #flush()}. Counts what it wrote, per kind, for summaries.
 */
public final class JsonlViolationWriter implements ViolationSink {
  private final OutputStream out;
  private final StringBuilder line = new StringBuilder(512);
  private final long[] countsByKind = new long[io.specwatch.core.ViolationKind.values().length];
  private long written;

  public JsonlViolationWriter(OutputStream out) {
    this.out = out;
  }

  @Override
  public void accept(Violation v) {
    line.setLength(0);
    v.appendJson(line);
    line.append('\n');
    try {
      out.write(line.toString().getBytes(StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write a violation", e);
    }
    written++;
    countsByKind[v.kind().ordinal()]++;
  }

  public void flush() throws IOException {
    out.flush();
  }

  public long written() {
    return written;
  }

  public long count(io.specwatch.core.ViolationKind kind) {
    return countsByKind[kind.ordinal()];
  }
}
