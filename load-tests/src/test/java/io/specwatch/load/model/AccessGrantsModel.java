package io.specwatch.load.model;

import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * {@code examples/access-grants/access-grants.sw} (copied to the test resources), by hand. It has
 * what the other two lack: one document feeding two events (applied in declaration order), an
 * event without a handler that arms a deadline, key overrides, time, duration and bool fields with
 * defaults, {@code now}, time arithmetic (with overflow faults), bool predicates.
 */
public final class AccessGrantsModel extends SpecModel<AccessGrantsModel.State> {
  static final String[] STATUS = {"Pending", "Active", "Revoked"};
  static final int PENDING = 0;
  static final int ACTIVE = 1;
  static final int REVOKED = 2;
  static final Set<String> PURPOSES = Set.of("support", "incident", "fraud-review", "legal-hold");
  static final long HOUR = 3_600_000L;

  public static final class State {
    int status = PENDING;
    String principal = "";
    String purpose = "";
    String dataset = "";
    boolean breakGlass;
    long grantedAt;
    long expiresAt;
    long accesses;
    Set<String> datasets = new HashSet<>();
    boolean reviewed;
    String reviewer = "";

    State copy() {
      State s = new State();
      s.status = status;
      s.principal = principal;
      s.purpose = purpose;
      s.dataset = dataset;
      s.breakGlass = breakGlass;
      s.grantedAt = grantedAt;
      s.expiresAt = expiresAt;
      s.accesses = accesses;
      s.datasets = new HashSet<>(datasets);
      s.reviewed = reviewed;
      s.reviewer = reviewer;
      return s;
    }
  }

  private static String[] p(String dotted) {
    return dotted.split("\\.");
  }

  private static final String[] ACTION = p("action");

  private static final List<EventDecl> EVENTS = List.of(
      new EventDecl("granted", p("grant.id"), d -> eqString(d, ACTION, "grant.created"), List.of(
          new Field("principal", FType.STRING, p("grant.principal"), null),
          new Field("purpose", FType.STRING, p("grant.purpose"), null),
          new Field("dataset", FType.STRING, p("grant.dataset"), "*"),
          new Field("break_glass", FType.BOOL, p("grant.break_glass"), Boolean.FALSE),
          new Field("expires", FType.TIME, p("grant.expires_at"), null))),
      new EventDecl("break_glass_opened", p("grant.id"),
          d -> eqString(d, ACTION, "grant.created")
              && Boolean.TRUE.equals(MJson.at(d, p("grant.break_glass"))),
          List.of()),
      new EventDecl("accessed", p("request.grant_id"),
          d -> eqString(d, ACTION, "data.read") || eqString(d, ACTION, "data.export"), List.of(
              new Field("principal", FType.STRING, p("actor.id"), null),
              new Field("purpose", FType.STRING, p("request.purpose"), null),
              new Field("dataset", FType.STRING, p("resource.dataset"), null))),
      new EventDecl("extended", p("grant.id"), d -> eqString(d, ACTION, "grant.extended"),
          List.of(new Field("by", FType.DURATION, p("grant.extend_ms"), null))),
      new EventDecl("revoked", p("grant.id"), d -> eqString(d, ACTION, "grant.revoked"), List.of()),
      new EventDecl("review", p("review.grant_id"), d -> eqString(d, ACTION, "grant.reviewed"),
          List.of(new Field("reviewer", FType.STRING, p("actor.id"), null))));

  private static final List<DeadlineDecl> DEADLINES = List.of(new DeadlineDecl(
      "break_glass_review", Set.of("break_glass_opened"), Set.of("review"), 24 * HOUR));

  private static final List<String> INVARIANTS =
      List.of("max_lifetime", "break_glass_scope", "four_eyes");

  @Override
  public String spec() {
    return "access_grants";
  }

  @Override
  protected String entity() {
    return "Grant";
  }

  @Override
  protected String[] timePath() {
    return p("ts");
  }

  @Override
  protected String[] idPath() {
    return p("audit_id");
  }

  @Override
  protected long dedupeWindow() {
    return HOUR;
  }

  @Override
  protected long lateness() {
    return 60_000L;
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
    m.put("principal", s.principal);
    m.put("purpose", s.purpose);
    m.put("dataset", s.dataset);
    m.put("break_glass", s.breakGlass);
    m.put("granted_at", MTime.format(s.grantedAt));
    m.put("expires_at", MTime.format(s.expiresAt));
    m.put("accesses", s.accesses);
    m.put("datasets", sortedSet(s.datasets));
    m.put("reviewed", s.reviewed);
    m.put("reviewer", s.reviewer);
    return m;
  }

  @Override
  protected int handle(Event e, State s) throws Fault {
    long now = e.time;
    switch (e.name()) {
      case "granted" -> {
        // requires status == Pending, e.purpose in { ... }, e.expires > now
        if (s.status != PENDING || !PURPOSES.contains(e.s("purpose")) || !(e.i("expires") > now)) {
          return REJECTED;
        }
        s.status = ACTIVE;
        s.principal = e.s("principal");
        s.purpose = e.s("purpose");
        s.dataset = e.s("dataset");
        s.breakGlass = e.b("break_glass");
        s.grantedAt = now;
        s.expiresAt = e.i("expires");
      }
      case "break_glass_opened" -> {
        return NO_HANDLER;
      }
      case "accessed" -> {
        // requires status == Active, e.principal == principal, e.purpose == purpose,
        //   break_glass or e.dataset == dataset, now < expires_at
        if (s.status != ACTIVE || !e.s("principal").equals(s.principal)
            || !e.s("purpose").equals(s.purpose)
            || !(s.breakGlass || e.s("dataset").equals(s.dataset)) || !(now < s.expiresAt)) {
          return REJECTED;
        }
        s.accesses = add(s.accesses, 1);
        setAdd(s.datasets, e.s("dataset"));
      }
      case "extended" -> {
        // requires status == Active, now < expires_at, e.by > 0s
        if (s.status != ACTIVE || !(now < s.expiresAt) || !(e.i("by") > 0)) {
          return REJECTED;
        }
        s.expiresAt = add(s.expiresAt, e.i("by"));
      }
      case "revoked" -> {
        if (s.status != ACTIVE) {
          return REJECTED;
        }
        s.status = REVOKED;
      }
      case "review" -> {
        // requires break_glass, not reviewed
        if (!s.breakGlass || s.reviewed) {
          return REJECTED;
        }
        s.reviewed = true;
        s.reviewer = e.s("reviewer");
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
  protected boolean[] invariants(State s, long now) throws Fault {
    boolean maxLifetime = sub(s.expiresAt, s.grantedAt) <= 8 * HOUR;
    // break_glass implies (expires_at - granted_at <= 1h and len(datasets) <= 3): short-circuit.
    boolean scope = !s.breakGlass || (sub(s.expiresAt, s.grantedAt) <= HOUR && s.datasets.size() <= 3);
    boolean fourEyes = !s.reviewed || !s.reviewer.equals(s.principal);
    return new boolean[] {maxLifetime, scope, fourEyes};
  }

  @Override
  protected boolean ends(State s, long now) {
    return s.status == REVOKED && (s.reviewed || !s.breakGlass);
  }
}
