package io.specwatch.spec;

import static io.specwatch.spec.Specs.errors;
import static io.specwatch.spec.Specs.only;
import static io.specwatch.spec.Specs.state;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.specwatch.core.Violation;
import io.specwatch.spec.Specs.Session;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Handlers: source order, requires, transition messages, statements, atomic faults. */
class HandlersTest {
  private static final String ENTITY = "spec h\nentity Task key id {\n"
      + "  status: enum { New, Leased, Done }\n  holder: string\n  tries: int\n}\n";

  private static String doc(String type, String extra) {
    return "{\"type\":\"" + type + "\",\"id\":\"t1\"" + (extra.isEmpty() ? "" : "," + extra) + "}";
  }

  private static String probeState(Session s) {
    return state(only(s.send("{\"type\":\"probe\",\"id\":\"t1\"}")));
  }

  private static final String PROBE = "event probe for Task when type == \"probe\"\non probe requires false { }\n";

  @Test
  void theFirstHandlerWhoseRequiresHoldRuns() {
    Session s = Session.of(ENTITY + "event lease for Task when type == \"lease\" { worker: string }\n"
        + "on lease(e) requires status == New { status = Leased; holder = e.worker; tries = 1 }\n"
        + "on lease(e) requires status == Leased, e.worker == holder { tries += 10 }\n"
        + "on lease(e) requires status == Leased { tries += 100 }\n" + PROBE);
    s.sendAll(doc("lease", "\"worker\":\"w1\""));
    assertEquals("{\"status\":\"Leased\",\"holder\":\"w1\",\"tries\":1}", probeState(s));
    s.sendAll(doc("lease", "\"worker\":\"w1\""));
    assertEquals("{\"status\":\"Leased\",\"holder\":\"w1\",\"tries\":11}", probeState(s));
    s.sendAll(doc("lease", "\"worker\":\"w2\""));
    assertEquals("{\"status\":\"Leased\",\"holder\":\"w1\",\"tries\":111}", probeState(s));
  }

  @Test
  void whenNoHandlerCanRunTheLastOneTriedNamesItsFirstFailingClause() {
    Session s = Session.of(ENTITY + "/// Completing an event.\n"
        + "event complete for Task when type == \"complete\" { worker: string }\n"
        + "/// The holder completes a leased task.\n"
        + "on complete(e) requires status == Leased, e.worker == holder { status = Done }\n"
        + "/// Anyone may complete a task that was never leased,\n/// once.\n"
        + "on complete(e) requires status != Leased,\n    status   !=\n  Done,\n tries == 0 { status = Done }\n");
    // The first run completes the new task (second handler); the next fails both handlers.
    assertEquals(List.of(), s.sendBrief(doc("complete", "\"worker\":\"w\"")));
    Violation v = only(s.send(doc("complete", "\"worker\":\"w\"")));
    assertEquals("transition complete Task t1 @2", Specs.brief(v));
    assertEquals("Anyone may complete a task that was never leased, once. "
        + "(requires `status != Done` does not hold)", v.message());
    assertEquals("{\"status\":\"Done\",\"holder\":\"\",\"tries\":0}", state(v));
  }

  @Test
  void withoutADocOnTheLastHandlerTheEventsDocIsUsed() {
    Session s = Session.of(ENTITY + "/// A task is completed.\n"
        + "event complete for Task when type == \"complete\"\n"
        + "/// Not this one: it is not the last handler.\n"
        + "on complete requires status == Leased { }\n"
        + "on complete requires tries > 0 { }\n");
    assertEquals("A task is completed. (requires `tries > 0` does not hold)",
        only(s.send(doc("complete", ""))).message());
  }

  @Test
  void withoutAnyDocTheMessageIsGenerated() {
    Session s = Session.of(ENTITY + "event complete for Task when type == \"complete\"\n"
        + "on complete requires tries >= 0, status == Leased { }\n");
    assertEquals("no handler of `complete` can run (requires `status == Leased` does not hold)",
        only(s.send(doc("complete", ""))).message());
  }

  @Test
  void aTransitionLeavesTheStateAsItWasAndForANewKeyShowsTheInitialState() {
    Session s = Session.of(ENTITY + "event bump for Task when type == \"bump\"\n"
        + "on bump requires tries < 1 { tries += 1 }\n" + PROBE);
    assertEquals(List.of(), s.sendBrief(doc("bump", "")));
    Violation v = only(s.send(doc("bump", "")));
    assertEquals("{\"status\":\"New\",\"holder\":\"\",\"tries\":1}", state(v));
    v = only(s.send("{\"type\":\"bump\",\"id\":\"fresh\"}".replace("bump", "probe")));
    assertEquals("{\"status\":\"New\",\"holder\":\"\",\"tries\":0}", state(v));
  }

