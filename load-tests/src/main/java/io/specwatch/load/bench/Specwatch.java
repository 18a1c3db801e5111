package io.specwatch.load.bench;

import io.specwatch.core.LinePosition;
import io.specwatch.core.Violation;
import io.specwatch.core.ViolationSink;
import io.specwatch.core.program.Program;
import io.specwatch.spec.CompileResult;
import io.specwatch.spec.SourceFile;
import io.specwatch.spec.SpecCompiler;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Set;

/** The benchmark spec, compiled, and what every specwatch engine here shares. */
public final class Specwatch {
  private Specwatch() {}

  public static final String SPEC_RESOURCE = "/payments-bench.sw";

  /** Compiles {@code payments-bench.sw} from the classpath. */
  public static Program program() {
    try (InputStream in = Specwatch.class.getResourceAsStream(SPEC_RESOURCE)) {
      String text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
      CompileResult r = SpecCompiler.compile(List.of(new SourceFile("payments-bench.sw", text)));
      if (!r.ok()) {
        throw new IllegalStateException("payments-bench.sw does not compile: " + r.diagnostics());
      }
      return r.programs().get(0);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** A sink that records each violation as a verdict, {@code "RULE KEY"}. */
  static ViolationSink collectInto(Set<String> verdicts) {
    return (Violation v) -> verdicts.add(PaymentsWorkload.verdict(v.rule(), v.key()));
  }

  /** Line positions are 1-based; positions of the batch are made when it is prepared. */
  static LinePosition position(int event) {
    return new LinePosition(event + 1L);
  }
}
