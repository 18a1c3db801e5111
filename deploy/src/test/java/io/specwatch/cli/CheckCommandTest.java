package io.specwatch.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.specwatch.cli.CheckTestSupport.Outcome;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** {@code specwatch check} end to end, in-process: exit codes, output format, options. */
class CheckCommandTest {
  static final String PAYMENTS = """
      spec payments

      /// Every document carries its time in `ts` and a unique `event_id`.
      input {
        time ts
        id event_id
        dedupe within 1h
      }

      entity Payment key payment_id {
        status: enum { New, Authorized, Captured } = New
        authorized: int
        captured: int
      }

      event authorized for Payment when type == "payment.authorized" { amount: int = amount_cents }
      event captured   for Payment when type == "payment.captured"   { amount: int = amount_cents }

      /// A payment is authorized once.
      on authorized(e) requires status == New { status = Authorized; authorized = e.amount }

      /// Captures follow authorization.
      on captured(e) requires status in { Authorized, Captured } {
        status = Captured
        captured += e.amount
      }

      /// A payment never captures more than was authorized.
      invariant within_authorization: captured <= authorized

      /// An authorized payment is captured within 10 minutes.
      deadline settle: after authorized expect captured within 10m
      """;

  @TempDir
  Path dir;
  Path spec;

  @BeforeEach
  void writeSpec() throws IOException {
    spec = write("payments.sw", PAYMENTS);
  }

  Path write(String name, String text) throws IOException {
    return Files.writeString(dir.resolve(name), text, StandardCharsets.UTF_8);
  }

  Path events(String... lines) throws IOException {
    return Files.writeString(dir.resolve("events.jsonl"), String.join("\n", lines) + "\n",
        StandardCharsets.UTF_8);
  }

  static String ev(String id, String type, String ts, String payment, long amount) {
    return "{\"event_id\":\"" + id + "\",\"type\":\"payment." + type + "\",\"ts\":\"2026-03-02T" + ts
        + "Z\",\"payment_id\":\"" + payment + "\",\"amount_cents\":" + amount + "}";
  }

  Outcome check(String... extra) {
    List<String> args = new ArrayList<>(List.of("check", spec.toString(), "--events",
        dir.resolve("events.jsonl").toString()));
    args.addAll(List.of(extra));
    return CheckTestSupport.run(args.toArray(new String[0]));
  }

  /** A stdin that fails the test if anything reads it. */
  static InputStream untouchable() {
    return new InputStream() {
      @Override
      public int read() {
        throw new AssertionError("standard input was read");
      }
    };
  }

  // ---- --max-live-instances ----

  @ParameterizedTest
  @ValueSource(strings = {"--sequential", "--pipeline"})
  void aLiveInstanceCapTurnsTheFirstInstanceTooManyIntoAnErrorAndNoCapIsTheDefault(String engine)
      throws IOException {
    events(ev("e1", "authorized", "09:00:00", "p-1", 100), ev("e2", "authorized", "09:00:01", "p-2", 100),
        ev("e3", "authorized", "09:00:02", "p-3", 100), ev("e4", "captured", "09:00:03", "p-1", 100));
    Outcome unlimited = check(engine);
    assertEquals(0, unlimited.status(), "no cap unless asked: " + unlimited);
    Outcome capped = check(engine, "--max-live-instances", "2");
    assertEquals(1, capped.status(), capped::toString);
    List<Map<String, Object>> v = capped.violations();
    assertEquals(1, v.size(), capped::toString);
    assertEquals("error", v.get(0).get("kind"));
    assertEquals("p-3", v.get(0).get("key"));
    assertEquals(3L, v.get(0).get("line"));
    assertTrue(((String) v.get(0).get("message")).startsWith("live-instance limit reached"), capped::toString);
    Outcome negative = check(engine, "--max-live-instances", "-1");
    assertEquals(2, negative.status());
    assertTrue(negative.stderr().contains("--max-live-instances must be 0 (no cap) or more"), negative::toString);
  }

  // ---- --dedupe-exact-ids ----

