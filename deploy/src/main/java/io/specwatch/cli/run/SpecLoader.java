package io.specwatch.cli.run;

import io.specwatch.core.program.Program;
import io.specwatch.spec.CompileResult;
import io.specwatch.spec.Diagnostic;
import io.specwatch.spec.SourceFile;
import io.specwatch.spec.SpecCompiler;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads and compiles the configured spec files, at start-up and on every reload. Failures come
 * back as the text {@code specwatch check} would print (diagnostics with file:line:column and a
 * caret), never as an exception, so a reload can log them and keep the running specs.
 */
final class SpecLoader {
  /** Compiled programs, or the diagnostics that prevented it (exactly one of the two). */
  record Loaded(List<Program> programs, String diagnostics) {
    boolean ok() {
      return programs != null;
    }
  }

  private final List<Path> files;

  SpecLoader(List<Path> files) {
    this.files = List.copyOf(files);
  }

  List<Path> files() {
    return files;
  }

  Loaded load() {
    List<SourceFile> sources = new ArrayList<>();
    for (Path f : files) {
      try {
        sources.add(new SourceFile(f.toString(), Files.readString(f, StandardCharsets.UTF_8)));
      } catch (IOException | java.io.UncheckedIOException e) {
        String why = e instanceof java.nio.file.NoSuchFileException ? "no such file"
            : e instanceof java.nio.charset.MalformedInputException ? "not valid UTF-8" : e.getMessage();
        return new Loaded(null, "specwatch: cannot read spec " + f + ": " + why + "\n");
      }
    }
    CompileResult result = SpecCompiler.compile(sources);
    if (result.ok()) {
      return new Loaded(result.programs(), null);
    }
    StringBuilder sb = new StringBuilder();
    for (Diagnostic d : result.diagnostics()) {
      sb.append(d.render());
    }
    int n = result.diagnostics().size();
    sb.append(n == 1 ? "1 error" : n + " errors").append('\n');
    return new Loaded(null, sb.toString());
  }
}
