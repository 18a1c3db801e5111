package io.specwatch.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.specwatch.core.LinePosition;
import io.specwatch.core.engine.Monitor;
import io.specwatch.core.engine.RuntimeStats;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Malformed documents and duplicates are counted per event, so an operator sees which one is wrong. */
class PerEventCountsTest {
  @Test
  void malformedAndDuplicatesAreCountedByEventName() {
    Monitor m = new Monitor(List.of(AccountsSpec.program()));
    AccountsSpec.Recorder out = new AccountsSpec.Recorder();
    byte[][] docs = {
        AccountsSpec.deposit("e1", "a", 1000, 5),
        AccountsSpec.deposit("e1", "a", 1000, 5), // duplicate of a deposit
        "{\"type\":\"deposit\",\"eid\":\"e2\",\"account\":\"a\",\"at\":1001}".getBytes(StandardCharsets.UTF_8),
        AccountsSpec.close("e3", "a", 1002),
        AccountsSpec.close("e3", "a", 1002), // duplicate of a close
        AccountsSpec.close("e3", "a", 1002),
        "{\"type\":\"other\",\"eid\":\"e3\",\"at\":1003}".getBytes(StandardCharsets.UTF_8), // matches none
    };
    for (int i = 0; i < docs.length; i++) {
      m.accept(docs[i], 0, docs[i].length, new LinePosition(i + 1), out);
    }
    m.reject(new LinePosition(8), "line is not JSON", out);
    RuntimeStats stats = m.runtimes().get(0).stats();
    assertEquals(Map.of("deposit", 1L, "", 1L), stats.malformedByEvent());
    assertEquals(Map.of("deposit", 1L, "close", 2L, "", 1L), stats.duplicatesByEvent());
    assertEquals(2, stats.malformed);
    assertEquals(4, stats.duplicates);
  }
}
