package io.specwatch.cli.demo;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.specwatch.core.LinePosition;
import io.specwatch.core.StateSnapshot;
import io.specwatch.core.Violation;
import io.specwatch.core.ViolationKind;
import io.specwatch.core.json.Rfc3339;
import io.specwatch.core.program.EntityType;
import io.specwatch.core.program.Program;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class AlertPrinterTest {
  private static final Program SPEC = DemoSpec.compile().get(0);

  private static Violation settle() {
    EntityType payment = SPEC.entities().get(0);
    long[] longs = payment.initialLongs().clone();
    longs[payment.vars().get(0).slot()] = 1; // Authorized
    longs[payment.vars().get(1).slot()] = 4200;
    return new Violation("payments", ViolationKind.DEADLINE, "settle", "Payment", "p-004211",
        new LinePosition(18231), Rfc3339.parse("2026-03-02T09:14:02.120Z"),
        "An authorized payment is captured or fails within 10 minutes.",
        new StateSnapshot(payment, longs, payment.initialRefs()));
  }

  @Test
  void theHumanFormLeadsWithTimeKindRuleEntityAndLine() {
    assertEquals("09:14:02.120 DEADLINE   settle                       Payment p-004211  line 18231  "
            + "An authorized payment is captured or fails within 10 minutes. "
            + "state={status:Authorized,authorized:4200,captured:0,refunded:0}",
        AlertPrinter.human(settle()));
  }

  @Test
  void aMalformedLineHasNoTimeRuleOrEntity() {
    Violation v = new Violation("payments", ViolationKind.MALFORMED, null, null, null,
        new LinePosition(7), null, "not valid JSON", null);
    assertEquals("--:--:--.--- MALFORMED  " + "-" + " ".repeat(28) + "-" + " ".repeat(17)
        + "line 7" + " ".repeat(6) + "not valid JSON", AlertPrinter.human(v));
  }

  @Test
  void jsonAlertsAreTheContractsLinesPrintedThroughTheGuard() {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    List<String> guarded = new ArrayList<>();
    AlertPrinter printer = new AlertPrinter(new PrintStream(out, true, StandardCharsets.UTF_8), true,
        print -> {
          guarded.add("before");
          print.run();
          guarded.add("after");
        }, () -> guarded.add("closed"));
    printer.accept(settle());
    assertEquals(settle().toJson() + System.lineSeparator(), out.toString(StandardCharsets.UTF_8));
    assertEquals(List.of("before", "after"), guarded);
  }

  @Test
  void aClosedOutputIsReportedOnce() {
    PrintStream broken = new PrintStream(new java.io.OutputStream() {
      @Override
      public void write(int b) throws java.io.IOException {
        throw new java.io.IOException("Broken pipe");
      }
    }, true, StandardCharsets.UTF_8);
    int[] closed = {0};
    AlertPrinter printer = new AlertPrinter(broken, false, Runnable::run, () -> closed[0]++);
    printer.accept(settle());
    printer.accept(settle());
    assertEquals(1, closed[0]);
  }

  @Test
  void compactStateKeepsQuotesOnlyWhereTheyAreNeeded() {
    StringBuilder sb = new StringBuilder();
    AlertPrinter.appendCompact(sb, "{\"a\":\"x y\",\"b\":[\"p-1\",\"q\\\"r\"],\"c\":\"\",\"d\":true}");
    assertEquals("{a:\"x y\",b:[p-1,\"q\\\"r\"],c:\"\",d:true}", sb.toString());
  }
}
