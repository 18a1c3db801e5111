package io.specwatch.spec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * Golden files for compile errors: {@code diagnostics/NAME.sw} is compiled and its rendered
 * diagnostics must equal {@code diagnostics/NAME.out} byte for byte. A case may hold several
 * specs: {@code NAME.2.sw}, {@code NAME.3.sw}, ... are compiled after {@code NAME.sw}, in one run.
 *
 * <p>To accept new output after changing a message, run the tests with {@code UPDATE_GOLDEN=1}
 * (environment) or {@code -DUPDATE_GOLDEN=1}: the .out files are rewritten; review the diff.
 * Without it, any difference fails.
 */
class DiagnosticsGoldenTest {
  private static final Path DIR = Path.of("src/test/resources/diagnostics");

  private static boolean updating() {
    return "1".equals(System.getenv("UPDATE_GOLDEN")) || "1".equals(System.getProperty("UPDATE_GOLDEN"));
  }

  /** The cases: every NAME.sw whose NAME holds no dot. */
  private static List<Path> cases() throws IOException {
    try (Stream<Path> files = Files.list(DIR)) {
      return files.filter(p -> p.getFileName().toString().matches("[^.]+\\.sw")).sorted().toList();
    }
  }

  private static String caseName(Path spec) {
    return spec.getFileName().toString().replaceFirst("\\.sw$", "");
  }

  /** NAME.sw, then NAME.2.sw, NAME.3.sw, ... as they exist. */
  private static List<SourceFile> sources(Path spec) throws IOException {
    List<SourceFile> sources = new ArrayList<>();
    sources.add(read(spec));
    for (int i = 2; Files.exists(DIR.resolve(caseName(spec) + "." + i + ".sw")); i++) {
      sources.add(read(DIR.resolve(caseName(spec) + "." + i + ".sw")));
    }
    return sources;
  }

  private static SourceFile read(Path p) throws IOException {
    return new SourceFile(p.getFileName().toString(), Files.readString(p, StandardCharsets.UTF_8));
  }

  @TestFactory
  Stream<DynamicTest> eachCaseRendersExactlyItsGoldenDiagnostics() throws IOException {
    return cases().stream().map(spec -> DynamicTest.dynamicTest(caseName(spec), () -> {
      CompileResult result = SpecCompiler.compile(sources(spec));
      assertFalse(result.ok(), caseName(spec) + " compiled, but every case here is an error case");
      assertTrue(result.programs().isEmpty());
      String actual = result.diagnostics().stream().map(Diagnostic::render).collect(Collectors.joining());
      Path golden = DIR.resolve(caseName(spec) + ".out");
      if (updating()) {
        Files.writeString(golden, actual, StandardCharsets.UTF_8);
        return;
      }
      assertTrue(Files.exists(golden), golden + " is missing: run the tests with UPDATE_GOLDEN=1 to "
          + "create it, then review it");
      assertEquals(Files.readString(golden, StandardCharsets.UTF_8), actual,
          "the diagnostics of " + spec + " changed; if the change is intended, rerun with "
              + "UPDATE_GOLDEN=1 and review the diff of the .out files");
    }));
  }

  @Test
  void theFolderHoldsEnoughCasesAndNoStrayGoldenFiles() throws IOException {
    List<Path> cases = cases();
    assertTrue(cases.size() >= 30, "only " + cases.size() + " cases");
    try (Stream<Path> files = Files.list(DIR)) {
      for (Path out : files.filter(p -> p.toString().endsWith(".out")).toList()) {
        String name = out.getFileName().toString().replaceFirst("\\.out$", "");
        assertTrue(Files.exists(DIR.resolve(name + ".sw")), out + " has no " + name + ".sw");
      }
    }
  }

  @Test
  void severalIndependentErrorsAreReportedInOneRun() throws IOException {
    // The multi_* cases exist to show resynchronisation: each reports several errors at once.
    for (Path spec : cases()) {
      if (caseName(spec).startsWith("multi_")) {
        CompileResult result = SpecCompiler.compile(sources(spec));
        long lines = result.diagnostics().stream().mapToInt(Diagnostic::line).distinct().count();
        assertTrue(lines >= 4, caseName(spec) + " reported errors on " + lines + " lines only");
      }
    }
  }
}
