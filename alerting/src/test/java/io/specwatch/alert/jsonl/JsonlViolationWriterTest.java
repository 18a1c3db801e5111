package io.specwatch.alert.jsonl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.specwatch.core.LinePosition;
import io.specwatch.core.Violation;
import io.specwatch.core.ViolationKind;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class JsonlViolationWriterTest {
  private static Violation violation(ViolationKind kind, String key, long line, String message) {
    return new Violation("s", kind, kind == ViolationKind.MALFORMED ? null : "r",
        kind == ViolationKind.MALFORMED ? null : "E", key, new LinePosition(line), null, message, null);
  }

  @Test
  void oneJsonLinePerViolationInOrderAsUtf8() throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    JsonlViolationWriter w = new JsonlViolationWriter(out);
    w.accept(violation(ViolationKind.TRANSITION, "k-é😀", 3, "m1"));
    w.accept(violation(ViolationKind.MALFORMED, null, 4, "not valid JSON"));
    w.flush();
    assertEquals("{\"spec\":\"s\",\"kind\":\"transition\",\"rule\":\"r\",\"entity\":\"E\",\"key\":\"k-é😀\","
        + "\"line\":3,\"time\":null,\"message\":\"m1\",\"state\":null}\n"
        + "{\"spec\":\"s\",\"kind\":\"malformed\",\"rule\":null,\"entity\":null,\"key\":null,"
        + "\"line\":4,\"time\":null,\"message\":\"not valid JSON\",\"state\":null}\n",
        out.toString(StandardCharsets.UTF_8));
  }

  @Test
  void aLoneSurrogateIsEscapedNotReplaced() {
    // String.getBytes(UTF_8) would turn an unescaped lone surrogate into '?'.
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    new JsonlViolationWriter(out).accept(violation(ViolationKind.ERROR, "\ud800", 1, "m"));
    String line = out.toString(StandardCharsets.UTF_8);
    assertEquals(true, line.contains("\"key\":\"\\ud800\""), line);
  }

  @Test
  void countsByKind() {
    JsonlViolationWriter w = new JsonlViolationWriter(OutputStream.nullOutputStream());
    w.accept(violation(ViolationKind.MALFORMED, null, 1, "x"));
    w.accept(violation(ViolationKind.MALFORMED, null, 2, "x"));
    w.accept(violation(ViolationKind.DEADLINE, "k", 3, "x"));
    assertEquals(3, w.written());
    assertEquals(2, w.count(ViolationKind.MALFORMED));
    assertEquals(1, w.count(ViolationKind.DEADLINE));
    assertEquals(0, w.count(ViolationKind.INVARIANT));
  }

  @Test
  void aWriteFailureIsUncheckedAndNotCounted() {
    OutputStream broken = new OutputStream() {
      @Override
      public void write(int b) throws IOException {
        throw new IOException("pipe closed");
      }

      @Override
      public void write(byte[] b, int off, int len) throws IOException {
        throw new IOException("pipe closed");
      }
    };
    JsonlViolationWriter w = new JsonlViolationWriter(broken);
    UncheckedIOException e = assertThrows(UncheckedIOException.class,
        () -> w.accept(violation(ViolationKind.ERROR, "k", 1, "m")));
    assertEquals("pipe closed", e.getCause().getMessage());
    assertEquals(0, w.written());
  }
}
