package io.specwatch.cli.run;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * A deterministic orders log for the daemon tests, with every kind of violation the orders spec
 * raises: overpayments (invariant), cancellations after shipping (transition on an ended
 * instance), unshipped paid orders (deadline), retried copies (dropped as duplicates).
 */
final class OrdersLog {
  static final String SPEC = """
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

      /// A paid order ships within two hours.
      deadline ship_sla: after paid expect shipped or cancelled within 2h
      """;

  private OrdersLog() {}

  /** The lines for {@code orders} orders, one minute apart, each line ending in a newline. */
  static List<String> lines(int orders) {
    List<String> lines = new ArrayList<>();
    long t0 = Instant.parse("2026-05-04T10:00:00Z").toEpochMilli();
    int id = 0;
    for (int k = 0; k < orders; k++) {
      long t = t0 + k * 60_000L;
      String o = "o-" + k;
      int total = 1000 + k % 50;
      lines.add(line(++id, "order.placed", t, o, ",\"total\":" + total));
      String paid = line(++id, "order.paid", t + 1000, o, ",\"amount\":" + (k % 7 == 0 ? total + 500 : total));
      lines.add(paid);
      if (k % 13 == 0) {
        lines.add(paid); // a retried copy: dropped by dedupe
      }
      if (k % 11 != 0) {
        lines.add(line(++id, "order.shipped", t + 2000, o, ""));
      }
      if (k % 17 == 0) {
        lines.add(line(++id, "order.cancelled", t + 3000, o, ""));
      }
    }
    return lines;
  }

  private static String line(int id, String type, long at, String order, String extra) {
    return "{\"event_id\":\"e" + id + "\",\"type\":\"" + type + "\",\"at\":" + at
        + ",\"order_id\":\"" + order + "\"" + extra + "}\n";
  }
}
