package io.specwatch.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.specwatch.cli.CheckTestSupport.Outcome;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every case of the shared conformance suite (copied into the test resources), run through the
 * command line in-process. Stricter than the suite's own rule: the violations must equal
 * {@code expected.jsonl} as whole JSON objects (time, message and state included), in order.
 */
class CheckConformanceTest {

  static Path casesRoot() throws URISyntaxException {
    return Path.of(CheckConformanceTest.class.getResource("/conformance").toURI());
  }

  static Stream<Arguments> cases() throws Exception {
    List<Arguments> all = new ArrayList<>();
    try (Stream<Path> dirs = Files.list(casesRoot())) {
      for (Path dir : dirs.filter(Files::isDirectory).sorted().toList()) {
        for (boolean sequential : new boolean[] {false, true}) {
          all.add(Arguments.of(dir.getFileName().toString(), sequential));
        }
      }
    }
    return all.stream();
  }

  @Test
  void allFifteenCasesArePresent() throws Exception {
    assertEquals(30, cases().count());
  }

  @ParameterizedTest(name = "{0} (sequential: {1})")
  @MethodSource("cases")
  void conformanceCase(String name, boolean sequential) throws Exception {
    Path dir = casesRoot().resolve(name);
    List<String> args = new ArrayList<>();
    args.add("check");
    try (Stream<Path> files = Files.list(dir)) {
      files.filter(f -> f.getFileName().toString().endsWith(".sw")).map(Path::toString).sorted()
          .forEach(args::add);
    }
    args.add("--events");
    args.add(dir.resolve("events.jsonl").toString());
    if (Files.exists(dir.resolve("args"))) {
      for (String a : Files.readString(dir.resolve("args")).trim().split("\\s+")) {
        args.add(a);
      }
    }
    args.add(sequential ? "--sequential" : "--pipeline");
    List<String> expectedLines = nonBlankLines(dir.resolve("expected.jsonl"));
    int expectedStatus = Files.exists(dir.resolve("exit_status"))
        ? Integer.parseInt(Files.readString(dir.resolve("exit_status")).trim())
        : expectedLines.isEmpty() ? 0 : 1;

    Outcome o = CheckTestSupport.run(args.toArray(new String[0]));

    assertEquals(expectedStatus, o.status(), o::toString);
    List<String> expected = new ArrayList<>();
    for (String line : expectedLines) {
      expected.add(CheckTestSupport.canonical(CheckTestSupport.object(line)));
    }
    List<String> actual = new ArrayList<>();
    for (Map<String, Object> v : o.violations()) {
      actual.add(CheckTestSupport.canonical(v));
    }
    assertEquals(String.join("\n", expected), String.join("\n", actual), o::toString);
    // Every line is exactly the writer's compact form (no spaces, contract key order).
    for (String line : o.lines()) {
      assertEquals(line, CheckTestSupport.canonical(CheckTestSupport.object(line)));
      assertTrue(line.startsWith("{\"spec\":"), line);
    }
    if (expectedStatus == 2) {
      assertEquals("", o.stdout());
    } else {
      assertTrue(o.stderr().contains("total: " + expectedLines.size() + " violations"), o::toString);
    }
  }

  @Test
  void theCompileErrorCaseNamesTheDeadline() throws Exception {
    Path dir = casesRoot().resolve("14-compile-error-deadline");
    Outcome o = CheckTestSupport.run("check", dir.resolve("spec.sw").toString(), "--events",
        dir.resolve("events.jsonl").toString());
    assertEquals(2, o.status());
    assertEquals("", o.stdout());
    assertTrue(o.stderr().contains(dir.resolve("spec.sw") + ":15:1: error:"), o::toString);
  }

  private static List<String> nonBlankLines(Path file) throws IOException {
    List<String> out = new ArrayList<>();
    for (String l : Files.readAllLines(file, StandardCharsets.UTF_8)) {
      if (!l.isBlank()) {
        out.add(l);
      }
    }
    return out;
  }
}