  /**
   * The contract: a copy is a duplicate while its own time is before t0 + window, however late it
   * comes. {@code check} remembers every id up to {@code --dedupe-exact-ids}; past it (0: from the
   * start) it forgets an id a horizon past its window, as a live stream does, and says so.
   */
  @ParameterizedTest
  @ValueSource(strings = {"--sequential", "--pipeline"})
  void aResendHoursLateIsADuplicateUpToTheExactIdsAndTheSummarySaysWhenPassed(String engine)
      throws IOException {
    events(ev("e1", "authorized", "09:00:00", "p-1", 100), ev("e2", "captured", "09:05:00", "p-1", 100),
        ev("e3", "authorized", "12:00:00", "p-2", 100), ev("e4", "captured", "12:01:00", "p-2", 100),
        ev("e1", "authorized", "09:00:00", "p-1", 100)); // line 5: the producer retries line 1
    Outcome exact = check(engine);
    assertEquals(0, exact.status(), "a duplicate, dropped: " + exact);
    assertTrue(exact.stderr().contains("4 events, 1 duplicates"), exact::toString);
    assertFalse(exact.stderr().contains("dedupe memory passed"), exact::toString);
    for (String limit : List.of("0", "3")) {
      Outcome forgetting = check(engine, "--dedupe-exact-ids", limit);
      assertEquals(1, forgetting.status(), forgetting::toString);
      assertEquals(List.of("transition", "p-1", 5L), List.of(forgetting.violations().get(0).get("kind"),
          forgetting.violations().get(0).get("key"), forgetting.violations().get(0).get("line")),
          forgetting::toString);
      assertEquals(limit.equals("3"), forgetting.stderr().contains(
          "payments: dedupe memory passed 3 ids (--dedupe-exact-ids 3"), forgetting::toString);
    }
    Outcome roomForAll = check(engine, "--dedupe-exact-ids", "4");
    assertEquals(0, roomForAll.status(), roomForAll::toString);
    Outcome negative = check(engine, "--dedupe-exact-ids", "-1");
    assertEquals(2, negative.status());
    assertTrue(negative.stderr().contains("--dedupe-exact-ids must be 0 or more"), negative::toString);
    // A cap of 2 ids: e3 is applied but not recorded, and exactness gives way when e3 moves the
    // watermark; e1 and e2 are forgotten then, so e4 finds room, and line 5's copy of e1 is
    // taken for new.
    Outcome capped = check(engine, "--max-dedupe-ids", "2");
    assertEquals(1, capped.status(), capped::toString);
    assertEquals(5L, capped.violations().get(0).get("line"), capped::toString);
    assertTrue(capped.stderr().contains("payments: dedupe memory was full (2 ids): 1 new ids not "
        + "recorded"), capped::toString);
    assertTrue(capped.stderr().contains("payments: dedupe memory passed 2 ids (--dedupe-exact-ids "
        + "1000000, --max-dedupe-ids 2)"), capped::toString);
    Outcome negativeCap = check(engine, "--max-dedupe-ids", "-3");
    assertEquals(2, negativeCap.status());
    assertTrue(negativeCap.stderr().contains("--max-dedupe-ids must be 0 (no cap) or more"),
        negativeCap::toString);
  }

  // ---- exit status ----

  @Test
  void noViolationIsExitZeroWithEmptyStdout() throws IOException {
    events(ev("e1", "authorized", "09:00:00", "p-1", 100), ev("e2", "captured", "09:01:00", "p-1", 100));
    Outcome o = check();
    assertEquals(0, o.status(), o::toString);
    assertEquals("", o.stdout());
    assertTrue(o.stderr().contains("specwatch check: 2 lines (0 blank)"), o::toString);
    assertTrue(o.stderr().contains("  payments: 0 violations (0 transition, 0 invariant, 0 deadline, "
        + "0 malformed, 0 error); 0 invariants resolved; 2 events, 0 duplicates, 0 ignored; "
        + "1 live instances, 0 deadlines still armed"), o::toString);
    assertTrue(o.stderr().endsWith("  total: 0 violations (0 malformed)\n"), o::toString);
  }

  @Test
  void aViolationIsExitOneAndOneContractLine() throws IOException {
    events(ev("e1", "authorized", "09:00:00", "p-1", 100), ev("e2", "captured", "09:01:00", "p-1", 150));
    Outcome o = check();
    assertEquals(1, o.status(), o::toString);
    assertEquals("{\"spec\":\"payments\",\"kind\":\"invariant\",\"rule\":\"within_authorization\","
        + "\"entity\":\"Payment\",\"key\":\"p-1\",\"line\":2,\"time\":\"2026-03-02T09:01:00.000Z\","
        + "\"message\":\"A payment never captures more than was authorized.\","
        + "\"state\":{\"status\":\"Captured\",\"authorized\":100,\"captured\":150}}\n", o.stdout());
    assertEquals(List.of("spec", "kind", "rule", "entity", "key", "line", "time", "message", "state"),
        List.copyOf(o.violations().get(0).keySet()));
    assertTrue(o.stderr().contains("payments: 1 violations (0 transition, 1 invariant, 0 deadline, "
        + "0 malformed, 0 error)"), o::toString);
    assertTrue(o.stderr().endsWith("  total: 1 violations (0 malformed)\n"), o::toString);
  }

