package io.specwatch.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.specwatch.core.json.Rfc3339;
import io.specwatch.core.program.EntityType;
import io.specwatch.core.program.StateVar;
import io.specwatch.core.program.ValueType;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class StateSnapshotTest {
  private static final ValueType STATUS = ValueType.newEnum(List.of("New", "Leased", "Done"), "status");

  /** An entity with one variable of every type; long slots and reference slots interleaved. */
  private static EntityType entity() {
    List<StateVar> vars = List.of(
        new StateVar("status", STATUS, 0),
        new StateVar("holder", ValueType.STRING, 0),
        new StateVar("count", ValueType.INT, 1),
        new StateVar("held", ValueType.BOOL, 2),
        new StateVar("granted_at", ValueType.TIME, 3),
        new StateVar("lease_left", ValueType.DURATION, 4),
        new StateVar("ids", ValueType.SET_INT, 1),
        new StateVar("claimants", ValueType.SET_STRING, 2));
    return new EntityType("Task", 0, 0, "task_id", vars, new long[5],
        new Object[] {"", Set.of(), Set.of()}, null, List.of(), List.of(), null);
  }

  private static String json(StateSnapshot s) {
    StringBuilder sb = new StringBuilder();
    s.appendJson(sb);
    return sb.toString();
  }

  @Test
  void variablesInDeclarationOrderWithTheContractsValueForms() {
    long granted = Rfc3339.parse("2026-03-02T09:00:00Z");
    StateSnapshot s = new StateSnapshot(entity(), new long[] {1, -42, 1, granted, 30_000},
        new Object[] {"w-03", Set.of(), new HashSet<>(List.of("w-21", "w-03"))});
    assertEquals("{\"status\":\"Leased\",\"holder\":\"w-03\",\"count\":-42,\"held\":true,"
        + "\"granted_at\":\"2026-03-02T09:00:00.000Z\",\"lease_left\":30000,\"ids\":[],"
        + "\"claimants\":[\"w-03\",\"w-21\"]}", json(s));
  }

  @Test
  void initialValues() {
    EntityType e = entity();
    StateSnapshot s = new StateSnapshot(e, e.initialLongs(), e.initialRefs());
    assertEquals("{\"status\":\"New\",\"holder\":\"\",\"count\":0,\"held\":false,"
        + "\"granted_at\":\"1970-01-01T00:00:00.000Z\",\"lease_left\":0,\"ids\":[],\"claimants\":[]}",
        json(s));
  }

  @Test
  void intSetsAreSortedNumerically() {
    Set<Long> ids = new HashSet<>(List.of(10L, 2L, -1L, 100L, Long.MIN_VALUE, Long.MAX_VALUE, 0L, -20L));
    StateSnapshot s = new StateSnapshot(entity(), new long[5], new Object[] {"", ids, Set.of()});
    assertTrue(json(s).contains("\"ids\":[" + Long.MIN_VALUE + ",-20,-1,0,2,10,100,"
        + Long.MAX_VALUE + "]"), json(s));
  }

  @Test
  void stringSetsAreSortedByCodePointNotByUtf16Unit() {
    // U+FFFF sorts before U+1F600 by code point, after it by UTF-16 unit (D83D < FFFF); likewise
    // U+E000 (private use) against any supplementary character.
    List<String> expected = List.of("", "A", "Z", "a", "ab", "b", "é", "\ue000", "\uffff",
        "😀", "😀a", "\udbff\udfff");
    List<String> shuffled = new ArrayList<>(expected);
    Collections.shuffle(shuffled, new java.util.Random(3));
    StateSnapshot s = new StateSnapshot(entity(), new long[5],
        new Object[] {"", Set.of(), new HashSet<>(shuffled)});
    assertTrue(json(s).endsWith("\"claimants\":[\"\",\"A\",\"Z\",\"a\",\"ab\",\"b\",\"é\","
        + "\"\ue000\",\"\uffff\",\"😀\",\"😀a\",\"\udbff\udfff\"]}"), json(s));
    // String.compareTo would have put the supplementary characters first.
    List<String> utf16 = new ArrayList<>(expected);
    Collections.sort(utf16);
    assertTrue(!utf16.equals(expected));
  }

  @Test
  void stringsInStateAreEscaped() {
    StateSnapshot s = new StateSnapshot(entity(), new long[5],
        new Object[] {"say \"hi\"\n\u0001\u2028\ud800", Set.of(), Set.of("\"q\"")});
    String j = json(s);
    assertTrue(j.contains("\"holder\":\"say \\\"hi\\\"\\n\\u0001\\u2028\\ud800\""), j);
    assertTrue(j.contains("\"claimants\":[\"\\\"q\\\"\"]"), j);
  }

  @Test
  void theSnapshotDoesNotFollowLaterWritesToTheStateArrays() {
    long[] longs = {0, 5, 0, 0, 0};
    Object[] refs = {"a", Set.of(), Set.of()};
    StateSnapshot s = new StateSnapshot(entity(), longs, refs);
    longs[1] = 6;
    refs[0] = "b";
    String j = json(s);
    assertTrue(j.contains("\"count\":5") && j.contains("\"holder\":\"a\""), j);
  }

  @Test
  void compareCodePoints() {
    assertEquals(0, Integer.signum(StateSnapshot.compareCodePoints("", "")));
    assertEquals(-1, Integer.signum(StateSnapshot.compareCodePoints("", "a")));
    assertEquals(1, Integer.signum(StateSnapshot.compareCodePoints("ab", "a")));
    assertEquals(-1, Integer.signum(StateSnapshot.compareCodePoints("\uffff", "😀")));
    assertEquals(1, Integer.signum(StateSnapshot.compareCodePoints("😀", "\uffff")));
    assertEquals(-1, Integer.signum(StateSnapshot.compareCodePoints("😀", "😁")));
    assertEquals(0, Integer.signum(StateSnapshot.compareCodePoints("x😀", "x😀")));
    // A lone surrogate counts as its own code unit value.
    assertEquals(-1, Integer.signum(StateSnapshot.compareCodePoints("\ud800", "\ue000")));
  }

  @Test
  void timesOutsideYearsZeroToNineThousandNineHundredNinetyNineStillFormat() {
    StateSnapshot s = new StateSnapshot(entity(), new long[] {0, 0, 0, Long.MAX_VALUE, 0},
        new Object[] {"", Set.of(), Set.of()});
    assertTrue(json(s).contains("\"granted_at\":\"+292278994-08-17T07:12:55.807Z\""), json(s));
  }
}