  @Test
  void statementsTakeEffectInOrder() {
    Session s = Session.of(ENTITY + "event run for Task when type == \"run\" { n: int }\n"
        + "on run(e) {\n  tries = e.n\n  tries = tries * 2\n"
        + "  if tries > 10 { status = Done } else if tries > 4 { status = Leased } else { holder = \"small\" }\n"
        + "  if status == Leased {\n    holder = \"mid\"\n  }\n  else {\n    tries += 0\n  }\n}\n" + PROBE);
    s.send(doc("run", "\"n\":3"));
    assertEquals("{\"status\":\"Leased\",\"holder\":\"mid\",\"tries\":6}", probeState(s));
    // The first `if` sets holder to "small", the second (status is still Leased) to "mid".
    s.send(doc("run", "\"n\":1"));
    assertEquals("{\"status\":\"Leased\",\"holder\":\"mid\",\"tries\":2}", probeState(s));
    s.send(doc("run", "\"n\":6"));
    assertEquals("{\"status\":\"Done\",\"holder\":\"mid\",\"tries\":12}", probeState(s));
    Session fresh = Session.of(ENTITY + "event run for Task when type == \"run\" { n: int }\n"
        + "on run(e) { tries = e.n; if tries > 4 { status = Leased } else { holder = \"small\" } }\n" + PROBE);
    fresh.send(doc("run", "\"n\":1"));
    assertEquals("{\"status\":\"New\",\"holder\":\"small\",\"tries\":1}", probeState(fresh));
  }

  @Test
  void anEventWithoutHandlerChangesNoState() {
    Session s = Session.of(ENTITY + "event note for Task when type == \"note\"\n"
        + "event bump for Task when type == \"bump\"\non bump { tries += 1 }\n"
        + "invariant never: tries < 1\n" + PROBE);
    assertEquals(List.of(), s.sendBrief(doc("note", "")));
    assertEquals("{\"status\":\"New\",\"holder\":\"\",\"tries\":0}", probeState(s));
  }

  @Test
  void faultsAreAtomicAndAFaultInRequiresEndsTheSearch() {
    Session s = Session.of(ENTITY + "event run for Task when type == \"run\" { n: int }\n"
        + "on run(e) requires 10 / e.n > 0 { tries = 1 }\n"
        + "on run(e) { tries = 2 }\n"
        + "event write for Task when type == \"write\" { n: int }\n"
        + "on write(e) { status = Done; holder = \"x\"; tries = e.n; tries = tries * tries }\n" + PROBE);
    Violation v = only(s.send(doc("run", "\"n\":0")));
    assertEquals("error run Task t1 @1", Specs.brief(v));
    assertEquals("division by zero", v.message());
    assertEquals(List.of(), s.sendBrief(doc("run", "\"n\":-1")));
    assertEquals("{\"status\":\"New\",\"holder\":\"\",\"tries\":2}", probeState(s));
    v = only(s.send(doc("write", "\"n\":4294967296")));
    assertEquals("error write Task t1 @4", Specs.brief(v));
    assertEquals("64-bit overflow", v.message());
    assertEquals("{\"status\":\"New\",\"holder\":\"\",\"tries\":2}", state(v));
    assertEquals("{\"status\":\"New\",\"holder\":\"\",\"tries\":2}", probeState(s));
  }

  @Test
  void requiresMayUseNow() {
    Session s = Session.of("spec h\ninput { time ts }\nentity G key id { until: time }\n"
        + "event grant for G when type == \"grant\" { until: time }\n"
        + "event use for G when type == \"use\"\n"
        + "on grant(e) requires e.until > now { until = e.until }\n"
        + "on use requires now < until { }\n");
    assertEquals(List.of(), s.sendBrief("{\"type\":\"grant\",\"id\":\"g\",\"ts\":1000,\"until\":5000}"));
    assertEquals(List.of(), s.sendBrief("{\"type\":\"use\",\"id\":\"g\",\"ts\":4999}"));
    assertEquals(List.of("transition use G g @3"), s.sendBrief("{\"type\":\"use\",\"id\":\"g\",\"ts\":5000}"));
    assertEquals(List.of("transition grant G h @4"),
        s.sendBrief("{\"type\":\"grant\",\"id\":\"h\",\"ts\":5000,\"until\":5000}"));
  }

