package io.specwatch.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every example in {@code examples/} is a regression test: `check` over its log must print exactly
 * its {@code expected.jsonl} (whole JSON objects, messages and states included, in order), with
 * exit status 1, in both the sequential and the pipelined mode.
 */
class ExamplesTest {
  private static final Path EXAMPLES = Path.of("..", "examples");

  static Stream<String> examples() throws IOException {
    try (Stream<Path> dirs = Files.list(EXAMPLES)) {
      return dirs.filter(d -> Files.exists(d.resolve("expected.jsonl")))
          .map(d -> d.getFileName().toString()).sorted().toList().stream();
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("examples")
  void checkPrintsExactlyTheExpectedViolations(String name) throws IOException {
    Path dir = EXAMPLES.resolve(name);
    List<String> args = new ArrayList<>(List.of("check"));
    try (Stream<Path> files = Files.list(dir)) {
      files.filter(f -> f.toString().endsWith(".sw")).sorted().forEach(f -> args.add(f.toString()));
    }
    args.add("--events");
    args.add(dir.resolve("events.jsonl").toString());
    List<String> expected = Files.readAllLines(dir.resolve("expected.jsonl")).stream()
        .filter(l -> !l.isBlank()).toList();
    assertFalse(expected.isEmpty(), "an example shows violations");
    for (String mode : List.of("--sequential", "--pipeline")) {
      List<String> withMode = new ArrayList<>(args);
      withMode.add(mode);
      CheckTestSupport.Outcome o = CheckTestSupport.run(withMode.toArray(new String[0]));
      assertEquals(1, o.status(), mode + ": " + o.stderr());
      assertEquals(expected, o.stdout().lines().filter(l -> !l.isBlank()).toList(), mode);
    }
  }
}
