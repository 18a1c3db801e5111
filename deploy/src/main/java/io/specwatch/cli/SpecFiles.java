package io.specwatch.cli;

import io.specwatch.spec.CompileResult;
import io.specwatch.spec.Diagnostic;
import io.specwatch.spec.SourceFile;
import io.specwatch.spec.SpecCompiler;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Reads spec files and compiles them, printing diagnostics; shared by the subcommands. */
final class SpecFiles {
  private SpecFiles() {}

  /** Compiles the files; on any error prints what went wrong to {@code err} and returns null. */
  static CompileResult compileOrReport(List<Path> files, PrintStream err) {
    List<SourceFile> sources = new ArrayList<>();
    for (Path f : files) {
      try {
        sources.add(new SourceFile(f.toString(), Files.readString(f, StandardCharsets.UTF_8)));
      } catch (IOException | java.io.UncheckedIOException e) {
        err.println("specwatch: cannot read spec " + f + ": " + describe(e));
        return null;
      }
    }
    CompileResult result = SpecCompiler.compile(sources);
    if (!result.ok()) {
      for (Diagnostic d : result.diagnostics()) {
        err.print(d.render());
      }
      err.println(result.diagnostics().size() == 1 ? "1 error" : result.diagnostics().size() + " errors");
      return null;
    }
    return result;
  }

  static String describe(Exception e) {
    if (e instanceof java.nio.file.NoSuchFileException) {
      return "no such file";
    }
    if (e instanceof java.nio.charset.MalformedInputException) {
      return "not valid UTF-8";
    }
    if (e instanceof java.nio.file.AccessDeniedException) {
      return "permission denied"; // its message is only the path, which the caller names
    }
    if (e instanceof java.nio.file.FileSystemException fs && fs.getReason() != null) {
      return fs.getReason();
    }
    return e.getMessage() != null ? e.getMessage() : e.getClass().getSimpleName();
  }
}