  @Test
  void aTransitionNamesTheFailingClauseAndKeepsTheInitialState() throws IOException {
    events("{\"event_id\":\"e1\",\"type\":\"payment.captured\",\"ts\":1772442000000,\"payment_id\":42,"
        + "\"amount_cents\":5}");
    Outcome o = check();
    assertEquals(1, o.status());
    assertEquals("{\"spec\":\"payments\",\"kind\":\"transition\",\"rule\":\"captured\","
        + "\"entity\":\"Payment\",\"key\":\"42\",\"line\":1,\"time\":\"2026-03-02T09:00:00.000Z\","
        + "\"message\":\"Captures follow authorization. (requires `status in { Authorized, Captured }` "
        + "does not hold)\",\"state\":{\"status\":\"New\",\"authorized\":0,\"captured\":0}}\n",
        o.stdout());
  }

  @Test
  void aMalformedLineAloneIsExitOne() throws IOException {
    events("{\"event_id\":\"e1\",");
    Outcome o = check();
    assertEquals(1, o.status(), o::toString);
    assertEquals("{\"spec\":\"payments\",\"kind\":\"malformed\",\"rule\":null,\"entity\":null,"
        + "\"key\":null,\"line\":1,\"time\":null,\"message\":\"not valid JSON\",\"state\":null}\n",
        o.stdout());
    assertTrue(o.stderr().endsWith("  total: 1 violations (1 malformed)\n"), o::toString);
  }

  @Test
  void aDocumentAnEventCannotDecodeIsMalformedForThatEvent() throws IOException {
    events("{\"event_id\":\"e1\",\"type\":\"payment.authorized\",\"ts\":\"2026-03-02T09:00:00Z\","
        + "\"amount_cents\":5}", "[1,2]");
    Outcome o = check();
    assertEquals(1, o.status(), o::toString);
    assertEquals(List.of(
        "{\"spec\":\"payments\",\"kind\":\"malformed\",\"rule\":\"authorized\",\"entity\":\"Payment\","
            + "\"key\":null,\"line\":1,\"time\":\"2026-03-02T09:00:00.000Z\","
            + "\"message\":\"key `payment_id` is missing\",\"state\":null}",
        "{\"spec\":\"payments\",\"kind\":\"malformed\",\"rule\":null,\"entity\":null,\"key\":null,"
            + "\"line\":2,\"time\":null,\"message\":\"not a JSON object\",\"state\":null}"),
        o.lines());
  }

  @Test
  void duplicatesAreCountedButAreNotViolations() throws IOException {
    String auth = ev("e1", "authorized", "09:00:00", "p-1", 100);
    events(auth, auth, ev("e2", "captured", "09:01:00", "p-1", 100), auth);
    Outcome o = check();
    assertEquals(0, o.status(), o::toString);
    assertEquals("", o.stdout());
    assertTrue(o.stderr().contains("2 events, 2 duplicates, 0 ignored"), o::toString);
  }

  @Test
  void ignoredDocumentsAreCountedButAreNotViolations() throws IOException {
    events("{\"event_id\":\"x\",\"type\":\"other\",\"ts\":\"2026-03-02T09:00:00Z\"}", "{}");
    Outcome o = check();
    assertEquals(0, o.status(), o::toString);
    assertTrue(o.stderr().contains("0 events, 0 duplicates, 2 ignored"), o::toString);
  }

  @Test
  void blankLinesAreSkippedButCounted() throws IOException {
    Files.writeString(dir.resolve("events.jsonl"), "\n  \r\n" + ev("e1", "captured", "09:00:00", "p-1", 1)
        + "\r\n\n" + "oops\n", StandardCharsets.UTF_8);
    Outcome o = check();
    assertEquals(1, o.status());
    List<Map<String, Object>> v = o.violations();
    assertEquals(2, v.size(), o::toString);
    assertEquals(3L, v.get(0).get("line"));
    assertEquals(5L, v.get(1).get("line"));
    assertTrue(o.stderr().contains("specwatch check: 5 lines (3 blank)"), o::toString);
  }

  // ---- specs that do not compile, inputs that cannot be read ----

