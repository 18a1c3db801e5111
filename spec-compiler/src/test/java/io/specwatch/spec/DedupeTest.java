package io.specwatch.spec;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.specwatch.spec.Specs.Session;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Duplicate detection by `input id` and `dedupe within`. */
class DedupeTest {
  private static final long T0 = 1_772_442_000_000L; // 09:00:00
  private static final long MIN = 60_000L;

  /** Every accepted `hit` raises a transition, so a dropped duplicate is visible as silence. */
  private static String spec(String input) {
    return "spec dd\ninput { " + input + " }\nentity A key k { n: int }\n"
        + "event hit for A when type == \"hit\"\non hit requires false { }\n";
  }

  private static String hit(Object id, long ts) {
    return "{\"type\":\"hit\",\"k\":\"a\",\"eid\":" + id + ",\"ts\":" + ts + "}";
  }

  private static long duplicates(Session s) {
    return s.monitor.runtimes().get(0).stats().duplicates;
  }

  @Test
  void theWindowOfTheReference() {
    // docs/language.md 4.1, with `dedupe within 10m`.
    Session s = Session.of(spec("time ts; id eid; dedupe within 10m"));
    assertEquals(List.of("transition hit A a @1"), s.sendBrief(hit("\"e-1\"", T0)));
    assertEquals(List.of(), s.sendBrief(hit("\"e-1\"", T0 + 10 * MIN - 1000)));
    assertEquals(List.of("transition hit A a @3"), s.sendBrief(hit("\"e-1\"", T0 + 10 * MIN)));
    assertEquals(List.of("transition hit A a @4"),
        s.sendBrief("{\"type\":\"hit\",\"k\":\"a\",\"ts\":" + (T0 + 10 * MIN + 1000) + "}"));
    // t0 is now the copy of line 3: a copy 10 minutes after line 1 but before line 3 + 10m is dropped.
    assertEquals(List.of(), s.sendBrief(hit("\"e-1\"", T0 + 19 * MIN)));
    assertEquals(2, duplicates(s));
  }

  @Test
  void anEarlierCopyIsADuplicateToo() {
    Session s = Session.of(spec("time ts; id eid; dedupe within 10m"));
    s.send(hit("\"e\"", T0));
    assertEquals(List.of(), s.sendBrief(hit("\"e\"", T0 - 5 * MIN)));
  }

  @Test
  void theDefaultWindowIsOneHour() {
    Session s = Session.of(spec("time ts; id eid"));
    s.send(hit("\"e\"", T0));
    assertEquals(List.of(), s.sendBrief(hit("\"e\"", T0 + 60 * MIN - 1)));
    assertEquals(List.of("transition hit A a @3"), s.sendBrief(hit("\"e\"", T0 + 60 * MIN)));
  }

  @Test
  void withoutInputTimeAnIdIsADuplicateWheneverItWasAcceptedBefore() {
    Session s = Session.of(spec("id eid; dedupe within 1ms"));
    s.send(hit("\"e\"", 0));
    assertEquals(List.of(), s.sendBrief(hit("\"e\"", T0 + 365L * 24 * 60 * MIN)));
    assertEquals(List.of("transition hit A a @3"), s.sendBrief(hit("\"f\"", 0)));
  }

  @Test
  void integerAndStringIdsAreTheSameId() {
    Session s = Session.of(spec("time ts; id eid"));
    s.send(hit("42", T0));
    assertEquals(List.of(), s.sendBrief(hit("\"42\"", T0 + 1)));
    assertEquals(List.of("transition hit A a @3"), s.sendBrief(hit("\"042\"", T0 + 2)));
    assertEquals(List.of(), s.sendBrief(hit("42", T0 + 3)));
  }

  @Test
  void anIdIsTheSameIdInEveryFormItCanTake() {
    // Plain ASCII ids are packed from the document's bytes, others from their string: each pair
    // must meet, with and without event time.
    String longId = "e".repeat(40);
    String[][] pairs = {{"\"a\"", "\"\\u0061\""}, {"\"\\u0061\"", "\"a\""},
        {"-9223372036854775808", "\"-9223372036854775808\""}, {"\"0\"", "0"},
        {"\"é\"", "\"\\u00e9\""}, {"\"\u20ac\"", "\"\\u20ac\""},
        {"\"" + longId + "\"", "\"" + longId + "\""}};
    for (String input : new String[] {"time ts; id eid", "id eid"}) {
      for (String[] pair : pairs) {
        Session s = Session.of(spec(input));
        assertEquals(List.of("transition hit A a @1"), s.sendBrief(hit(pair[0], T0)));
        assertEquals(List.of(), s.sendBrief(hit(pair[1], T0 + 1)), input + ": " + pair[1]);
        assertEquals(List.of("transition hit A a @3"), s.sendBrief(hit("\"other\"", T0 + 2)));
      }
    }
  }

  @Test
  void documentsWithoutAUsableIdAreNeverDuplicates() {
    Session s = Session.of(spec("time ts; id eid"));
    for (String id : List.of("null", "true", "1.5", "1e2", "{\"a\":1}", "[1]")) {
      s.send(hit(id, T0));
      assertEquals(1, s.sendBrief(hit(id, T0)).size(), id);
    }
    s.send("{\"type\":\"hit\",\"k\":\"a\",\"ts\":" + T0 + "}");
    assertEquals(1, s.sendBrief("{\"type\":\"hit\",\"k\":\"a\",\"ts\":" + T0 + "}").size());
    assertEquals(0, duplicates(s));
  }

