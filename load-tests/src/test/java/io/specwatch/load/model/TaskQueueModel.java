package io.specwatch.load.model;

import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** {@code examples/task-queue/task-queue.sw} (copied to the test resources), by hand. */
public final class TaskQueueModel extends SpecModel<TaskQueueModel.State> {
  static final String[] STATUS = {"New", "Queued", "Leased", "Completed", "Acked", "DeadLettered"};
  static final int NEW = 0;
  static final int QUEUED = 1;
  static final int LEASED = 2;
  static final int COMPLETED = 3;
  static final int ACKED = 4;
  static final int DEAD_LETTERED = 5;

  public static final class State {
    int status = NEW;
    String holder = "";
    long attempts;
    long maxAttempts = 3;
    Set<String> claimants = new HashSet<>();
    Set<String> completions = new HashSet<>();

    State copy() {
      State s = new State();
      s.status = status;
      s.holder = holder;
      s.attempts = attempts;
      s.maxAttempts = maxAttempts;
      s.claimants = new HashSet<>(claimants);
      s.completions = new HashSet<>(completions);
      return s;
    }
  }

  private static String[] p(String dotted) {
    return dotted.split("\\.");
  }

  private static final String[] OP = p("op");
  private static final String[] KEY = p("task.id");
  private static final Field WORKER = new Field("worker", FType.STRING, p("lease.worker"), null);

  private static final List<EventDecl> EVENTS = List.of(
      new EventDecl("enqueued", KEY, d -> eqString(d, OP, "enqueue"),
          List.of(new Field("max_attempts", FType.INT, p("task.max_attempts"), 3L))),
      new EventDecl("leased", KEY, d -> eqString(d, OP, "lease"), List.of(WORKER)),
      new EventDecl("heartbeat", KEY, d -> eqString(d, OP, "heartbeat"), List.of(WORKER)),
      new EventDecl("completed", KEY, d -> eqString(d, OP, "complete"),
          List.of(WORKER, new Field("run", FType.STRING, p("result.run_id"), null))),
      new EventDecl("failed", KEY, d -> eqString(d, OP, "nack"), List.of(WORKER)),
      new EventDecl("reaped", KEY, d -> eqString(d, OP, "lease_expired"), List.of()),
      new EventDecl("acked", KEY, d -> eqString(d, OP, "ack"), List.of()),
      new EventDecl("dead", KEY, d -> eqString(d, OP, "dead_letter"), List.of()));

  private static final List<DeadlineDecl> DEADLINES = List.of(
      new DeadlineDecl("lease_timeout", Set.of("leased", "heartbeat"),
          Set.of("heartbeat", "completed", "failed", "reaped"), 30_000L),
      new DeadlineDecl("ack_timeout", Set.of("completed"), Set.of("acked"), 120_000L));

  private static final List<String> INVARIANTS = List.of("completes_at_most_once", "lease_has_holder");

  @Override
  public String spec() {
    return "task_queue";
  }

  @Override
  protected String entity() {
    return "Task";
  }

  @Override
  protected String[] timePath() {
    return p("at");
  }

  @Override
  protected String[] idPath() {
    return p("seq");
  }

  @Override
  protected long dedupeWindow() {
    return 600_000L;
  }

  @Override
  protected long lateness() {
    return 10_000L;
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
    m.put("holder", s.holder);
    m.put("attempts", s.attempts);
    m.put("max_attempts", s.maxAttempts);
    m.put("claimants", sortedSet(s.claimants));
    m.put("completions", sortedSet(s.completions));
    return m;
  }

  @Override
  protected int handle(Event e, State s) throws Fault {
    switch (e.name()) {
      case "enqueued" -> {
        if (s.status != NEW) {
          return REJECTED;
        }
        s.status = QUEUED;
        s.maxAttempts = e.i("max_attempts");
      }
      case "leased" -> {
        if (s.status != QUEUED || !(s.attempts < s.maxAttempts)) {
          return REJECTED;
        }
        s.status = LEASED;
        s.holder = e.s("worker");
        s.attempts = add(s.attempts, 1);
        setAdd(s.claimants, e.s("worker"));
      }
      case "heartbeat" -> {
        if (s.status != LEASED || !e.s("worker").equals(s.holder)) {
          return REJECTED;
        }
      }
      case "completed" -> {
        if (s.status == LEASED && e.s("worker").equals(s.holder)) {
          s.status = COMPLETED;
          s.holder = "";
          setAdd(s.completions, e.s("run"));
        } else if (s.claimants.contains(e.s("worker"))) {
          setAdd(s.completions, e.s("run"));
        } else {
          return REJECTED;
        }
      }
      case "failed" -> {
        if (s.status != LEASED || !e.s("worker").equals(s.holder)) {
          return REJECTED;
        }
        s.status = QUEUED;
        s.holder = "";
      }
      case "reaped" -> {
        if (s.status != LEASED) {
          return REJECTED;
        }
        s.status = QUEUED;
        s.holder = "";
      }
      case "acked" -> {
        if (s.status != COMPLETED) {
          return REJECTED;
        }
        s.status = ACKED;
      }
      case "dead" -> {
        if (s.status != QUEUED || !(s.attempts >= s.maxAttempts)) {
          return REJECTED;
        }
        s.status = DEAD_LETTERED;
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
        s.completions.size() <= 1,
        !(s.status == LEASED) || !s.holder.isEmpty()};
  }

  @Override
  protected boolean ends(State s, long now) {
    return s.status == ACKED || s.status == DEAD_LETTERED;
  }
}
