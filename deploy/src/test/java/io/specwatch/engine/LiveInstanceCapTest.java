package io.specwatch.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.specwatch.core.LinePosition;
import io.specwatch.core.Violation;
import io.specwatch.core.ViolationKind;
import io.specwatch.core.engine.Monitor;
import io.specwatch.core.engine.RuntimeStats;
import io.specwatch.core.pipeline.Pipeline;
import io.specwatch.core.pipeline.PipelineConfig;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The per-spec cap on live instances: a flood of fresh keys is refused loudly, never stored. */
class LiveInstanceCapTest {
  private static final long DAY = TimeUnit.DAYS.toMillis(1);

  @Test
  void theEventThatWouldCreateOneInstanceTooManyIsAnErrorAndIsNotApplied() {
    Monitor m = new Monitor(List.of(AccountsSpec.program()), 500, 0, 1, 2);
    AccountsSpec.Recorder out = new AccountsSpec.Recorder();
    feed(m, out, 1, AccountsSpec.deposit("e1", "a", 1000, 5));
    feed(m, out, 2, AccountsSpec.deposit("e2", "b", 1000, 5));
    feed(m, out, 3, AccountsSpec.deposit("e3", "c", 1000, 5));
    assertEquals(1, out.violations().size(), out.events().toString());
    Violation refused = out.violations().get(0);
    assertEquals(ViolationKind.ERROR, refused.kind());
    assertEquals("deposit", refused.rule());
    assertEquals("c", refused.key());
    assertEquals(new LinePosition(3), refused.position());
    assertTrue(refused.message().startsWith("live-instance limit reached"), refused.message());
    assertEquals("{\"balance\":0,\"closed\":false}", stateJson(refused), "the initial state");
    RuntimeStats stats = m.runtimes().get(0).stats();
    assertEquals(1, stats.instancesRefused);
    assertEquals(2, stats.liveInstances);
    assertEquals(List.of(), m.runtimes().get(0).liveKeys("Account").stream()
        .filter("c"::equals).toList(), "no instance for the refused key");

    // The instances already held keep working: a withdrawal breaking `a` is still seen.
    feed(m, out, 4, AccountsSpec.deposit("e4", "a", 1001, -10));
    assertEquals("invariant non_negative a", out.events().get(out.events().size() - 1));
  }

  @Test
  void anInstanceForgottenAfterItsEndMakesRoomAgain() {
    Monitor m = new Monitor(List.of(AccountsSpec.program()), 500, 0, 1, 1);
    AccountsSpec.Recorder out = new AccountsSpec.Recorder();
    feed(m, out, 1, AccountsSpec.deposit("e1", "a", 1000, 5));
    feed(m, out, 2, AccountsSpec.close("e2", "a", 2000));
    feed(m, out, 3, AccountsSpec.deposit("e3", "b", 3000, 5));
    assertEquals(List.of("error deposit b"), out.events(), "an ended instance still counts");
    // Eight days later `a` has been forgotten (the language forgets 7 days after the end).
    feed(m, out, 4, AccountsSpec.deposit("e4", "b", 8 * DAY, 5));
    assertEquals(List.of("error deposit b"), out.events());
    assertEquals(List.of("b"), m.runtimes().get(0).liveKeys("Account"));
    assertEquals(1, m.runtimes().get(0).stats().instancesRefused);
  }

  @Test
  void withoutACapNothingIsRefused() {
    Monitor m = new Monitor(List.of(AccountsSpec.program()), 500, 0, 1, 0);
    AccountsSpec.Recorder out = new AccountsSpec.Recorder();
    for (int i = 0; i < 1000; i++) {
      feed(m, out, i + 1, AccountsSpec.deposit("e" + i, "k" + i, 1000, 1));
    }
    assertEquals(List.of(), out.events());
    assertEquals(1000, m.runtimes().get(0).stats().liveInstances);
  }

  @Test
  void thePipelineSplitsTheCapOverItsEvaluators() throws Exception {
    AccountsSpec.Recorder out = new AccountsSpec.Recorder();
    PipelineConfig config = PipelineConfig.defaults().withEvaluators(2).withMaxLiveInstances(6);
    Pipeline p = new Pipeline(List.of(AccountsSpec.program()), config, out, null);
    for (int i = 0; i < 100; i++) {
      byte[] doc = AccountsSpec.deposit("e" + i, "k" + i, 1000, 1);
      p.publish(doc, 0, doc.length, new LinePosition(i + 1));
    }
    p.close(false, 1, TimeUnit.MINUTES);
    RuntimeStats stats = p.stats().get(0);
    assertEquals(6, stats.liveInstances, "three per evaluator");
    assertEquals(94, stats.instancesRefused);
    assertEquals(94, out.violations().stream().filter(v -> v.kind() == ViolationKind.ERROR).count());
  }

  @Test
  void aNegativeCapIsRejected() {
    assertThrows(IllegalArgumentException.class,
        () -> new Monitor(List.of(AccountsSpec.program()), 500, 0, 1, -1));
    assertThrows(IllegalArgumentException.class,
        () -> PipelineConfig.defaults().withMaxLiveInstances(-1));
  }

  private static String stateJson(Violation v) {
    StringBuilder sb = new StringBuilder();
    v.state().appendJson(sb);
    return sb.toString();
  }

  private static void feed(Monitor m, AccountsSpec.Recorder out, int line, byte[] doc) {
    m.accept(doc, 0, doc.length, new LinePosition(line), out);
  }
}
