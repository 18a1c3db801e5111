package io.specwatch.alert;

import io.specwatch.core.LinePosition;
import io.specwatch.core.Violation;
import io.specwatch.core.engine.Monitor;
import io.specwatch.core.program.Program;
import io.specwatch.spec.CompileResult;
import io.specwatch.spec.SourceFile;
import io.specwatch.spec.SpecCompiler;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/** The README's orders spec and log: real compiled programs and real violations for the tests. */
public final class TestSpecs {
  private TestSpecs() {}

  public static final String ORDERS = """
      spec orders

      input {
        time at
        id event_id
      }

      entity Order key order_id {
        status: enum { Placed, Paid, Shipped, Cancelled } = Placed
        total: int
        paid: int
        ends when status in { Shipped, Cancelled }
      }

      event placed    for Order when type == "order.placed"    { total: int }
      event paid      for Order when type == "order.paid"      { amount: int }
      event shipped   for Order when type == "order.shipped"
      event cancelled for Order when type == "order.cancelled"

      on placed(e) { total = e.total }

      /// Payment happens once, on a placed order.
      on paid(e) requires status == Placed {
        status = Paid
        paid = e.amount
      }

      /// Only a paid order ships.
      on shipped requires status == Paid { status = Shipped }

      /// Shipped orders cannot be cancelled.
      on cancelled requires status in { Placed, Paid } { status = Cancelled }

      /// Customers never pay more than the order total.
      invariant no_overpayment: paid <= total

      /// A paid order ships within two days.
      deadline ship_sla: after paid expect shipped or cancelled within 2d
      """;

  /** The README's log: violations at lines 4 (invariant), 7, 8 (deadline and transition). */
  public static final List<String> ORDERS_LOG = List.of(
      "{\"event_id\":\"e1\",\"type\":\"order.placed\",\"at\":\"2026-05-04T10:00:00Z\",\"order_id\":\"o-1\",\"total\":4200}",
      "{\"event_id\":\"e2\",\"type\":\"order.paid\",\"at\":\"2026-05-04T10:01:00Z\",\"order_id\":\"o-1\",\"amount\":4200}",
      "{\"event_id\":\"e3\",\"type\":\"order.placed\",\"at\":\"2026-05-04T11:00:00Z\",\"order_id\":\"o-2\",\"total\":1000}",
      "{\"event_id\":\"e4\",\"type\":\"order.paid\",\"at\":\"2026-05-04T11:02:00Z\",\"order_id\":\"o-2\",\"amount\":1500}",
      "{\"event_id\":\"e4\",\"type\":\"order.paid\",\"at\":\"2026-05-04T11:02:00Z\",\"order_id\":\"o-2\",\"amount\":1500}",
      "{\"event_id\":\"e5\",\"type\":\"order.shipped\",\"at\":\"2026-05-05T09:00:00Z\",\"order_id\":\"o-1\"}",
      "{\"event_id\":\"e6\",\"type\":\"order.cancelled\",\"at\":\"2026-05-05T09:30:00Z\",\"order_id\":\"o-1\"}",
      "{\"event_id\":\"e7\",\"type\":\"order.shipped\",\"at\":\"2026-05-07T12:00:00Z\",\"order_id\":\"o-3\"}");

  public static List<Program> orders() {
    CompileResult r = SpecCompiler.compile(List.of(new SourceFile("orders.sw", ORDERS)));
    if (!r.ok()) {
      throw new IllegalStateException("test spec does not compile: " + r.diagnostics());
    }
    return r.programs();
  }

  /** The violations {@code specwatch check} reports for {@code lines}, in order. */
  public static List<Violation> check(List<Program> programs, List<String> lines) {
    Monitor m = new Monitor(programs);
    List<Violation> out = new ArrayList<>();
    for (int i = 0; i < lines.size(); i++) {
      byte[] b = lines.get(i).getBytes(StandardCharsets.UTF_8);
      m.accept(b, 0, b.length, new LinePosition(i + 1), out::add);
    }
    return out;
  }

  /** A document shipping order {@code key}, never placed nor paid: a transition violation. */
  public static String unpaidShipment(String key, int n) {
    return "{\"event_id\":\"s-" + key + "-" + n + "\",\"type\":\"order.shipped\",\"at\":\"2026-05-07T12:00:00Z\",\"order_id\":\""
        + key + "\"}";
  }
}
