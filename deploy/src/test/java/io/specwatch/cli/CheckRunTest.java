package io.specwatch.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.specwatch.core.json.DocumentView;
import io.specwatch.core.json.JsonKind;
import io.specwatch.core.program.DocPath;
import io.specwatch.core.program.EntityType;
import io.specwatch.core.program.EventType;
import io.specwatch.core.program.Exprs;
import io.specwatch.core.program.Handler;
import io.specwatch.core.program.InputSpec;
import io.specwatch.core.program.Predicate;
import io.specwatch.core.program.Program;
import io.specwatch.core.program.Stmt;
import io.specwatch.core.program.ValueType;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** {@link CheckRun} directly, with programs built by hand. */
class CheckRunTest {

  /**
   * One entity, one event on every document with a string {@code type}, whose only handler never
   * runs (so each event is a transition), and whose predicate throws on {@code "boom"}: a stand-in
   * for a bug in the engine.
   */
  private static Program faultyProgram() {
    DocPath type = new DocPath(List.of(DocPath.Segment.key("type")));
    DocPath id = new DocPath(List.of(DocPath.Segment.key("id")));
    EntityType entity = new EntityType("E", 0, 1, "id", List.of(), new long[0], new Object[0], null,
        List.of(), List.of(), null);
    Predicate when = new Predicate() {
      @Override
      public boolean test(DocumentView doc) {
        if (doc.kind(0) != JsonKind.STRING) {
          return false;
        }
        if (doc.stringValue(0).equals("boom")) {
          throw new IllegalStateException("a bug");
        }
        return true;
      }
    };
    Handler never = new Handler(new io.specwatch.core.program.Expr[] {
        new Exprs.LongConst(ValueType.BOOL, 0)}, new String[] {"false"}, new Stmt[0], "Never.");
    EventType event = new EventType("ev", 0, entity, 1, "id", when, List.of(), 0, 0, List.of(never),
        new int[0], new int[0], null);
    return new Program("faulty", "faulty.sw", InputSpec.none(), List.of(type, id), List.of(entity),
        List.of(event));
  }

  @ParameterizedTest(name = "sequential: {0}")
  @ValueSource(booleans = {false, true})
  void anInternalErrorOnOneDocumentIsExitThreeAndTheOthersAreStillJudged(boolean sequential) {
    String input = "{\"type\":\"ok\",\"id\":\"a\"}\n{\"type\":\"boom\",\"id\":\"b\"}\n"
        + "{\"type\":\"ok\",\"id\":\"c\"}\n";
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int status = new CheckRun(List.of(faultyProgram()), false, 1 << 20, sequential).run(
        new ByteArrayInputStream(input.getBytes(StandardCharsets.UTF_8)), "input", out,
        new PrintStream(err, true, StandardCharsets.UTF_8));
    String stderr = err.toString(StandardCharsets.UTF_8);
    assertEquals(CheckRun.INTERNAL_ERROR, status, stderr);
    List<String> keys = out.toString(StandardCharsets.UTF_8).lines()
        .map(l -> (String) CheckTestSupport.object(l).get("key")).toList();
    assertEquals(List.of("a", "c"), keys);
    assertTrue(stderr.contains("specwatch: internal error: 1 document(s) could not be processed"), stderr);
  }

  @Test
  void withoutAnInternalErrorTheSameRunIsExitOne() {
    String input = "{\"type\":\"ok\",\"id\":\"a\"}\n";
    for (boolean sequential : new boolean[] {false, true}) {
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      int status = new CheckRun(List.of(faultyProgram()), false, 1 << 20, sequential).run(
          new ByteArrayInputStream(input.getBytes(StandardCharsets.UTF_8)), "input", out,
          new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8));
      assertEquals(CheckRun.VIOLATIONS, status);
      assertEquals(1, out.toString(StandardCharsets.UTF_8).lines().count());
    }
  }

  @ParameterizedTest(name = "sequential: {0}")
  @ValueSource(booleans = {false, true})
  void aReadErrorPartWayIsExitTwoAfterTheLinesReadSoFarAreJudged(boolean sequential) {
    byte[] head = "{\"type\":\"ok\",\"id\":\"a\"}\n{\"type\":\"ok\",\"id\":\"b\"}\n"
        .getBytes(StandardCharsets.UTF_8);
    java.io.InputStream failing = new java.io.InputStream() {
      private int pos;

      @Override
      public int read() throws java.io.IOException {
        throw new java.io.IOException("disk gone");
      }

      @Override
      public int read(byte[] b, int off, int len) throws java.io.IOException {
        if (pos >= head.length) {
          throw new java.io.IOException("disk gone");
        }
        int n = Math.min(len, head.length - pos);
        System.arraycopy(head, pos, b, off, n);
        pos += n;
        return n;
      }
    };
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int status = new CheckRun(List.of(faultyProgram()), true, 1 << 20, sequential).run(failing,
        "events.jsonl", out, new PrintStream(err, true, StandardCharsets.UTF_8));
    String stderr = err.toString(StandardCharsets.UTF_8);
    assertEquals(CheckRun.FAILURE, status, stderr);
    assertEquals("specwatch: cannot read events from events.jsonl: disk gone\n", stderr);
    assertEquals(List.of("a", "b"), out.toString(StandardCharsets.UTF_8).lines()
        .map(l -> (String) CheckTestSupport.object(l).get("key")).toList());
  }
}
