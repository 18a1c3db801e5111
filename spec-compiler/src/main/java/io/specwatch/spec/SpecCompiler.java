package io.specwatch.spec;

import io.specwatch.core.program.Program;
import io.specwatch.spec.check.Checker;
import io.specwatch.spec.parse.Ast;
import io.specwatch.spec.parse.Lexer;
import io.specwatch.spec.parse.Parser;
import io.specwatch.spec.parse.Token;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The compiler's entry point: spec sources in, {@link Program}s or diagnostics out. All specs are
 * compiled before any is used; two specs with one name are an error.
 */
public final class SpecCompiler {
  private SpecCompiler() {}

  public static CompileResult compile(List<SourceFile> sources) {
    List<Diagnostic> diagnostics = new ArrayList<>();
    List<Program> programs = new ArrayList<>();
    List<Ast.SpecFile> trees = new ArrayList<>();
    Map<String, String> specNames = new HashMap<>();
    for (SourceFile source : sources) {
      String[] lines = source.text().split("\r?\n", -1);
      List<Diagnostic> fileDiagnostics = new ArrayList<>();
      // A line with a lexical error reports only that: what the parser and checker would say
      // about the same line follows from it (a bad token, the rest of an unterminated string).
      Set<Integer> linesWithLexicalErrors = new HashSet<>();
      Lexer.ErrorSink lexErrors = (line, col, msg) -> {
        linesWithLexicalErrors.add(line);
        fileDiagnostics.add(diagnostic(source, lines, line, col, msg));
      };
      Parser.ErrorSink parseErrors = (tok, msg) -> {
        if (!linesWithLexicalErrors.contains(tok.line())) {
          fileDiagnostics.add(diagnostic(source, lines, tok.line(), tok.column(), msg));
        }
      };
      Ast.SpecFile tree = null;
      try {
        List<Token> tokens = new Lexer(source.text(), lexErrors).tokenize();
        Parser parser = new Parser(source.text(), tokens, parseErrors);
        tree = parser.parseFile();
        if (tree != null) {
          String earlier = specNames.putIfAbsent(tree.nameToken().text(), source.name());
          if (earlier != null) {
            parseErrors.error(tree.nameToken(), "two specs are named `" + tree.nameToken().text()
                + "` (the other is " + earlier + "): expected a unique spec name");
          }
          Program p = new Checker(source.name(), tree, parser.brokenNames(), parseErrors::error)
              .check();
          if (p != null && fileDiagnostics.isEmpty()) {
            programs.add(p);
          }
        }
      } catch (RuntimeException | StackOverflowError bug) {
        // Never a stack trace for a spec, whatever it holds: a bug of the compiler is a diagnostic
        // too. The fuzz tests make sure that no input they can think of gets here.
        fileDiagnostics.add(diagnostic(source, lines, 1, 1, "internal error of the compiler ("
            + bug + "); please report it with this spec"));
      }
      trees.add(tree);
      fileDiagnostics.sort((a, b) -> a.line() != b.line() ? Integer.compare(a.line(), b.line())
          : Integer.compare(a.column(), b.column()));
      diagnostics.addAll(fileDiagnostics);
    }
    return new CompileResult(diagnostics.isEmpty() ? programs : List.of(), diagnostics, trees);
  }

  private static Diagnostic diagnostic(SourceFile source, String[] lines, int line, int col, String msg) {
    String text = line >= 1 && line <= lines.length ? lines[line - 1] : null;
    return new Diagnostic(source.name(), line, col, msg, text);
  }
}
