package io.specwatch.cli.demo;

import java.util.Comparator;

/**
 * One payment in flight in the simulator, scheduled at its next step: authorize, then one to
 * three partial captures and one or two refunds of everything captured; or authorize then fail.
 */
final class SimulatedPayment {
  /**
   * The schedule's order: by due time, ties by order of scheduling, so that the schedule (and
   * thus every document) depends on the seed alone.
   */
  static final Comparator<SimulatedPayment> DUE_FIRST = (a, b) -> a.time != b.time
      ? Long.compare(a.time, b.time) : Long.compare(a.seq, b.seq);

  /** What will happen to the payment, decided when it arrives. */
  enum Plan {
    SETTLE,
    FAIL,
    /** Fault: authorized, then voided long after the settle deadline. */
    NEVER_SETTLED,
    /** Fault: one capture above the authorized amount, then refunds as usual. */
    OVER_CAPTURE
  }

  /** The kinds of document a payment produces. */
  enum Step {
    AUTHORIZE("payment.authorized"),
    CAPTURE("payment.captured"),
    REFUND("payment.refunded"),
    FAIL("payment.failed");

    final String type;

    Step(String type) {
      this.type = type;
    }
  }

  /** When its next step is due, in epoch milliseconds of simulated event time. */
  long time;
  /** Scheduling order, unique. */
  long seq;
  final String id;
  final Merchants.Merchant merchant;
  final int card;
  final int last4;
  final Plan plan;
  final long authorized;
  /** What the captures add up to (the authorized amount, or less for a partial capture). */
  final long toCapture;
  int capturesLeft;
  int refundsLeft;
  long captured;
  long refunded;
  Step next = Step.AUTHORIZE;
  /** The event time of its latest document. */
  long lastTime = Long.MIN_VALUE;
  /** The amount of the document being generated for {@link #next}. */
  long amount;

  SimulatedPayment(String id, Merchants.Merchant merchant, int card, int last4, Plan plan,
      long authorized, long toCapture, int captures) {
    this.id = id;
    this.merchant = merchant;
    this.card = card;
    this.last4 = last4;
    this.plan = plan;
    this.authorized = authorized;
    this.toCapture = toCapture;
    this.capturesLeft = captures;
  }
}
