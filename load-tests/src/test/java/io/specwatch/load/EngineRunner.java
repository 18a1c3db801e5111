package io.specwatch.load;

import io.specwatch.cli.Main;
import io.specwatch.core.LinePosition;
import io.specwatch.core.Violation;
import io.specwatch.core.ViolationSink;
import io.specwatch.core.engine.DedupeLimits;
import io.specwatch.core.engine.Monitor;
import io.specwatch.core.json.DocumentDecoder;
import io.specwatch.core.program.Program;
import io.specwatch.ingest.file.JsonlReader;
import io.specwatch.load.model.MJson;
import io.specwatch.load.model.MTime;
import io.specwatch.load.model.MViolation;
import io.specwatch.spec.CompileResult;
import io.specwatch.spec.SourceFile;
import io.specwatch.spec.SpecCompiler;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Runs the engine on a JSONL input, in process: through the Monitor API, or through {@code check}. */
final class EngineRunner {
  final Path specFile;
  private final List<Program> programs;

  EngineRunner(Path specFile) {
    this.specFile = specFile;
    try {
      CompileResult r = SpecCompiler.compile(List.of(
          new SourceFile(specFile.toString(), Files.readString(specFile))));
      if (!r.ok()) {
        throw new IllegalStateException("spec does not compile: " + r.diagnostics());
      }
      this.programs = r.programs();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** A spec from the test classpath (a real file under target/). */
  static Path resource(String name) {
    try {
      return Path.of(EngineRunner.class.getResource("/" + name).toURI());
    } catch (Exception e) {
      throw new IllegalStateException("no resource " + name, e);
    }
  }

  /**
   * {@link Monitor} fed by the real {@link JsonlReader}, as {@code check} wires them: its dedupe
   * memory remembers ids exactly, as the contract says.
   */
  List<MViolation> monitor(byte[] input, boolean flush) {
    return monitor(input, flush, DedupeLimits.forCheck(DedupeLimits.DEFAULT_CHECK_EXACT_IDS));
  }

  /**
   * As {@link #monitor(byte[], boolean)}, with a live stream's dedupe memory: an id forgotten a
   * horizon past its window (docs/language.md, choice 4).
   */
  List<MViolation> liveMonitor(byte[] input, boolean flush) {
    return monitor(input, flush, DedupeLimits.LIVE);
  }

  private List<MViolation> monitor(byte[] input, boolean flush, DedupeLimits dedupe) {
    Monitor m = new Monitor(programs, DocumentDecoder.DEFAULT_MAX_DEPTH, 0, 1, 0, dedupe);
    List<MViolation> out = new ArrayList<>();
    ViolationSink sink = v -> out.add(convert(v));
    try {
      new JsonlReader(new ByteArrayInputStream(input), JsonlReader.DEFAULT_MAX_DOCUMENT_BYTES)
          .readAll(new JsonlReader.Handler() {
            @Override
            public void document(byte[] buf, int off, int len, long line) {
              m.accept(buf, off, len, new LinePosition(line), sink);
            }

            @Override
            public void oversized(long line, long size) {
              m.reject(new LinePosition(line), "oversized", sink);
            }
          });
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    if (flush) {
      m.flush(sink);
    }
    return out;
  }

  /** {@code specwatch check SPEC --events - [--flush]} through {@link Main#run}, output parsed back. */
  List<MViolation> cli(byte[] input, boolean flush) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    List<String> args = new ArrayList<>(List.of("check", specFile.toString(), "--events", "-"));
    if (flush) {
      args.add("--flush");
    }
    int status = Main.run(args.toArray(new String[0]), new ByteArrayInputStream(input),
        new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
    List<MViolation> result = new ArrayList<>();
    for (String line : out.toString(StandardCharsets.UTF_8).split("\n")) {
      if (!line.isEmpty()) {
        result.add(fromJson(line));
      }
    }
    int expected = result.isEmpty() ? 0 : 1;
    if (status != expected) {
      throw new AssertionError("check exited " + status + " with " + result.size()
          + " violations; stderr: " + err.toString(StandardCharsets.UTF_8));
    }
    return result;
  }

  static MViolation convert(Violation v) {
    Long line = v.position() == null ? null : ((LinePosition) v.position()).line();
    String state = null;
    if (v.state() != null) {
      StringBuilder sb = new StringBuilder();
      v.state().appendJson(sb);
      state = canonical(sb.toString());
    }
    return new MViolation(v.spec(), v.kind().label(), v.rule(), v.entity(), v.key(), line,
        v.time() == null ? null : MTime.format(v.time()), state);
  }

  static MViolation fromJson(String json) {
    Object o = parse(json);
    if (!(o instanceof Map<?, ?> m)) {
      throw new AssertionError("not a violation: " + json);
    }
    Object line = m.get("line");
    Object time = m.get("time");
    String timeText = time instanceof String s ? s : null;
    Object state = m.get("state");
    return new MViolation(str(m.get("spec")), str(m.get("kind")), str(m.get("rule")),
        str(m.get("entity")), str(m.get("key")), line instanceof Long l ? l : null, timeText,
        state == null || state == MJson.NULL ? null : MJson.canonical(state));
  }

  private static String str(Object o) {
    return o instanceof String s ? s : null;
  }

  private static String canonical(String json) {
    return MJson.canonical(parse(json));
  }

  private static Object parse(String json) {
    try {
      return MJson.parse(json);
    } catch (MJson.Bad e) {
      throw new AssertionError("engine wrote invalid JSON (" + e.getMessage() + "): " + json);
    }
  }
}
