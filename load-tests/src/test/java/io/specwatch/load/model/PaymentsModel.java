package io.specwatch.load.model;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** {@code load-tests/src/main/resources/payments-load.sw}, by hand. */
public final class PaymentsModel extends SpecModel<PaymentsModel.State> {
  static final String[] STATUS = {"New", "Authorized", "Captured", "Refunded", "Failed"};
  static final int NEW = 0;
  static final int AUTHORIZED = 1;
  static final int CAPTURED = 2;
  static final int REFUNDED = 3;
  static final int FAILED = 4;

  public static final class State {
    int status = NEW;
    String currency = "";
    long authorized;
    long captured;
    long refunded;
    long captures;
    long authorizedAt;

    State copy() {
      State s = new State();
      s.status = status;
      s.currency = currency;
      s.authorized = authorized;
      s.captured = captured;
      s.refunded = refunded;
      s.captures = captures;
      s.authorizedAt = authorizedAt;
      return s;
    }
  }

  private static String[] p(String dotted) {
    return dotted.split("\\.");
  }

  private static final String[] TYPE = p("type");
  private static final String[] KEY = p("payment_id");
  private static final Field AMOUNT = new Field("amount", FType.INT, p("amount_cents"), null);

  private static final List<EventDecl> EVENTS = List.of(
      new EventDecl("authorized", KEY, d -> eqString(d, TYPE, "payment.authorized"),
          List.of(AMOUNT, new Field("currency", FType.STRING, p("currency"), null))),
      new EventDecl("captured", KEY, d -> eqString(d, TYPE, "payment.captured"), List.of(AMOUNT)),
      new EventDecl("refunded", KEY, d -> eqString(d, TYPE, "payment.refunded"), List.of(AMOUNT)),
      new EventDecl("failed", KEY, d -> eqString(d, TYPE, "payment.failed"), List.of()));

  private static final List<DeadlineDecl> DEADLINES = List.of(
      new DeadlineDecl("settle", Set.of("authorized"), Set.of("captured", "failed"), 10 * 60_000L));

  private static final List<String> INVARIANTS =
      List.of("capture_within_authorization", "refund_within_capture", "currency_code");

  @Override
  public String spec() {
    return "payments_load";
  }

  @Override
  protected String entity() {
    return "Payment";
  }

  @Override
  protected String[] timePath() {
    return p("ts");
  }

  @Override
  protected String[] idPath() {
    return p("event_id");
  }

  @Override
  protected long dedupeWindow() {
    return 3_600_000L;
  }

  @Override
  protected long lateness() {
    return 120_000L;
  }

  @Override
  protected List<EventDecl> events() {
    return EVENTS;
  }

  @Override
  protected List<DeadlineDecl> deadlines() {
    return DEADLINES;
  }

  @Override
  protected State initial() {
    return new State();
  }

  @Override
  protected State copy(State s) {
    return s.copy();
  }

  @Override
  protected Map<String, Object> stateJson(State s) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("status", STATUS[s.status]);
    m.put("currency", s.currency);
    m.put("authorized", s.authorized);
    m.put("captured", s.captured);
    m.put("refunded", s.refunded);
    m.put("captures", s.captures);
    m.put("authorized_at", MTime.format(s.authorizedAt));
    return m;
  }

  @Override
  protected int handle(Event e, State s) throws Fault {
    switch (e.name()) {
      case "authorized" -> {
        // requires status == New, e.amount > 0
        if (s.status != NEW || !(e.i("amount") > 0)) {
          return REJECTED;
        }
        s.status = AUTHORIZED;
        s.authorized = e.i("amount");
        s.currency = e.s("currency");
        s.authorizedAt = e.time;
      }
      case "captured" -> {
        // requires status in { Authorized, Captured }, e.amount > 0
        if (!(s.status == AUTHORIZED || s.status == CAPTURED) || !(e.i("amount") > 0)) {
          return REJECTED;
        }
        s.status = CAPTURED;
        s.captured = add(s.captured, e.i("amount"));
        s.captures = add(s.captures, 1);
      }
      case "refunded" -> {
        // requires status == Captured, e.amount > 0
        if (s.status != CAPTURED || !(e.i("amount") > 0)) {
          return REJECTED;
        }
        s.refunded = add(s.refunded, e.i("amount"));
        if (s.refunded == s.captured) {
          s.status = REFUNDED;
        }
      }
      case "failed" -> {
        // requires status in { New, Authorized }
        if (!(s.status == NEW || s.status == AUTHORIZED)) {
          return REJECTED;
        }
        s.status = FAILED;
      }
      default -> throw new IllegalStateException(e.name());
    }
    return RAN;
  }

  @Override
  protected List<String> invariantNames() {
    return INVARIANTS;
  }

  @Override
  protected boolean[] invariants(State s, long now) {
    return new boolean[] {
        s.captured <= s.authorized,
        s.refunded <= s.captured,
        !(s.authorized > 0) || s.currency.codePointCount(0, s.currency.length()) == 3};
  }

  @Override
  protected boolean ends(State s, long now) {
    return s.status == REFUNDED || s.status == FAILED;
  }
}