  @Test
  void aCompileErrorIsExitTwoWithTheRenderedDiagnosticAndNoInputRead() throws IOException {
    Path bad = write("bad.sw", "spec broken\n\nentity E key id {\n  n: int\n}\n"
        + "invariant positive: n >= \n");
    Outcome o = CheckTestSupport.run(untouchable(), "check", bad.toString(), "--events", "-");
    assertEquals(2, o.status(), o::toString);
    assertEquals("", o.stdout());
    List<String> err = List.of(o.stderr().split("\n"));
    Matcher m = Pattern.compile(Pattern.quote(bad.toString()) + ":(\\d+):(\\d+): error: (.+)")
        .matcher(err.get(0));
    assertTrue(m.matches(), o::toString);
    int line = Integer.parseInt(m.group(1));
    int column = Integer.parseInt(m.group(2));
    assertTrue(m.group(3).contains("expected"), "says what was expected: " + m.group(3));
    String sourceLine = Files.readAllLines(bad).get(line - 1);
    assertEquals(" " + line + " | " + sourceLine, err.get(1));
    String gutter = " ".repeat(String.valueOf(line).length());
    assertEquals(" " + gutter + " | " + " ".repeat(column - 1) + "^", err.get(2));
    assertEquals("1 error", err.get(err.size() - 1));
  }

  @Test
  void aCompileErrorWinsOverAMissingEventsFile() throws IOException {
    Path bad = write("bad.sw", "spec broken\nentity E key id { n: nope }\n");
    Outcome o = CheckTestSupport.run("check", bad.toString(), "--events",
        dir.resolve("absent.jsonl").toString());
    assertEquals(2, o.status(), o::toString);
    assertEquals("", o.stdout());
    assertTrue(o.stderr().startsWith(bad + ":2:"), o::toString);
    assertTrue(!o.stderr().contains("cannot read events"), o::toString);
  }

  @Test
  void aSpecThatCompilesAfterOneThatDoesNotStillGivesExitTwoAndNoOutput() throws IOException {
    Path bad = write("bad.sw", "spec broken\nentity E key id { n: int }\ninvariant i: m > 0\n");
    events("not json");
    Outcome o = CheckTestSupport.run("check", spec.toString(), bad.toString(), "--events",
        dir.resolve("events.jsonl").toString());
    assertEquals(2, o.status(), o::toString);
    assertEquals("", o.stdout());
    assertTrue(o.stderr().contains(bad + ":3:"), o::toString);
  }

  @Test
  void aMissingEventsFileIsExitTwo() {
    Path absent = dir.resolve("absent.jsonl");
    Outcome o = CheckTestSupport.run("check", spec.toString(), "--events", absent.toString());
    assertEquals(2, o.status(), o::toString);
    assertEquals("", o.stdout());
    assertTrue(o.stderr().contains("cannot read events from " + absent + ": no such file"), o::toString);
  }

  /**
   * An unreadable file's error names the cause, not the path twice ({@code AccessDeniedException}
   * carries only the path; as root no file is unreadable, so the message is checked directly).
   */
  @Test
  void fileErrorsAreDescribedByTheirCause() {
    assertEquals("permission denied",
        SpecFiles.describe(new java.nio.file.AccessDeniedException("/x/events.jsonl")));
    assertEquals("Is a directory", SpecFiles.describe(
        new java.nio.file.FileSystemException("/x", null, "Is a directory")));
    assertEquals("no such file", SpecFiles.describe(new java.nio.file.NoSuchFileException("/x")));
    assertEquals("disk gone", SpecFiles.describe(new IOException("disk gone")));
  }

  @Test
  void anEventsDirectoryIsExitTwo() {
    Outcome o = CheckTestSupport.run("check", spec.toString(), "--events", dir.toString());
    assertEquals(2, o.status(), o::toString);
    assertEquals("", o.stdout());
    assertTrue(o.stderr().contains("cannot read events from " + dir), o::toString);
  }

  @Test
  void aMissingSpecFileIsExitTwo() throws IOException {
    events(ev("e1", "authorized", "09:00:00", "p-1", 100));
    Path absent = dir.resolve("absent.sw");
    Outcome o = CheckTestSupport.run(untouchable(), "check", spec.toString(), absent.toString(),
        "--events", "-");
    assertEquals(2, o.status(), o::toString);
    assertEquals("", o.stdout());
    assertTrue(o.stderr().contains("cannot read spec " + absent + ": no such file"), o::toString);
  }

