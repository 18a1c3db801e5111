package io.specwatch.cli;

import io.specwatch.alert.jsonl.JsonlViolationWriter;
import io.specwatch.core.DocumentBatch;
import io.specwatch.core.LinePosition;
import io.specwatch.core.OversizedDocument;
import io.specwatch.core.ViolationKind;
import io.specwatch.core.engine.DedupeLimits;
import io.specwatch.core.engine.Monitor;
import io.specwatch.core.engine.RuntimeStats;
import io.specwatch.core.engine.SpecRuntime;
import io.specwatch.core.pipeline.Pipeline;
import io.specwatch.core.pipeline.PipelineConfig;
import io.specwatch.core.pipeline.SinkQueue;
import io.specwatch.core.program.Program;
import io.specwatch.ingest.file.JsonlReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The offline contract: runs compiled specs over a JSONL stream in one pass, writes violations as
 * JSON lines, prints a summary and returns the exit status (0 no violation, 1 some, 2 the input
 * could not be read). Memory is bounded by live instances, not by the input's size, but for the
 * dedupe memory: that remembers every id exactly, as the contract says, up to a cap
 * ({@link DedupeLimits#forCheck}).
 *
 * <p>With {@code sequential} everything runs on the calling thread ({@link Monitor}). Otherwise
 * the work is spread over the live pipeline with one evaluator: this thread reads and splits
 * lines, and (on 2 processors, see {@link PipelineConfig.DecodeMode}) parses and admits each
 * document into the ring itself; one thread evaluates; one writes. With a single evaluator the
 * violations come out in exactly the sequential order (the pipeline's equivalence test holds it
 * to that). {@code specwatch check} pipelines by default when there are 2 processors or more
 * ({@link #pipelinedByDefault}): measured on 2 cores (2M-line payments logs, per-thread CPU
 * time), the reading thread's share is 0.71x to 0.76x of the sequential thread's and the
 * evaluator's less than that, so the pipelined run's critical path is shorter whenever both
 * threads get a core. The previous decode stage (three busy threads on 2 cores) measured slower
 * than sequential, hence the old sequential default. See load-tests/README.md, "Session 4".
 */
public final class CheckRun {
  public static final int OK = 0;
  public static final int VIOLATIONS = 1;
  public static final int FAILURE = 2;
  /** A document could not be processed because of a bug: the verdict is incomplete. */
  public static final int INTERNAL_ERROR = 3;

  private final List<Program> programs;
  private final boolean flush;
  private final int maxDocumentBytes;
  private final boolean sequential;
  private final long maxLiveInstances;
  private final DedupeLimits dedupeLimits;

  public CheckRun(List<Program> programs, boolean flush, int maxDocumentBytes, boolean sequential) {
    this(programs, flush, maxDocumentBytes, sequential, 0);
  }

  /**
   * @param maxLiveInstances per spec, 0 for no cap (the default: a check's verdict never depends
   *     on memory); past it, an event that would create one more instance is an {@code error}
   *     violation and is not applied
   */
  public CheckRun(List<Program> programs, boolean flush, int maxDocumentBytes, boolean sequential,
      long maxLiveInstances) {
    this(programs, flush, maxDocumentBytes, sequential, maxLiveInstances,
        DedupeLimits.DEFAULT_CHECK_EXACT_IDS);
  }

  /**
   * @param dedupeExactIds per spec with event time, how many ids the dedupe memory remembers
   *     exactly, as the contract says, before it forgets them as a live stream does (see
   *     {@link DedupeLimits}); the summary says when a spec passed it
   */
  public CheckRun(List<Program> programs, boolean flush, int maxDocumentBytes, boolean sequential,
      long maxLiveInstances, long dedupeExactIds) {
    this(programs, flush, maxDocumentBytes, sequential, maxLiveInstances,
        DedupeLimits.forCheck(dedupeExactIds));
  }

  /** @param dedupeLimits each spec's dedupe memory: ids remembered exactly, and held at most */
  public CheckRun(List<Program> programs, boolean flush, int maxDocumentBytes, boolean sequential,
      long maxLiveInstances, DedupeLimits dedupeLimits) {
    this.programs = programs;
    this.flush = flush;
    this.maxDocumentBytes = maxDocumentBytes;
    this.sequential = sequential;
    this.maxLiveInstances = maxLiveInstances;
    this.dedupeLimits = dedupeLimits;
  }

  public CheckRun(List<Program> programs, boolean flush, int maxDocumentBytes) {
    this(programs, flush, maxDocumentBytes, true);
  }

  /**
   * Whether {@code check} uses the pipeline unless told otherwise: on 2 processors or more, where
   * the reading-and-parsing thread and the evaluating thread each get a core. On one processor
   * the threads would only take turns, and the hand-offs cost more than they overlap.
   */
  public static boolean pipelinedByDefault() {
    return Runtime.getRuntime().availableProcessors() >= 2;
  }

  public int run(InputStream events, String eventsName, OutputStream out, PrintStream err) {
    long started = System.nanoTime();
    JsonlViolationWriter writer = new JsonlViolationWriter(out);
    JsonlReader reader = new JsonlReader(events, maxDocumentBytes);
    List<RuntimeStats> stats;
    long failures;
    try {
      if (sequential) {
        SequentialResult r = runSequential(reader, writer, err);
        stats = r.stats;
        failures = r.failures;
      } else {
        Pipeline pipeline = runPipelined(reader, writer);
        stats = pipeline.stats();
        failures = pipeline.stageFailures();
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
    printSummary(err, reader, stats, writer, seconds);
    if (failures > 0) {
      // Never a verdict on a run that skipped documents: a CI must not read this as a pass.
      err.println("specwatch: internal error: " + failures + " document(s) could not be processed "
          + "(see above); the violations written are incomplete");
      return INTERNAL_ERROR;
    }
    return writer.written() > 0 ? VIOLATIONS : OK;
  }

  private record SequentialResult(List<RuntimeStats> stats, long failures) {}

  private String oversized(long size) {
    return OversizedDocument.reason(size, maxDocumentBytes, "--max-document-bytes");
  }

  private SequentialResult runSequential(JsonlReader reader, JsonlViolationWriter writer,
      PrintStream err) throws IOException {
    Monitor monitor = new Monitor(programs, io.specwatch.core.json.DocumentDecoder.DEFAULT_MAX_DEPTH,
        0, 1, maxLiveInstances, dedupeLimits);
    long[] failures = new long[1];
    // As the pipeline does with a document whose processing throws (a bug): report, count, go
    // on with the next line (the exit status says the result is incomplete).
    Monitor.FailureHandler onFailure = (pos, e) -> {
      if (++failures[0] <= 10) {
        err.println("specwatch: internal error on line " + ((LinePosition) pos).line() + ": " + e);
        e.printStackTrace(err);
      }
    };
    reader.readAll(new BatchingHandler() {
      @Override
      void publish(DocumentBatch batch) {
        monitor.acceptAll(batch, writer, onFailure);
      }

      @Override
      void reject(long line, String reason) {
        monitor.reject(new LinePosition(line), reason, writer);
      }
    });
    if (flush) {
      monitor.flush(writer);
    }
    List<RuntimeStats> stats = new ArrayList<>();
    for (SpecRuntime rt : monitor.runtimes()) {
      stats.add(rt.stats());
    }
    return new SequentialResult(stats, failures[0]);
  }

  /** Lines handed over together: about those of one 64 KB chunk. */
  private static final int PUBLISH_BATCH = 512;

  /**
   * Hands a chunk's lines over together, so that the engine can parse a few ahead and overlap
   * their dedupe lookups ({@link Monitor#acceptAll}, {@link Pipeline#publishAll}); a line over
   * the size limit goes after the lines before it.
   */
  private abstract class BatchingHandler implements JsonlReader.Handler {
    private final DocumentBatch batch = new DocumentBatch(PUBLISH_BATCH);

    abstract void publish(DocumentBatch batch);

    abstract void reject(long line, String reason);

    @Override
    public final void document(byte[] buf, int off, int len, long line) {
      if (batch.add(buf, off, len, new LinePosition(line))) {
        buffersReused();
      }
    }

    @Override
    public final void oversized(long line, long size) {
      buffersReused(); // first: the lines before it, in order
      reject(line, CheckRun.this.oversized(size));
    }

    @Override
    public final void buffersReused() {
      if (batch.size() > 0) {
        publish(batch);
        batch.clear();
      }
    }
  }

  private Pipeline runPipelined(JsonlReader reader, JsonlViolationWriter writer)
      throws IOException {
    // BLOCK: an offline check never drops a verdict; a slow stdout slows the check instead.
    SinkQueue queue = new SinkQueue("stdout", writer, 1 << 14, SinkQueue.Overflow.BLOCK);
    // One reader thread publishes everything: on 2 cores it decodes too (see PipelineConfig).
    Pipeline pipeline = new Pipeline(programs, PipelineConfig.defaults().withSingleSource()
        .withEvaluators(1).withMaxLiveInstances(maxLiveInstances).withDedupeLimits(dedupeLimits),
        queue, null);
    IOException readFailure = null;
    try {
      reader.readAll(new BatchingHandler() {
        @Override
        void publish(DocumentBatch batch) {
          pipeline.publishAll(batch);
        }

        @Override
        void reject(long line, String reason) {
          pipeline.publishRejected(new LinePosition(line), reason);
        }
      });
    } catch (IOException e) {
      readFailure = e;
    }
    try {
      // Whatever was read is judged, even when reading failed part way.
      pipeline.close(flush && readFailure == null, 10, TimeUnit.MINUTES);
      queue.close();
    } catch (TimeoutException | InterruptedException e) {
      throw new IOException("the check did not finish: " + e.getMessage(), e);
    }
    if (readFailure != null) {
      throw readFailure;
    }
    return pipeline;
  }

  private void printSummary(PrintStream err, JsonlReader reader, List<RuntimeStats> stats,
      JsonlViolationWriter writer, double seconds) {
    err.printf(Locale.ROOT, "specwatch check: %d lines (%d blank) in %.2f s, %.0f lines/s%n",
        reader.lines(), reader.blankLines(), seconds, reader.lines() / Math.max(seconds, 1e-9));
    for (int i = 0; i < stats.size(); i++) {
      RuntimeStats s = stats.get(i);
      err.printf(Locale.ROOT,
          "  %s: %d violations (%d transition, %d invariant, %d deadline, %d malformed, %d error); "
              + "%d invariants resolved; %d events, %d duplicates, %d ignored; %d live instances, "
              + "%d deadlines still armed%n",
          s.spec, s.violations, s.transitionViolations, s.invariantViolations,
          s.deadlineViolations, s.malformed, s.errors, s.invariantResolutions, s.events, s.duplicates,
          s.ignored, s.liveInstances, s.armedDeadlines);
      if (s.evictedIds > 0) {
        err.printf(Locale.ROOT, "  %s: dedupe memory was full: %d oldest ids forgotten%n",
            s.spec, s.evictedIds);
      }
      if (s.unrecordedIds > 0) {
        err.printf(Locale.ROOT, "  %s: dedupe memory was full (%d ids): %d new ids not recorded,"
            + " so a later copy of one would not be recognised (--max-dedupe-ids)%n", s.spec,
            dedupeLimits.maxIds(), s.unrecordedIds);
      }
      if (s.dedupeExactnessLost) {
        err.printf(Locale.ROOT, "  %s: dedupe memory passed %d ids (--dedupe-exact-ids %d, "
            + "--max-dedupe-ids %d): from there on ids were forgotten a horizon (the window, at "
            + "least 1h) past their window, as in a live stream, so a copy later than that would "
            + "be taken for new%n", s.spec, Math.min(dedupeLimits.exactIds(), dedupeLimits.cap()),
            dedupeLimits.exactIds(), dedupeLimits.maxIds());
      }
    }
    err.printf(Locale.ROOT, "  total: %d violations (%d malformed)%n", writer.written(),
        writer.count(ViolationKind.MALFORMED));
  }
}
