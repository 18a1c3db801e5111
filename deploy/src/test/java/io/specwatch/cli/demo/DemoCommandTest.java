package io.specwatch.cli.demo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.specwatch.cli.demo.DemoTestSupport.Generated;
import io.specwatch.cli.demo.DemoTestSupport.Key;
import io.specwatch.cli.demo.DemoTestSupport.Outcome;
import io.specwatch.spec.SourceFile;
import io.specwatch.spec.SpecCompiler;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** {@code specwatch demo} end to end, in process. */
class DemoCommandTest {
  @TempDir
  Path tmp;

  @Test
  void checkingTheRecordingReproducesExactlyTheViolationsTheDemoPrinted() throws IOException {
    Path recording = tmp.resolve("demo.jsonl");
    Outcome demo = DemoTestSupport.run("demo", "--events", "20000", "--rate", "0", "--seed", "7",
        "--json", "--record", recording.toString(), "--metrics-port", "0");
    assertEquals(0, demo.status(), demo::toString);
    assertEquals(20_000, Files.readAllLines(recording, StandardCharsets.UTF_8).size());

    Path spec = tmp.resolve("demo.sw");
    Outcome printed = DemoTestSupport.run("demo", "--print-spec");
    assertEquals(0, printed.status(), printed::toString);
    Files.writeString(spec, printed.stdout(), StandardCharsets.UTF_8);
    Outcome check = DemoTestSupport.run("check", spec.toString(), "--events", recording.toString());
    assertEquals(1, check.status(), check::toString);

    Map<Key, Integer> fromDemo = DemoTestSupport.multiset(demo.lines());
    Map<Key, Integer> fromCheck = DemoTestSupport.multiset(check.lines());
    assertTrue(fromDemo.size() > 0, demo::toString);
    assertEquals(fromCheck, fromDemo);

    // Every fault kind has its verdict: the same seed regenerates which line carries which fault.
    List<Generated> lines = DemoTestSupport.generate(new PaymentSimulator(7), 20_000);
    Map<Long, Generated> byLine = new HashMap<>();
    Map<String, Fault> neverSettled = new HashMap<>();
    Map<Fault, Integer> injected = new EnumMap<>(Fault.class);
    for (Generated g : lines) {
      byLine.put(g.number(), g);
      if (g.fault() != null) {
        injected.merge(g.fault(), 1, Integer::sum);
      }
      if (g.fault() == Fault.NEVER_SETTLED) {
        neverSettled.put(g.paymentId(), g.fault());
      }
    }
    Map<Fault, Integer> verdicts = new EnumMap<>(Fault.class);
    for (Key k : fromDemo.keySet()) {
      Generated g = byLine.get(k.line());
      Fault cause = k.kind().equals("deadline") ? neverSettled.get(k.key()) : g.fault();
      assertTrue(cause != null && cause.expectedKind().label().equals(k.kind())
          && Objects.equals(cause.expectedRule(), k.rule()), () -> k + " at " + g);
      verdicts.merge(cause, fromDemo.get(k), Integer::sum);
    }
    for (Fault f : Fault.values()) {
      assertTrue(injected.getOrDefault(f, 0) > 0, f.label() + " never injected");
      if (f.expectedKind() != null) {
        assertTrue(verdicts.getOrDefault(f, 0) > 0, f.label() + " raised nothing: " + verdicts);
      }
    }
    // Duplicates are dropped silently (and late lines raise nothing: no violation above names one).
    Matcher dropped = Pattern.compile("([\\d,]+) duplicates dropped").matcher(demo.stderr());
    assertTrue(dropped.find(), demo.stderr());
    assertEquals((long) injected.get(Fault.DUPLICATE), Long.parseLong(dropped.group(1).replace(",", "")));
  }

  @Test
  void printSpecPrintsTheEmbeddedSpecWhichCompilesAndToleratesThirtySecondsOfLateness() {
    Outcome printed = DemoTestSupport.run("demo", "--print-spec");
    assertEquals(0, printed.status());
    assertEquals(DemoSpec.text(), printed.stdout());
    assertTrue(printed.stdout().contains("lateness 30s"));
    assertTrue(printed.stdout().contains("/// An authorized payment is captured or fails within 10 minutes."));
    assertTrue(SpecCompiler.compile(List.of(new SourceFile("demo.sw", printed.stdout()))).ok());
    assertEquals("", printed.stderr());
  }

  @Test
  void humanAlertsNameTheRuleTheEntityAndTheLine() {
    Outcome demo = DemoTestSupport.run("demo", "--events", "5000", "--rate", "0", "--seed", "7",
        "--fault-rate", "0.02", "--metrics-port", "0");
    assertEquals(0, demo.status(), demo::toString);
    Pattern alert = Pattern.compile("^(\\d\\d:\\d\\d:\\d\\d\\.\\d{3}|--:--:--\\.---) "
        + "(TRANSITION|INVARIANT|DEADLINE|MALFORMED|ERROR) +\\S+ +(Payment p-\\d{6}|-) +line \\d+ +\\S.*$");
    assertTrue(demo.lines().size() > 10, demo::toString);
    for (String line : demo.lines()) {
      assertTrue(alert.matcher(line).matches(), line);
    }
    assertTrue(demo.stdout().contains("DEADLINE   settle"), demo::toString);
    assertTrue(demo.stderr().contains("specwatch demo: 5,000 events in"), demo.stderr());
    assertTrue(demo.stderr().contains("faults injected:"), demo.stderr());
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
      "--rate|-1|--rate must be 0 (as fast as possible) or more, was -1",
      "--events|0|--events must be at least 1, was 0",
      "--duration|soon|--duration must be a number with a unit (500ms, 30s, 5m, 2h, 1d), was `soon`",
      "--fault-rate|2|--fault-rate must be between 0 and 1, was 2.0",
      "--entities|0|--entities must be at least 1, was 0",
      "--evaluators|0|--evaluators must be between 1 and 256, was 0",
      "--metrics-port|70000|--metrics-port must be between 0 and 65535, was 70000"})
  void aNonsensicalOptionIsExitTwoWithAMessageNamingIt(String option, String value, String message) {
    Outcome o = DemoTestSupport.run("demo", option, value);
    assertEquals(2, o.status(), o::toString);
    assertEquals("specwatch demo: " + message + "\n", o.stderr());
    assertEquals("", o.stdout());
  }

  @Test
  void durationsAreWrittenWithAUnit() {
    assertEquals(java.time.Duration.ofMillis(500), DemoOptions.parseDuration("500ms"));
    assertEquals(java.time.Duration.ofSeconds(30), DemoOptions.parseDuration("30s"));
    assertEquals(java.time.Duration.ofMinutes(5), DemoOptions.parseDuration("5m"));
    assertEquals(java.time.Duration.ofHours(2), DemoOptions.parseDuration("2h"));
    assertEquals(java.time.Duration.ofSeconds(90), DemoOptions.parseDuration("PT90S"));
  }

  @Test
  void theDemoIsTheFirstExampleOfTheUsage() {
    Outcome usage = DemoTestSupport.run("--help");
    assertEquals(0, usage.status());
    String examples = usage.stdout().substring(usage.stdout().indexOf("Examples:"));
    assertTrue(examples.lines().skip(1).findFirst().orElse("").trim().equals("specwatch demo"), examples);
    assertTrue(usage.stdout().contains("demo"), usage.stdout());
  }
}