  @Test
  void anIdIsRecordedEvenWhenTheDocumentMatchesNoEvent() {
    Session s = Session.of(spec("time ts; id eid"));
    assertEquals(List.of(), s.sendBrief("{\"type\":\"other\",\"eid\":\"x\",\"ts\":" + T0 + "}"));
    assertEquals(List.of(), s.sendBrief(hit("\"x\"", T0 + 1)));
    assertEquals(1, duplicates(s));
  }

  @Test
  void aDuplicateIsDroppedBeforeDecodingAndIsNotMalformed() {
    Session s = Session.of(spec("time ts; id eid"));
    s.send(hit("\"x\"", T0));
    assertEquals(List.of(), s.sendBrief("{\"type\":\"hit\",\"eid\":\"x\",\"ts\":" + (T0 + 1) + "}"),
        "a duplicate without key: dropped, not malformed");
  }

  @Test
  void duplicatesDoNotMoveTheWatermark() {
    Session s = Session.of("spec dd\ninput { time ts; id eid; dedupe within 1d }\nentity A key k { n: int }\n"
        + "event go for A when type == \"go\"\nevent hit for A when type == \"hit\"\n"
        + "deadline d: after go expect hit within 10m\n");
    s.send("{\"type\":\"go\",\"k\":\"a\",\"eid\":\"g\",\"ts\":" + T0 + "}");
    s.send("{\"type\":\"hit\",\"k\":\"b\",\"eid\":\"h\",\"ts\":" + (T0 + 1) + "}");
    assertEquals(List.of(), s.sendBrief("{\"type\":\"hit\",\"k\":\"b\",\"eid\":\"h\",\"ts\":" + (T0 + 60 * MIN) + "}"));
    assertEquals(List.of("deadline d A a @4"),
        s.sendBrief("{\"type\":\"hit\",\"k\":\"b\",\"eid\":\"i\",\"ts\":" + (T0 + 10 * MIN + 1) + "}"));
  }

  @Test
  void anIdWithoutAValidTimeIsNeitherCheckedNorRecorded() {
    // docs/language.md, choice 5: such a document is malformed for every event it matches anyway.
    Session s = Session.of(spec("time ts; id eid"));
    s.send(hit("\"x\"", T0));
    assertEquals(List.of("malformed hit A a @2"), s.sendBrief("{\"type\":\"hit\",\"k\":\"a\",\"eid\":\"x\"}"));
    assertEquals(List.of("malformed hit A a @3"), s.sendBrief("{\"type\":\"hit\",\"k\":\"a\",\"eid\":\"y\",\"ts\":\"?\"}"));
    assertEquals(List.of("transition hit A a @4"), s.sendBrief(hit("\"y\"", T0)), "y was not recorded");
    assertEquals(0, duplicates(s));
  }

  @Test
  void aLateCopyIsStillADuplicateAfterTheWatermarkPassedItsWindow() {
    // The contract: a duplicate is decided by the copy's own time, however late it arrives.
    Session s = Session.of(spec("time ts; id eid; dedupe within 10m"));
    s.send(hit("\"x\"", T0));
    s.send(hit("\"other\"", T0 + 10 * MIN - 1));
    assertEquals(List.of(), s.sendBrief(hit("\"x\"", T0 + 5 * MIN)), "within the window");
    s.send(hit("\"other2\"", T0 + 30 * MIN));
    assertEquals(List.of(), s.sendBrief(hit("\"x\"", T0 + 5 * MIN)), "late, still a duplicate");
  }

  @Test
  void anIdIsForgottenOnlyAnHourOrAWindowAfterItsWindowEnded() {
    // docs/language.md, choice 4: memory is bounded by forgetting ids once the watermark is
    // max(window, 1h) past the end of their window; a copy later than that is taken for new.
    Session s = Session.of(spec("time ts; id eid; dedupe within 10m"));
    s.send(hit("\"x\"", T0));
    s.send(hit("\"other\"", T0 + 70 * MIN - 1));
    assertEquals(List.of(), s.sendBrief(hit("\"x\"", T0 + 5 * MIN)), "just inside the horizon");
    s.send(hit("\"other2\"", T0 + 70 * MIN));
    assertEquals(List.of("transition hit A a @5"), s.sendBrief(hit("\"x\"", T0 + 5 * MIN)), "forgotten");
  }

  @Test
  void dedupeNeedsAnId() {
    assertEquals(true, Specs.errors(spec("time ts; dedupe within 1m"))
        .contains("t.sw:2:18: error: `dedupe` needs an event id: expected `id PATH` in the input block"));
  }

  /** Regression (found by the differential test): a window that ends past Long.MAX_VALUE. */
  @Test
  void aCopyAtTheLargestTimeIsStillADuplicateWhenTheWindowEndsPastIt() {
    Session s = Session.of(spec("time ts; id eid; dedupe within 10m"));
    s.send(hit("\"x\"", Long.MAX_VALUE - 1000));
    assertEquals(List.of(), s.sendBrief(hit("\"x\"", Long.MAX_VALUE)), "t0 + 10m overflows: still a duplicate");
  }
}
