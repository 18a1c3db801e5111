package io.specwatch.cli.demo;

import io.specwatch.core.program.Program;
import io.specwatch.spec.CompileResult;
import io.specwatch.spec.Diagnostic;
import io.specwatch.spec.SourceFile;
import io.specwatch.spec.SpecCompiler;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;

/** The spec the demo runs, embedded in the jar as {@value #RESOURCE}. */
public final class DemoSpec {
  public static final String RESOURCE = "/demo/payments.sw";

  private DemoSpec() {}

  /** The spec's source text, as {@code specwatch demo --print-spec} prints it. */
  public static String text() {
    try (InputStream in = DemoSpec.class.getResourceAsStream(RESOURCE)) {
      if (in == null) {
        throw new IllegalStateException("the demo spec " + RESOURCE + " is missing from the jar");
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read the demo spec " + RESOURCE, e);
    }
  }

  /** Compiles the spec; it is part of the build, so an error here is a bug. */
  public static List<Program> compile() {
    CompileResult result = SpecCompiler.compile(List.of(new SourceFile("demo" + RESOURCE, text())));
    if (!result.ok()) {
      StringBuilder sb = new StringBuilder("the embedded demo spec does not compile:\n");
      for (Diagnostic d : result.diagnostics()) {
        sb.append(d.render());
      }
      throw new IllegalStateException(sb.toString());
    }
    return result.programs();
  }
}
