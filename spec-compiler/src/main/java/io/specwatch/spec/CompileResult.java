package io.specwatch.spec;

import io.specwatch.core.program.Program;
import io.specwatch.spec.parse.Ast;
import java.util.List;

/**
 * What {@link SpecCompiler} produced: the programs (in source order) when every spec compiled,
 * and the diagnostics. {@code syntax} holds each file's parsed tree (null for a file that did not
 * parse), for tools such as {@code graph}.
 */
public record CompileResult(List<Program> programs, List<Diagnostic> diagnostics,
    List<Ast.SpecFile> syntax) {

  public boolean ok() {
    return diagnostics.isEmpty();
  }
}
