package io.specwatch.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** {@code specwatch graph} end to end, in process: golden outputs, options and failures. */
class GraphCommandTest {
  /** The example in the repository (tests run in the deploy module's directory). */
  private static final Path PAYMENTS = Path.of("..", "examples", "payments", "payments.sw");

  record Run(int status, String out, String err) {}

  static Run run(String... args) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int status = Main.run(args, new ByteArrayInputStream(new byte[0]),
        new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
    return new Run(status, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
  }

  static Path resource(String name) {
    try {
      return Path.of(GraphCommandTest.class.getResource("/graph/" + name).toURI());
    } catch (URISyntaxException | NullPointerException e) {
      throw new AssertionError("missing test resource graph/" + name, e);
    }
  }

  static String golden(String name) throws IOException {
    return Files.readString(resource(name), StandardCharsets.UTF_8);
  }

  @ParameterizedTest(name = "{0} {1}")
  @CsvSource({
      "payments.sw, dot, payments.dot",
      "payments.sw, mermaid, payments.mmd",
      "payments-handlers.sw, dot, payments-handlers.dot",
      "payments-handlers.sw, mermaid, payments-handlers.mmd"})
  void drawsTheGoldenGraph(String spec, String format, String expected) throws IOException {
    Path file = spec.equals("payments.sw") ? PAYMENTS : resource(spec);
    Run r = run("graph", file.toString(), "--format", format);
    assertEquals(new Run(0, golden(expected), ""), r);
  }

  @Test
  void dotIsTheDefaultFormat() throws IOException {
    assertEquals(new Run(0, golden("payments.dot"), ""), run("graph", PAYMENTS.toString()));
  }

  @Test
  void entityOptionKeepsThatEntity() throws IOException {
    assertEquals(new Run(0, golden("payments.dot"), ""),
        run("graph", PAYMENTS.toString(), "--entity", "Payment"));
  }

  @Test
  void entityOptionDropsTheOthers(@TempDir Path dir) throws IOException {
    Path spec = dir.resolve("two.sw");
    Files.writeString(spec, String.join("\n",
        "spec two",
        "entity A key a { s: enum { X, Y } }",
        "entity B key b { n: int }",
        "event go for A when t == 1",
        "event tick for B when t == 2",
        "on go requires s == X { s = Y }",
        "on tick { n += 1 }",
        ""));
    Run r = run("graph", spec.toString(), "--entity", "B", "--format", "mermaid");
    assertEquals(new Run(0, String.join("\n",
        "stateDiagram-v2",
        "  %% spec two: one state machine per entity enum variable, drawn by `specwatch graph`.",
        "",
        "  state \"B\" as B {",
        "    state \"(any)\" as B_any",
        "    [*] --> B_any",
        "    B_any --> B_any : tick",
        "  }",
        ""), ""), r);
  }

  @Test
  void unknownEntityIsExit2() {
    assertEquals(new Run(2, "",
        "specwatch graph: spec `card_payments` has no entity `Order` (its entities: Payment)\n"),
        run("graph", PAYMENTS.toString(), "--entity", "Order"));
  }

  @Test
  void specThatDoesNotCompileIsExit2WithDiagnostics(@TempDir Path dir) throws IOException {
    Path spec = dir.resolve("bad.sw");
    Files.writeString(spec, "spec bad\nentity A key a { s: enum { X } }\nevent go for A when t == 1\n"
        + "on go requires s == Z { }\n");
    Run r = run("graph", spec.toString());
    assertEquals(2, r.status());
    assertEquals("", r.out());
    assertTrue(r.err().startsWith(spec + ":4:"), r.err());
    assertTrue(r.err().endsWith("1 error\n"), r.err());
  }

  @Test
  void missingSpecFileIsExit2() {
    assertEquals(new Run(2, "", "specwatch: cannot read spec no-such.sw: no such file\n"),
        run("graph", "no-such.sw"));
  }

  @Test
  void unknownFormatIsExit2() {
    assertEquals(new Run(2, "", "specwatch: Invalid value for option '--format': expected one of "
        + "[dot, mermaid] (case-sensitive) but was 'svg'\nRun `specwatch graph --help` for usage.\n"),
        run("graph", PAYMENTS.toString(), "--format", "svg"));
  }

  @Test
  void helpShowsExamples() throws IOException {
    assertEquals(new Run(0, golden("help.txt"), ""), run("graph", "--help"));
  }

  @Test
  void mainUsageHasAGraphExample() {
    Run r = run();
    assertEquals(0, r.status());
    assertTrue(r.out().contains(
        "\n  specwatch graph examples/payments/payments.sw | dot -Tsvg > payments.svg\n"), r.out());
  }

  @Test
  void compileErrorDiagnosticsAreTheCompilersOwn(@TempDir Path dir) throws IOException {
    // The same file through `compile` and `graph`: the same diagnostics, the same status.
    Path spec = dir.resolve("bad.sw");
    Files.writeString(spec, "spec bad\nentity A key a { s: enum { X } }\nevent go for A when t == 1\n"
        + "on go requires s == Z { }\n");
    Run compile = run("compile", spec.toString());
    Run graph = run("graph", spec.toString());
    assertEquals(compile, graph);
  }
}
