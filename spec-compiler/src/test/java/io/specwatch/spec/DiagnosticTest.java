package io.specwatch.spec;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** How one diagnostic is rendered: file:line:column, the message, the line and a caret. */
class DiagnosticTest {

  @Test
  void theCaretIsUnderTheColumn() {
    assertEquals("a.sw:3:5: error: expected `x`\n 3 | abcdef\n   |     ^\n",
        new Diagnostic("a.sw", 3, 5, "expected `x`", "abcdef").render());
  }

  @Test
  void theGutterIsAsWideAsTheLineNumber() {
    assertEquals("a.sw:120:1: error: m\n 120 | x\n     | ^\n", new Diagnostic("a.sw", 120, 1, "m", "x").render());
  }

  @Test
  void tabsStayTabsSoTheCaretLinesUp() {
    assertEquals("a.sw:1:4: error: m\n 1 | \t\tab\n   | \t\t ^\n",
        new Diagnostic("a.sw", 1, 4, "m", "\t\tab").render());
  }

  @Test
  void aCaretAtTheEndOfTheLine() {
    assertEquals("a.sw:1:4: error: m\n 1 | abc\n   |    ^\n", new Diagnostic("a.sw", 1, 4, "m", "abc").render());
  }

  @Test
  void controlCharactersCannotGarbleTheTerminal() {
    assertEquals("a.sw:1:3: error: bad \uFFFD\n 1 | a\uFFFDb\uFFFD\n   |   ^\n",
        new Diagnostic("a.sw", 1, 3, "bad \u001b", "a\rb\u0000").render());
  }

  @Test
  void withoutASourceLineOnlyTheMessage() {
    assertEquals("a.sw:9:1: error: m\n", new Diagnostic("a.sw", 9, 1, "m", null).render());
  }

  @Test
  void aCompilerDiagnosticShowsItsLine() {
    CompileResult r = Specs.compile("spec d\n\tentity A key k { n: int = \"x\" }\n");
    assertEquals("t.sw:2:28: error: expected an integer as the initial value of `n`, found `\"x\"`\n"
        + " 2 | \tentity A key k { n: int = \"x\" }\n"
        + "   | \t                          ^\n", Specs.rendered(r));
  }
}