  @Test
  void aSpecThatIsNotUtf8IsExitTwo() throws IOException {
    Path latin1 = Files.write(dir.resolve("latin1.sw"),
        "spec caf\u00e9\n".getBytes(StandardCharsets.ISO_8859_1));
    Outcome o = CheckTestSupport.run(untouchable(), "check", latin1.toString(), "--events", "-");
    assertEquals(2, o.status(), o::toString);
    assertTrue(o.stderr().contains("cannot read spec " + latin1 + ": not valid UTF-8"), o::toString);
  }

  @Test
  void twoSpecsWithOneNameAreExitTwo() throws IOException {
    Path twin = write("twin.sw", PAYMENTS.replace("An authorized payment", "A payment"));
    events("not json");
    Outcome o = CheckTestSupport.run("check", spec.toString(), twin.toString(), "--events",
        dir.resolve("events.jsonl").toString());
    assertEquals(2, o.status(), o::toString);
    assertEquals("", o.stdout());
    assertTrue(o.stderr().contains("two specs are named `payments`"), o::toString);
  }

  @ParameterizedTest
  @ValueSource(strings = {"--max-document-bytes=0", "--max-document-bytes=-5", "--no-such-option",
      "--max-document-bytes=lots"})
  void badOptionsAreExitTwo(String option) throws IOException {
    events(ev("e1", "authorized", "09:00:00", "p-1", 100));
    Outcome o = check(option);
    assertEquals(2, o.status(), o::toString);
    assertEquals("", o.stdout());
    assertTrue(!o.stderr().isEmpty());
  }

  @Test
  void eventsAreRequired() {
    Outcome o = CheckTestSupport.run("check", spec.toString());
    assertEquals(2, o.status(), o::toString);
    assertTrue(o.stderr().contains("--events"), o::toString);
  }

  // ---- input and options ----

  @Test
  void dashReadsStandardInput() throws IOException {
    String input = ev("e1", "authorized", "09:00:00", "p-1", 100) + "\n"
        + ev("e2", "captured", "09:01:00", "p-1", 150) + "\n";
    events(input.strip().split("\n"));
    Outcome fromFile = check();
    Outcome fromStdin = CheckTestSupport.run(
        new ByteArrayInputStream(input.getBytes(StandardCharsets.UTF_8)),
        "check", spec.toString(), "--events", "-");
    assertEquals(1, fromStdin.status(), fromStdin::toString);
    assertEquals(fromFile.stdout(), fromStdin.stdout());
    assertEquals(1, fromStdin.lines().size());
  }

  @Test
  void flushFiresTheDeadlinesStillArmedWithANullLine() throws IOException {
    events(ev("e1", "authorized", "09:00:00", "p-2", 100), ev("e2", "authorized", "09:00:30", "p-1", 100),
        ev("e3", "authorized", "09:01:00", "p-3", 100), ev("e4", "captured", "09:02:00", "p-3", 100));
    Outcome without = check();
    assertEquals(0, without.status(), without::toString);
    assertEquals("", without.stdout());
    assertTrue(without.stderr().contains("2 deadlines still armed"), without::toString);

    Outcome with = check("--flush");
    assertEquals(1, with.status(), with::toString);
    // In firing order: by expiry.
    assertEquals(List.of(
        "{\"spec\":\"payments\",\"kind\":\"deadline\",\"rule\":\"settle\",\"entity\":\"Payment\","
            + "\"key\":\"p-2\",\"line\":null,\"time\":\"2026-03-02T09:10:00.000Z\","
            + "\"message\":\"An authorized payment is captured within 10 minutes.\","
            + "\"state\":{\"status\":\"Authorized\",\"authorized\":100,\"captured\":0}}",
        "{\"spec\":\"payments\",\"kind\":\"deadline\",\"rule\":\"settle\",\"entity\":\"Payment\","
            + "\"key\":\"p-1\",\"line\":null,\"time\":\"2026-03-02T09:10:30.000Z\","
            + "\"message\":\"An authorized payment is captured within 10 minutes.\","
            + "\"state\":{\"status\":\"Authorized\",\"authorized\":100,\"captured\":0}}"),
        with.lines());
  }

  @Test
  void aDeadlineCarriesTheLineThatMovedTheWatermark() throws IOException {
    events(ev("e1", "authorized", "09:00:00", "p-1", 100), "{\"type\":\"noise\"}",
        ev("e2", "authorized", "09:10:01", "p-2", 100));
    Outcome o = check();
    assertEquals(1, o.status(), o::toString);
    Map<String, Object> v = o.violations().get(0);
    assertEquals(List.of("payments", "deadline", "settle", "Payment", "p-1", 3L), CheckTestSupport.tuple(v));
    assertEquals("2026-03-02T09:10:00.000Z", v.get("time"));
  }

