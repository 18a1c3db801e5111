package io.specwatch.cli.run;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * The end-to-end test's events: orders told as OpenTelemetry log records (the same document shape
 * whether they come as OTLP or as JSON on Kafka), with overpayments (invariant), double payments
 * (transition), shipments of unpaid orders (transition) and unshipped orders (deadline). Few keys
 * per rule (under the alert tracker's grouping threshold of 20), so every violation is its own
 * alert in Alertmanager.
 */
final class ShopScenario {
  static final String SPEC = """
      spec shop

      input { time time; id attributes["event.id"] }

      entity Order key attributes["order.id"] {
        status: enum { Placed, Paid, Shipped } = Placed
        total: int
        paid: int
        ends when status == Shipped
      }

      event placed  for Order when kind == "log" and event_name == "order.placed"  { total: int = attributes["order.total"] }
      event paid    for Order when kind == "log" and event_name == "order.paid"    { amount: int = attributes["amount"] }
      event shipped for Order when kind == "log" and event_name == "order.shipped"

      on placed(e) { total = e.total }

      /// Payment happens once, on a placed order.
      on paid(e) requires status == Placed { status = Paid; paid = e.amount }

      /// Only a paid order ships.
      on shipped requires status == Paid { status = Shipped }

      /// Customers never pay more than the order total.
      invariant no_overpayment: paid <= total

      /// A paid order ships within an hour.
      deadline ship_sla: after paid expect shipped within 1h
      """;

  static final Instant T0 = Instant.parse("2026-03-02T09:00:00Z");

  /** One log record: event time, event name, attributes (as JSON members, after event and order ids). */
  record Record(Instant time, String eventName, String eventId, String orderId, String attribute, long value) {
    /** The document the OTLP mapper makes of it, reduced to the members the spec reads. */
    String json() {
      return "{\"kind\":\"log\",\"time\":\"" + time + "\",\"event_name\":\"" + eventName
          + "\",\"attributes\":{\"event.id\":\"" + eventId + "\",\"order.id\":\"" + orderId + "\""
          + (attribute == null ? "" : ",\"" + attribute + "\":" + value) + "}}";
    }
  }

  private ShopScenario() {}

  /**
   * Orders {@code from} to {@code to} (exclusive) under key prefix {@code prefix}, ten minutes
   * apart in event time.
   */
  static List<Record> orders(String prefix, int from, int to) {
    List<Record> out = new ArrayList<>();
    for (int k = from; k < to; k++) {
      Instant t = T0.plusSeconds(600L * k);
      String o = prefix + "-" + k;
      String e = prefix + "e" + k + "-";
      long total = 100 + k;
      if (k % 6 != 5) {
        out.add(new Record(t, "order.placed", e + 1, o, "order.total", total));
        out.add(new Record(t.plusSeconds(1), "order.paid", e + 2, o, "amount", k % 3 == 0 ? total + 50 : total));
      }
      if (k % 4 == 1) {
        out.add(new Record(t.plusSeconds(2), "order.paid", e + 3, o, "amount", 1)); // paid twice
      }
      if (k % 5 != 2) {
        out.add(new Record(t.plusSeconds(3), "order.shipped", e + 4, o, null, 0)); // k%6==5: never paid
      }
    }
    return out;
  }
}
