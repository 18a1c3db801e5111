package io.specwatch.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.specwatch.cli.CheckTestSupport.Outcome;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The contract probes (test resources {@code contract-probes/}, see its README): small cases
 * written from the language contract alone, kept as regression tests of the corners they found.
 * Stricter than the shared runner, looser in nothing: the violations come in the expected order,
 * every field an expected line gives is compared ({@code "<any>"} and {@code "<contains:a|b>"} as
 * wildcards), and a compile error's first line is compared exactly.
 */
class ContractProbesTest {
  static Path root() throws Exception {
    return Path.of(ContractProbesTest.class.getResource("/contract-probes").toURI());
  }

  static Stream<Arguments> cases() throws Exception {
    return CheckTestSupport.casesIn(root());
  }

  @Test
  void everyProbeIsHere() throws Exception {
    assertEquals(2 * (49 + 34 + 113), cases().count()); // sessions 9, 10 and 11
  }

  @ParameterizedTest(name = "{0} (sequential: {1})")
  @MethodSource("cases")
  void probe(String name, boolean sequential) throws Exception {
    Path dir = root().resolve(name);
    List<String> expected = CheckTestSupport.expectedLines(dir);
    int status = CheckTestSupport.expectedStatus(dir);

    Outcome o = CheckTestSupport.run(CheckTestSupport.caseArgs(dir, sequential));

    assertEquals(status, o.status(), o::toString);
    List<Map<String, Object>> actual = o.violations();
    assertEquals(expected.size(), actual.size(), o::toString);
    for (int i = 0; i < expected.size(); i++) {
      Map<String, Object> want = CheckTestSupport.object(expected.get(i));
      String where = "violation " + (i + 1) + ": want " + want + "\n" + o;
      assertTrue(matchesFields(want, actual.get(i)), where);
    }
    Path firstLine = dir.resolve("stderr_first_line");
    if (Files.exists(firstLine)) {
      // Written with paths relative to the probes' directory; check was given absolute ones.
      String want = Files.readString(firstLine, StandardCharsets.UTF_8).strip()
          .replace(name + "/", dir + "/");
      assertEquals(want, o.stderr().lines().findFirst().orElse(""), o::toString);
    }
  }

  /** Whether every field {@code want} gives matches {@code got}'s. */
  static boolean matchesFields(Map<String, Object> want, Map<String, Object> got) {
    for (Map.Entry<String, Object> field : want.entrySet()) {
      if (!got.containsKey(field.getKey()) || !matches(field.getValue(), got.get(field.getKey()))) {
        return false;
      }
    }
    return true;
  }

  /** Equal JSON values, where "<any>" is any non-null value and "<contains:a|b>" a string. */
  static boolean matches(Object want, Object got) {
    if ("<any>".equals(want)) {
      return got != null;
    }
    if (want instanceof String s && s.startsWith("<contains:") && s.endsWith(">")) {
      if (!(got instanceof String text)) {
        return false;
      }
      for (String part : s.substring("<contains:".length(), s.length() - 1).split("\\|")) {
        if (!text.contains(part)) {
          return false;
        }
      }
      return true;
    }
    if (want instanceof Map<?, ?> w && got instanceof Map<?, ?> g) {
      if (!w.keySet().equals(g.keySet())) {
        return false;
      }
      for (Object k : w.keySet()) {
        if (!matches(w.get(k), g.get(k))) {
          return false;
        }
      }
      return true;
    }
    if (want instanceof List<?> w && got instanceof List<?> g) {
      if (w.size() != g.size()) {
        return false;
      }
      for (int i = 0; i < w.size(); i++) {
        if (!matches(w.get(i), g.get(i))) {
          return false;
        }
      }
      return true;
    }
    return want == null ? got == null : want.equals(got);
  }
}