  @Test
  void specsRunInCommandLineOrderForEachLine() throws IOException {
    Path other = write("ledger.sw", """
        spec ledger
        entity Account key account { balance: int }
        event moved for Account when kind == "move" { amount: int }
        on moved(e) { balance += e.amount }
        /// Balances stay positive.
        invariant positive: balance >= 0
        """);
    events("garbage", "{\"kind\":\"move\",\"account\":\"a\",\"amount\":-1}", "[]");
    Outcome ab = CheckTestSupport.run("check", spec.toString(), other.toString(), "--events",
        dir.resolve("events.jsonl").toString());
    assertEquals(1, ab.status(), ab::toString);
    List<List<Object>> tuples = new ArrayList<>();
    for (Map<String, Object> v : ab.violations()) {
      tuples.add(CheckTestSupport.tuple(v));
    }
    assertEquals(List.of(
        malformed("payments", 1), malformed("ledger", 1),
        List.of("ledger", "invariant", "positive", "Account", "a", 2L),
        malformed("payments", 3), malformed("ledger", 3)), tuples);

    Outcome ba = CheckTestSupport.run("check", other.toString(), spec.toString(), "--events",
        dir.resolve("events.jsonl").toString());
    assertEquals(List.of("ledger", "payments", "ledger", "ledger", "payments"),
        ba.violations().stream().map(v -> v.get("spec")).toList());
  }

  private static List<Object> malformed(String spec, long line) {
    List<Object> t = new ArrayList<>();
    t.add(spec);
    t.add("malformed");
    t.add(null);
    t.add(null);
    t.add(null);
    t.add(line);
    return t;
  }

  @Test
  void aLineOverTheDocumentLimitIsMalformedWithItsSize() throws IOException {
    String big = "{\"pad\":\"" + "x".repeat(200) + "\"}";
    events(big, ev("e1", "captured", "09:00:00", "p-1", 1));
    Outcome o = check("--max-document-bytes", "150");
    assertEquals(1, o.status(), o::toString);
    Map<String, Object> v = o.violations().get(0);
    assertEquals(List.of("payments", "malformed"), List.of(v.get("spec"), v.get("kind")));
    assertEquals("document of " + big.length() + " bytes exceeds the limit of 150 bytes "
        + "(--max-document-bytes)", v.get("message"));
    // The next line is read and judged as usual.
    assertEquals(List.of("payments", "transition", "captured", "Payment", "p-1", 2L),
        CheckTestSupport.tuple(o.violations().get(1)));
    assertEquals(2, o.violations().size(), o::toString);
  }

  @Test
  void sequentialAndPipelinedRunsWriteTheSameBytes() throws IOException {
    List<String> lines = new ArrayList<>();
    java.util.SplittableRandom r = new java.util.SplittableRandom(8);
    for (int i = 0; i < 3000; i++) {
      String type = r.nextInt(3) == 0 ? "captured" : "authorized";
      int minute = i / 10;
      lines.add(r.nextInt(50) == 0 ? "{broken" : ev("e" + r.nextInt(2500), type,
          String.format("%02d:%02d:%02d", 9 + minute / 60, minute % 60, i % 60), "p-" + r.nextInt(300),
          r.nextInt(1, 200)));
    }
    events(lines.toArray(new String[0]));
    Outcome pipelined = check("--flush", "--pipeline");
    Outcome sequential = check("--flush", "--sequential");
    assertEquals(1, pipelined.status());
    assertTrue(pipelined.lines().size() > 100, "the input should raise many violations");
    assertEquals(sequential.stdout(), pipelined.stdout());
    assertEquals(sequential.stderr().replaceAll("in [0-9.]+ s, [0-9]+ lines/s", ""),
        pipelined.stderr().replaceAll("in [0-9.]+ s, [0-9]+ lines/s", ""));
    assertEquals(sequential.stdout(), check("--flush").stdout(),
        "the default (pipelined on 2 processors or more) writes the same bytes");
  }

  @Test
  void pipelineAndSequentialExcludeEachOther() throws IOException {
    events(ev("e1", "authorized", "09:00:00", "p-1", 100));
    Outcome o = check("--pipeline", "--sequential");
    assertEquals(2, o.status());
    assertTrue(o.stderr().contains("--pipeline and --sequential exclude each other"), o.stderr());
  }
}
