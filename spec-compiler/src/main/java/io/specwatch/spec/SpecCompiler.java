package io.specwatch.spec;

import io.specwatch.core.program.Program;
import io.specwatch.spec.check.Checker;
import io.specwatch.spec.parse.Ast;
import io.specwatch.spec.parse.Lexer;
import io.specwatch.spec.parse.Parser;
import io.specwatch.spec.parse.Token;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

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
      Lexer.ErrorSink lexErrors = (line, col, msg) ->
          fileDiagnostics.add(diagnostic(source, lines, line, col, msg));
      Parser.ErrorSink parseErrors = (tok, msg) ->
          fileDiagnostics.add(diagnostic(source, lines, tok.line(), tok.column(), msg));
      List<Token> tokens = new Lexer(source.text(), lexErrors).tokenize();
      Ast.SpecFile tree = new Parser(source.text(), tokens, parseErrors).parseFile();
      trees.add(tree);
      if (tree != null) {
        String earlier = specNames.putIfAbsent(tree.nameToken().text(), source.name());
        if (earlier != null) {
          parseErrors.error(tree.nameToken(), "two specs are named `" + tree.nameToken().text()
              + "` (the other is " + earlier + "); spec names must be unique");
        }
        Program p = new Checker(source.name(), tree, parseErrors::error).check();
        if (p != null && fileDiagnostics.isEmpty()) {
          programs.add(p);
        }
      }
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
