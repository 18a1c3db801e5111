package io.specwatch.cli;

import io.specwatch.core.engine.DedupeLimits;
import io.specwatch.ingest.file.JsonlReader;
import io.specwatch.spec.CompileResult;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "check",
    description = {
        "Checks a recorded JSONL log against one or more specs, offline.",
        "Writes one JSON object per violation on standard output, in the order raised, and a "
            + "summary on standard error.",
        "Exit status: 0 no violation, 1 violations (malformed lines count), 2 a spec does not "
            + "compile or the input cannot be read."},
    footer = {"", "Example:",
        "  specwatch check examples/payments/payments.sw --events examples/payments/events.jsonl",
        "  cat audit.jsonl | specwatch check a.sw b.sw --events - --flush"},
    mixinStandardHelpOptions = true, sortOptions = false)
final class CheckCommand implements Callable<Integer> {
  @Parameters(arity = "1..*", paramLabel = "SPEC", description = "Spec files (.sw), run in this order.")
  List<Path> specs;

  @Option(names = "--events", required = true, paramLabel = "FILE",
      description = "The JSONL log to check, one document per line; `-` for standard input.")
  String events;

  @Option(names = "--flush",
      description = "At the end of the input, fire every deadline still armed (their line is null).")
  boolean flush;

  @Option(names = "--max-document-bytes", paramLabel = "N", defaultValue = "" + JsonlReader.DEFAULT_MAX_DOCUMENT_BYTES,
      description = "Longest accepted line; a longer one is a malformed violation (default: ${DEFAULT-VALUE}).")
  int maxDocumentBytes;

  @Option(names = "--max-live-instances", paramLabel = "N", defaultValue = "0",
      description = "At most N live instances per spec; an event that would create one more is an "
          + "`error` violation and is not applied (default: 0, no cap).")
  long maxLiveInstances;

  @Option(names = "--dedupe-exact-ids", paramLabel = "N",
      defaultValue = "" + DedupeLimits.DEFAULT_CHECK_EXACT_IDS,
      description = "Per spec with `time` and `id`: remember up to N event ids exactly, so that a "
          + "copy is a duplicate however late it comes (80 to 160 bytes an id, more for ids over "
          + "24 characters). Past N, from the watermark's next move, an id is forgotten once the "
          + "watermark is its window (at least an hour) past the window's end, as in a live "
          + "stream, and the summary says so (default: ${DEFAULT-VALUE}; 0: from the start).")
  long dedupeExactIds;

  @Option(names = "--max-dedupe-ids", paramLabel = "N",
      defaultValue = "" + DedupeLimits.DEFAULT_MAX_IDS,
      description = "Per spec with `id`: hold at most N event ids; past N a new id is applied but "
          + "not recorded (without `time`: the oldest is evicted), the summary counts them, and "
          + "exact memory gives way to forgetting (default: ${DEFAULT-VALUE}; 0: no cap).")
  long maxDedupeIds;

  @Option(names = "--pipeline",
      description = "Overlap reading, parsing and evaluating on separate threads (the output is "
          + "the same): on 2 processors the reader also parses, on more parsing has a thread of "
          + "its own. The default when the machine has 2 processors or more.")
  boolean pipeline;

  @Option(names = "--sequential",
      description = "Do all the work on one thread (the default on a single processor).")
  boolean sequential;

  private final PrintStream stdout;
  private final PrintStream stderr;
  private final InputStream stdin;

  CheckCommand(InputStream stdin, PrintStream stdout, PrintStream stderr) {
    this.stdin = stdin;
    this.stdout = stdout;
    this.stderr = stderr;
  }

  @Override
  public Integer call() {
    if (pipeline && sequential) {
      stderr.println("specwatch check: --pipeline and --sequential exclude each other");
      return CheckRun.FAILURE;
    }
    if (maxDocumentBytes < 1) {
      stderr.println("specwatch check: --max-document-bytes must be at least 1, was " + maxDocumentBytes);
      return CheckRun.FAILURE;
    }
    if (maxLiveInstances < 0) {
      stderr.println("specwatch check: --max-live-instances must be 0 (no cap) or more, was " + maxLiveInstances);
      return CheckRun.FAILURE;
    }
    if (dedupeExactIds < 0) {
      stderr.println("specwatch check: --dedupe-exact-ids must be 0 or more, was "
          + dedupeExactIds);
      return CheckRun.FAILURE;
    }
    if (maxDedupeIds < 0) {
      stderr.println("specwatch check: --max-dedupe-ids must be 0 (no cap) or more, was "
          + maxDedupeIds);
      return CheckRun.FAILURE;
    }
    // All specs compile before any input is read.
    CompileResult compiled = SpecFiles.compileOrReport(specs, stderr);
    if (compiled == null) {
      return CheckRun.FAILURE;
    }
    boolean oneThread = sequential || (!pipeline && !CheckRun.pipelinedByDefault());
    CheckRun run = new CheckRun(compiled.programs(), flush, maxDocumentBytes, oneThread,
        maxLiveInstances, new DedupeLimits(dedupeExactIds, maxDedupeIds));
    OutputStream out = new BufferedOutputStream(stdout, 1 << 16);
    if (events.equals("-")) {
      return run.run(stdin, "standard input", out, stderr);
    }
    Path file = Path.of(events);
    try (InputStream in = Files.newInputStream(file)) {
      return run.run(in, file.toString(), out, stderr);
    } catch (IOException e) {
      stderr.println("specwatch check: cannot read events from " + file + ": " + SpecFiles.describe(e));
      return CheckRun.FAILURE;
    }
  }
}