  @Test
  void handlerErrors() {
    String base = ENTITY + "event run for Task when type == \"run\" { n: int }\n";
    assertTrue(errors(base + "on walk { }\n").contains("t.sw:8:4: error: unknown event `walk`: expected one of the declared events (run)"));
    assertTrue(errors(base + "on run(tries) { }\n").contains("t.sw:8:8: error: the event's name `tries` is already a state variable of `Task`"));
    assertTrue(errors(base + "on run(Done) { }\n").contains("t.sw:8:8: error: the event's name `Done` is already an enum constant of `Task`"));
    assertTrue(errors(base + "on run(e) { e = 1 }\n").contains("the event `e` cannot be assigned"));
    assertTrue(errors(base + "on run(e) { tries = e }\n").contains("`e` is the event: use one of its fields"));
    assertTrue(errors(base + "on run(e) { tries = e.m }\n").contains("event `run` has no field `m`: expected one of its fields (n, time, key)"));
    assertTrue(errors(base + "on run { tries = e.n }\n").contains("unknown name `e`: to read the event's fields, name it in the handler, as in `on run(e)`"));
    assertTrue(errors(base + "on run(e) { tries = x.n }\n").contains("unknown name `x`: the event is called `e` here"));
    assertTrue(errors(base + "on run(e) { holder.n = 1 }\n").contains("t.sw:8:13: error: cannot assign to `holder.n`: only the entity's state variables can be assigned (`VAR = EXPR`)"));
    assertTrue(errors(base + "on run(e) { tries.n = 1 }\n").contains("t.sw:8:13: error: cannot assign to `tries.n`: only the entity's state variables can be assigned"));
    assertTrue(errors(base + "on run { e.n = 1 }\n").contains("t.sw:8:10: error: cannot assign to `e.n`: only the entity's state variables can be assigned"));
    assertTrue(errors(base + "on run(e) { e.n += 1 }\n").contains("t.sw:8:13: error: cannot assign to `e.n`: event fields are read-only"));
    assertTrue(errors(base + "on run(e) { e.n 1 }\n").contains("t.sw:8:15: error: expected `add` or `remove` after `e.`, found `n`"));
    assertTrue(errors(base + "on run(e) { tries == 1 }\n").contains("t.sw:8:19: error: expected `=` to assign, found `==`"));
    assertTrue(errors(base + "on run(e) requires e.n { }\n").contains("a `requires` clause must be a bool, but this is int"));
    assertTrue(errors(base + "on run(e) requires true\n").contains("expected `{` to open the handler's body, found a new line"));
    assertTrue(errors(base + "on run(e) { if tries { } }\n").contains("an `if` condition must be a bool, but this is int"));
  }

  @Test
  void everyBadStatementOfAHandlerIsReported() {
    String e = errors(ENTITY + "event run for Task when type == \"run\" { n: int }\n"
        + "on run(e) {\n  tries = \"x\"\n  holder = 1\n  if tries { status = 3 }\n  missing = 1\n}\n");
    assertTrue(e.contains("t.sw:9:"), e);
    assertTrue(e.contains("t.sw:10:"), e);
    assertTrue(e.contains("t.sw:11:6: error: an `if` condition must be a bool"), e);
    assertTrue(e.contains("t.sw:11:21: error: `status` is enum"), e);
    assertTrue(e.contains("t.sw:12:3: error: unknown state variable `missing`"), e);
  }

  @Test
  void theQuotedClauseIsItsSourceWithoutCommentsOrLineBreaks() {
    Session s = Session.of(ENTITY + "event run for Task when type == \"run\"\n"
        + "on run requires tries >= 0,\n  tries ==   // the first try\n    1,\n  status\t!= New { }\n");
    assertEquals("no handler of `run` can run (requires `tries == 1` does not hold)",
        only(s.send(doc("run", ""))).message());
  }

  @Test
  void severalEventsOfOneDocumentApplyInDeclarationOrder() {
    Session s = Session.of(ENTITY + "event second for Task when exists(b)\n"
        + "event first for Task when exists(a)\n"
        + "on first requires tries == 1 { tries = 10 }\n"
        + "on second requires tries == 0 { tries = 1 }\n" + PROBE);
    assertEquals(List.of(), s.sendBrief("{\"id\":\"t1\",\"a\":1,\"b\":1}"));
    assertEquals("{\"status\":\"New\",\"holder\":\"\",\"tries\":10}", probeState(s));
    // An event that ends the instance makes the next event of the same document an event after end.
    Session e = Session.of(ENTITY.replace("tries: int\n", "tries: int\n  ends when status == Done\n")
        + "event finish for Task when exists(a)\nevent more for Task when exists(b)\n"
        + "on finish { status = Done }\n");
    List<Violation> raised = e.send("{\"id\":\"t1\",\"a\":1,\"b\":1}");
    assertEquals("transition more Task t1 @1", Specs.brief(only(raised)));
    assertEquals("event after end", raised.get(0).message());
  }
}
