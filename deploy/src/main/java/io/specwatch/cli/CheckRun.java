package io.specwatch.cli;

import io.specwatch.alert.jsonl.JsonlViolationWriter;
import io.specwatch.core.LinePosition;
import io.specwatch.core.ViolationKind;
import io.specwatch.core.engine.Monitor;
import io.specwatch.core.engine.RuntimeStats;
import io.specwatch.core.engine.SpecRuntime;
import io.specwatch.core.program.Program;
import io.specwatch.ingest.file.JsonlReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.util.List;
import java.util.Locale;

/**
 * The offline contract: runs compiled specs over a JSONL stream in one pass, writes violations as
 * JSON lines, prints a summary and returns the exit status (0 no violation, 1 some, 2 the input
 * could not be read). Memory is bounded by live instances, not by the input's size.
 */
public final class CheckRun {
  public static final int OK = 0;
  public static final int VIOLATIONS = 1;
  public static final int FAILURE = 2;

  private final List<Program> programs;
  private final boolean flush;
  private final int maxDocumentBytes;

  public CheckRun(List<Program> programs, boolean flush, int maxDocumentBytes) {
    this.programs = programs;
    this.flush = flush;
    this.maxDocumentBytes = maxDocumentBytes;
  }

  public int run(InputStream events, String eventsName, OutputStream out, PrintStream err) {
    long started = System.nanoTime();
    Monitor monitor = new Monitor(programs);
    JsonlViolationWriter writer = new JsonlViolationWriter(out);
    JsonlReader reader = new JsonlReader(events, maxDocumentBytes);
    try {
      reader.readAll(new JsonlReader.Handler() {
        @Override
        public void document(byte[] buf, int off, int len, long line) {
          monitor.accept(buf, off, len, new LinePosition(line), writer);
        }

        @Override
        public void oversized(long line, long size) {
          monitor.reject(new LinePosition(line), "document of " + size + " bytes exceeds the limit of "
              + maxDocumentBytes + " bytes (--max-document-bytes)", writer);
        }
      });
      if (flush) {
        monitor.flush(writer);
      }
      writer.flush();
    } catch (IOException e) {
      try {
        writer.flush();
      } catch (IOException ignored) {
        // stdout is gone too; the message below is what matters
      }
      err.println("specwatch: cannot read events from " + eventsName + ": " + SpecFiles.describe(e));
      return FAILURE;
    }
    double seconds = (System.nanoTime() - started) / 1e9;
    printSummary(err, reader, monitor, writer, seconds);
    return writer.written() > 0 ? VIOLATIONS : OK;
  }

  private static void printSummary(PrintStream err, JsonlReader reader, Monitor monitor,
      JsonlViolationWriter writer, double seconds) {
    err.printf(Locale.ROOT, "specwatch check: %d lines (%d blank) in %.2f s, %.0f lines/s%n",
        reader.lines(), reader.blankLines(), seconds, reader.lines() / Math.max(seconds, 1e-9));
    for (SpecRuntime rt : monitor.runtimes()) {
      RuntimeStats s = rt.stats();
      err.printf(Locale.ROOT,
          "  %s: %d violations (%d transition, %d invariant, %d deadline, %d malformed, %d error); "
              + "%d invariants resolved; %d events, %d duplicates, %d ignored; %d live instances, "
              + "%d deadlines still armed%n",
          rt.program().name(), s.violations, s.transitionViolations, s.invariantViolations,
          s.deadlineViolations, s.malformed, s.errors, s.invariantResolutions, s.events, s.duplicates,
          s.ignored, s.liveInstances, s.armedDeadlines);
      if (s.evictedIds > 0) {
        err.printf(Locale.ROOT, "  %s: dedupe memory was full: %d oldest ids forgotten%n",
            rt.program().name(), s.evictedIds);
      }
    }
    err.printf(Locale.ROOT, "  total: %d violations (%d malformed)%n", writer.written(),
        writer.count(ViolationKind.MALFORMED));
  }
}
