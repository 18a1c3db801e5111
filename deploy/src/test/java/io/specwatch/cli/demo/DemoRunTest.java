package io.specwatch.cli.demo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

class DemoRunTest {
  private static DemoOptions options(long rate, long events) {
    return new DemoOptions(rate, null, events, 1, 1000, 0.01, 2, false, null, 0);
  }

  @Test
  void aStopRequestWhilePacedEndsTheRunPromptlyWithASummary() throws Exception {
    DemoRun run = new DemoRun(options(2, 0)); // two events a second, no end of its own
    DemoTestSupport.Watched err = new DemoTestSupport.Watched(Pattern.compile("alerts on standard output"));
    PrintStream errStream = new PrintStream(err, true, StandardCharsets.UTF_8);
    CompletableFuture<Integer> status = CompletableFuture.supplyAsync(() -> run.run(
        new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8), errStream, false));
    err.found.get(30, TimeUnit.SECONDS); // the banner is printed just before the source starts
    long asked = System.nanoTime();
    run.requestStop();
    assertEquals(DemoRun.OK, status.get(10, TimeUnit.SECONDS), err::text);
    long tookMillis = (System.nanoTime() - asked) / 1_000_000;
    assertTrue(tookMillis < 3_000, "stopping took " + tookMillis + " ms");
    assertTrue(err.text().contains("specwatch demo: "), err.text());
    assertTrue(run.snapshot().documents() < 20, "paced to 2/s, yet " + run.snapshot().documents());
  }

  @Test
  void aRunOfNEventsPublishesExactlyNAndDrainsThemAll() {
    DemoRun run = new DemoRun(options(0, 12_345));
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int status = run.run(new PrintStream(out, true, StandardCharsets.UTF_8),
        new PrintStream(err, true, StandardCharsets.UTF_8), false);
    assertEquals(DemoRun.OK, status);
    DemoSnapshot s = run.snapshot();
    assertEquals(12_345, s.documents());
    assertEquals(0, s.backlog());
    assertEquals(12_345, s.specs().get(0).documents);
    // Every violation counted was printed, one line each.
    long printed = out.toString(StandardCharsets.UTF_8).lines().count();
    assertTrue(printed > 0);
    assertEquals(s.totalViolations(), printed);
  }
}
