package io.specwatch.spec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.specwatch.core.LinePosition;
import io.specwatch.core.Violation;
import io.specwatch.core.engine.Monitor;
import io.specwatch.core.program.Program;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

/**
 * Test helpers: compile spec text, and feed documents through a {@link Monitor} one line at a
 * time, collecting the violations each line raises.
 */
final class Specs {
  private Specs() {}

  static CompileResult compile(String... texts) {
    List<SourceFile> sources = new ArrayList<>();
    for (int i = 0; i < texts.length; i++) {
      sources.add(new SourceFile(texts.length == 1 ? "t.sw" : "t" + (i + 1) + ".sw", texts[i]));
    }
    return SpecCompiler.compile(sources);
  }

  /** Compiles one spec that must compile; fails the test with the rendered diagnostics otherwise. */
  static Program program(String text) {
    CompileResult r = compile(text);
    if (!r.ok()) {
      fail("expected the spec to compile, got:\n" + rendered(r));
    }
    assertEquals(1, r.programs().size());
    return r.programs().get(0);
  }

  /** All diagnostics of a spec that must not compile, rendered and concatenated. */
  static String errors(String... texts) {
    CompileResult r = compile(texts);
    assertFalse(r.ok(), "expected a compile error");
    assertTrue(r.programs().isEmpty(), "a failed compilation returns no program");
    return rendered(r);
  }

  /** Only the messages (without positions) of a spec that must not compile, one per line. */
  static List<String> messages(String text) {
    CompileResult r = compile(text);
    assertFalse(r.ok(), "expected a compile error");
    return r.diagnostics().stream().map(d -> d.line() + ":" + d.column() + " " + d.message()).toList();
  }

  static String rendered(CompileResult r) {
    return r.diagnostics().stream().map(Diagnostic::render).collect(Collectors.joining());
  }

  /** {@code kind rule entity key @line}, the fields the conformance suite compares. */
  static String brief(Violation v) {
    String line = v.position() == null ? "null" : String.valueOf(((LinePosition) v.position()).line());
    return v.kind().label() + " " + v.rule() + " " + v.entity() + " " + v.key() + " @" + line;
  }

  /** The {@code state} member of a violation's JSON line, e.g. {@code {"x":1}} or {@code null}. */
  static String state(Violation v) {
    String json = v.toJson();
    int at = json.indexOf(",\"state\":");
    assertTrue(at > 0, json);
    return json.substring(at + ",\"state\":".length(), json.length() - 1);
  }

  /** The only violation raised; fails unless exactly one was. */
  static Violation only(List<Violation> vs) {
    assertEquals(1, vs.size(), () -> "expected one violation, got " + briefs(vs));
    return vs.get(0);
  }

  static List<String> briefs(List<Violation> vs) {
    return vs.stream().map(Specs::brief).toList();
  }

  /** A monitor over compiled specs, fed one document (line) at a time. */
  static final class Session {
    final Monitor monitor;
    final List<Violation> all = new ArrayList<>();
    private long line;

    Session(List<Program> programs) {
      this.monitor = new Monitor(programs);
    }

    static Session of(String... specTexts) {
      CompileResult r = compile(specTexts);
      if (!r.ok()) {
        fail("expected the spec to compile, got:\n" + rendered(r));
      }
      return new Session(r.programs());
    }

    /** Feeds one document as the next line; returns the violations it raised. */
    List<Violation> send(String json) {
      line++;
      byte[] bytes = json.getBytes(StandardCharsets.UTF_8);
      List<Violation> raised = new ArrayList<>();
      monitor.accept(bytes, 0, bytes.length, new LinePosition(line), raised::add);
      all.addAll(raised);
      return raised;
    }

    /** Feeds one document; returns the brief form of what it raised. */
    List<String> sendBrief(String json) {
      return briefs(send(json));
    }

    /** Feeds several documents; returns the brief form of everything they raised. */
    List<String> sendAll(String... docs) {
      List<Violation> raised = new ArrayList<>();
      for (String d : docs) {
        raised.addAll(send(d));
      }
      return briefs(raised);
    }

    /** A blank line: counted, not fed (the JSONL reader skips it). */
    Session blank() {
      line++;
      return this;
    }

    List<Violation> flush() {
      List<Violation> raised = new ArrayList<>();
      monitor.flush(raised::add);
      all.addAll(raised);
      return raised;
    }
  }
}
