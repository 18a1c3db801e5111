package io.specwatch.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.specwatch.cli.CheckTestSupport.Outcome;
import java.net.URISyntaxException;
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
    return CheckTestSupport.casesIn(casesRoot());
  }

  @Test
  void allFifteenCasesArePresent() throws Exception {
    assertEquals(30, cases().count());
  }

  @ParameterizedTest(name = "{0} (sequential: {1})")
  @MethodSource("cases")
  void conformanceCase(String name, boolean sequential) throws Exception {
    Path dir = casesRoot().resolve(name);
    List<String> expectedLines = CheckTestSupport.expectedLines(dir);
    int expectedStatus = CheckTestSupport.expectedStatus(dir);

    Outcome o = CheckTestSupport.run(CheckTestSupport.caseArgs(dir, sequential));

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
}
