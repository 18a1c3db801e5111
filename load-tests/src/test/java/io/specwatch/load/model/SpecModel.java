package io.specwatch.load.model;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A hand-written reference model of one spec with one entity type, written from the contract's
 * text ("Applying one document", "Event time, the watermark and deadlines", "Violations") and not
 * from the engine. A subclass spells out its spec in plain Java: the event declarations (predicate,
 * key, fields), the handlers, the invariants, {@code ends when} and the deadlines. This class does
 * what every spec shares: line splitting, malformed documents, dedupe, decoding, the watermark,
 * deadline firing, ended and forgotten instances, edge-triggered invariants and atomic faults.
 *
 * <p>Where the contract is silent, the model follows the project's documented choices
 * (docs/language.md, section 10): {@code ends when} is evaluated after an event without a handler
 * (choice 2); an event that ends its instance arms no deadline (choice 3); a document whose id is
 * present but whose time is invalid is neither checked against nor recorded in the dedupe memory
 * (choice 5). Choice 4 (ids are forgotten once the watermark reaches t0 + window) contradicts the
 * contract's definition of a duplicate for documents later than the lateness; it is an option,
 * {@link #dedupeForgetsBehindWatermark}, see the test's report.
 */
public abstract class SpecModel<S> {
  public enum FType { INT, BOOL, STRING, TIME, DURATION }

  /** An event field: its name, type, document path and default (null: none). */
  public record Field(String name, FType type, String[] path, Object dflt) {}

  /** An event predicate on the parsed document. */
  @FunctionalInterface
  public interface When {
    boolean test(Object doc);
  }

  public record EventDecl(String name, String[] keyPath, When when, List<Field> fields) {}

  public record DeadlineDecl(String name, Set<String> after, Set<String> expect, long within) {}

  /** A decoded event. */
  public static final class Event {
    public final EventDecl decl;
    public final String key;
    public final long time;
    private final Map<String, Object> fields;

    Event(EventDecl decl, String key, long time, Map<String, Object> fields) {
      this.decl = decl;
      this.key = key;
      this.time = time;
      this.fields = fields;
    }

    public String name() {
      return decl.name();
    }

    public long i(String field) {
      return (Long) fields.get(field);
    }

    public String s(String field) {
      return (String) fields.get(field);
    }

    public boolean b(String field) {
      return (Boolean) fields.get(field);
    }
  }

  /** An evaluation fault: overflow, division by zero, a set over its size limit. */
  public static final class Fault extends Exception {
    public Fault(String message) {
      super(message, null, false, false);
    }
  }

  public static final int NO_HANDLER = 0;
  public static final int RAN = 1;
  public static final int REJECTED = 2;

  public static final long SEVEN_DAYS = 7L * 24 * 3600 * 1000;
  public static final int MAX_SET = 10_000;

  // ---------------------------------------------------------------- the spec, in Java

  public abstract String spec();

  protected abstract String entity();

  /** The {@code input time} path (both modelled specs have one). */
  protected abstract String[] timePath();

  /** The {@code input id} path, or null. */
  protected abstract String[] idPath();

  protected abstract long dedupeWindow();

  protected abstract long lateness();

  protected abstract List<EventDecl> events();

  protected abstract List<DeadlineDecl> deadlines();

  protected abstract S initial();

  protected abstract S copy(S s);

  /** The state as the contract writes it: variables in declaration order (values: Long, Boolean, String, List). */
  protected abstract Map<String, Object> stateJson(S s);

  /**
   * Tries the event's handlers in source order on {@code s}: returns {@link #NO_HANDLER},
   * {@link #RAN} (after running the chosen handler's statements on {@code s}) or {@link #REJECTED}.
   */
  protected abstract int handle(Event e, S s) throws Fault;

  protected abstract List<String> invariantNames();

  protected abstract boolean[] invariants(S s, long now) throws Fault;

  protected abstract boolean ends(S s, long now) throws Fault;

  // ---------------------------------------------------------------- helpers for subclasses

  public static long add(long a, long b) throws Fault {
    try {
      return Math.addExact(a, b);
    } catch (ArithmeticException e) {
      throw new Fault("64-bit overflow");
    }
  }

  public static long sub(long a, long b) throws Fault {
    try {
      return Math.subtractExact(a, b);
    } catch (ArithmeticException e) {
      throw new Fault("64-bit overflow");
    }
  }

  /** {@code set.add(x)}: at most {@value #MAX_SET} elements; adding one already present is no change. */
  public static void setAdd(java.util.Set<String> set, String x) throws Fault {
    if (!set.contains(x) && set.size() >= MAX_SET) {
      throw new Fault("set is full");
    }
    set.add(x);
  }

  /** A predicate {@code PATH == "literal"}: false when missing or not a string. */
  public static boolean eqString(Object doc, String[] path, String literal) {
    Object v = MJson.at(doc, path);
    return v instanceof String s && s.equals(literal);
  }

  /** Orders strings by Unicode code point. */
  public static int compareCodePoints(String a, String b) {
    int i = 0;
    int j = 0;
    while (i < a.length() && j < b.length()) {
      int x = a.codePointAt(i);
      int y = b.codePointAt(j);
      if (x != y) {
        return Integer.compare(x, y);
      }
      i += Character.charCount(x);
      j += Character.charCount(y);
    }
    return Integer.compare(a.length() - i, b.length() - j);
  }

  public static List<Object> sortedSet(java.util.Set<String> set) {
    List<String> l = new ArrayList<>(set);
    l.sort(SpecModel::compareCodePoints);
    return new ArrayList<>(l);
  }

  // ---------------------------------------------------------------- options

  /**
   * docs/language.md, choice 4: to bound memory, an id is forgotten once the watermark reaches
   * t0 + window + horizon, the horizon being the window and at least one hour; a copy arriving
   * after that is taken for new. The contract's text makes it a duplicate whenever its own time is
   * before t0 + window, however late it arrives. False: the contract.
   */
  public boolean dedupeForgetsBehindWatermark;

  /** The horizon of choice 4: the window, and at least one hour. */
  long dedupeHorizon() {
    return Math.max(dedupeWindow(), 3_600_000L);
  }

  // ---------------------------------------------------------------- running

  private final class Instance {
    S state;
    final boolean[] broken = new boolean[invariantNames().size()];
    final boolean[] armed = new boolean[deadlines().size()];
    final long[] expiry = new long[deadlines().size()];
    boolean ended;
    long endTime;

    Instance(S state) {
      this.state = state;
    }
  }

  private record Recorded(String id, long t0) {}

  private record Due(long expiry, String key, String name, int index) {}

  private final class Run {
    final List<MViolation> out = new ArrayList<>();
    final Map<String, Instance> instances = new HashMap<>();
    final Map<String, Long> accepted = new HashMap<>();
    final java.util.Set<String> armedKeys = new java.util.HashSet<>();
    final java.util.PriorityQueue<Recorded> forgetIds =
        new java.util.PriorityQueue<>((a, b) -> Long.compare(a.t0(), b.t0()));
    boolean anyTime;
    long maxTime;
    long watermark = Long.MIN_VALUE;

    void line(byte[] b, int off, int len, long lineNo) {
      if (len > 0 && b[off + len - 1] == '\r') {
        len--;
      }
      boolean blank = true;
      for (int k = off; k < off + len; k++) {
        if (b[k] != ' ' && b[k] != '\t' && b[k] != '\r') {
          blank = false;
          break;
        }
      }
      if (blank) {
        return;
      }
      if (len >= 3 && b[off] == (byte) 0xEF && b[off + 1] == (byte) 0xBB && b[off + 2] == (byte) 0xBF) {
        // A byte order mark: RFC 8259 (8.1) lets a parser ignore it, and the engine does.
        off += 3;
        len -= 3;
      }
      Object doc;
      try {
        doc = MJson.parse(b, off, len);
      } catch (MJson.Bad bad) {
        doc = null;
      }
      if (!(doc instanceof Map)) {
        out.add(new MViolation(spec(), "malformed", null, null, null, lineNo, null, null));
        return;
      }
      document(doc, lineNo);
    }

    void document(Object doc, long lineNo) {
      Long time = MTime.of(MJson.at(doc, timePath()));

      // Dedupe, before matching; only with a valid time (choice 5).
      if (idPath() != null && time != null) {
        String id = MJson.keyText(MJson.at(doc, idPath()));
        if (id != null) {
          Long t0 = accepted.get(id);
          if (t0 != null && before(time, t0, dedupeWindow())) {
            return; // a duplicate: dropped, not reported, the watermark does not move
          }
          accepted.put(id, time);
          if (dedupeForgetsBehindWatermark) {
            forgetIds.add(new Recorded(id, time));
          }
        }
      }

      // Match and decode every event declaration.
      List<Event> decoded = new ArrayList<>();
      for (EventDecl d : events()) {
        if (!d.when().test(doc)) {
          continue;
        }
        String key = MJson.keyText(MJson.at(doc, d.keyPath()));
        boolean ok = key != null && time != null;
        Map<String, Object> fields = new HashMap<>();
        if (ok) {
          for (Field f : d.fields()) {
            Object v = MJson.at(doc, f.path());
            Object value;
            if (v == null) {
              value = f.dflt();
            } else {
              value = switch (f.type()) {
                case INT, DURATION -> v instanceof Long ? v : null;
                case BOOL -> v instanceof Boolean ? v : null;
                case STRING -> v instanceof String ? v : null;
                case TIME -> MTime.of(v);
              };
            }
            if (value == null) {
              ok = false;
              break;
            }
            fields.put(f.name(), value);
          }
        }
        if (ok) {
          decoded.add(new Event(d, key, time, fields));
        } else {
          out.add(new MViolation(spec(), "malformed", d.name(), entity(), key, lineNo,
              time == null ? null : MTime.format(time), null));
        }
      }
      if (decoded.isEmpty()) {
        return;
      }

      // The watermark moves to cover the document; expired deadlines fire, in order.
      long t = decoded.get(0).time;
      boolean moved = !anyTime || t > maxTime;
      if (moved) {
        maxTime = t;
        anyTime = true;
      }
      watermark = maxTime < Long.MIN_VALUE + lateness() ? Long.MIN_VALUE : maxTime - lateness();
      fire(lineNo, false);
      if (dedupeForgetsBehindWatermark && moved) {
        // docs/language.md choice 4: an id is remembered until the watermark reaches
        // t0 + window + horizon, that is, until the watermark moves to or past it (an id recorded
        // when the watermark is already past that is remembered until the watermark next moves).
        long keep = dedupeWindow() + dedupeHorizon();
        while (!forgetIds.isEmpty() && reached(watermark, forgetIds.peek().t0(), keep)) {
          Recorded f = forgetIds.poll();
          accepted.remove(f.id(), f.t0()); // unless re-accepted since, with another t0
        }
      }

      // Apply, in declaration order.
      for (Event e : decoded) {
        apply(e, lineNo);
      }
    }

    /** Fires armed deadlines strictly before the watermark (or all of them, for --flush). */
    void fire(Long lineNo, boolean all) {
      List<Due> due = new ArrayList<>();
      for (String key : armedKeys) {
        Instance inst = instances.get(key);
        for (int d = 0; d < inst.armed.length; d++) {
          if (inst.armed[d] && (all || inst.expiry[d] < watermark)) {
            due.add(new Due(inst.expiry[d], key, deadlines().get(d).name(), d));
          }
        }
      }
      due.sort((a, b) -> {
        if (a.expiry() != b.expiry()) {
          return Long.compare(a.expiry(), b.expiry());
        }
        int c = compareCodePoints(a.key(), b.key());
        return c != 0 ? c : compareCodePoints(a.name(), b.name());
      });
      for (Due d : due) {
        Instance inst = instances.get(d.key());
        inst.armed[d.index()] = false;
        track(d.key(), inst);
        out.add(new MViolation(spec(), "deadline", d.name(), entity(), d.key(), lineNo,
            MTime.format(d.expiry()), state(inst.state)));
      }
    }

    void apply(Event e, long lineNo) {
      Instance inst = instances.get(e.key);
      if (inst != null && inst.ended) {
        if (reached(watermark, inst.endTime, SEVEN_DAYS)) {
          instances.remove(e.key); // forgotten: a fresh instance
          inst = null;
        } else {
          out.add(new MViolation(spec(), "transition", e.name(), entity(), e.key, lineNo,
              MTime.format(e.time), state(inst.state)));
          return;
        }
      }
      S before = inst != null ? inst.state : initial();
      S s = copy(before);
      boolean[] holds = null;
      boolean endsNow;
      long[] newExpiry = new long[deadlines().size()];
      boolean[] arms = new boolean[deadlines().size()];
      try {
        int r = handle(e, s);
        if (r == REJECTED) {
          out.add(new MViolation(spec(), "transition", e.name(), entity(), e.key, lineNo,
              MTime.format(e.time), state(before)));
          return;
        }
        if (r == RAN) {
          holds = invariants(s, e.time);
        }
        endsNow = ends(s, e.time);
        if (!endsNow) {
          for (int d = 0; d < deadlines().size(); d++) {
            DeadlineDecl dd = deadlines().get(d);
            boolean armedAfterDisarm = inst != null && inst.armed[d] && !dd.expect().contains(e.name());
            if (dd.after().contains(e.name()) && !armedAfterDisarm) {
              arms[d] = true;
              newExpiry[d] = add(e.time, dd.within());
            }
          }
        }
      } catch (Fault fault) {
        out.add(new MViolation(spec(), "error", e.name(), entity(), e.key, lineNo,
            MTime.format(e.time), state(before)));
        return;
      }
      // Commit.
      if (inst == null) {
        inst = new Instance(s);
        instances.put(e.key, inst);
      }
      inst.state = s;
      if (holds != null) {
        for (int k = 0; k < holds.length; k++) {
          if (!holds[k] && !inst.broken[k]) {
            inst.broken[k] = true;
            out.add(new MViolation(spec(), "invariant", invariantNames().get(k), entity(), e.key,
                lineNo, MTime.format(e.time), state(s)));
          } else if (holds[k]) {
            inst.broken[k] = false;
          }
        }
      }
      if (endsNow) {
        inst.ended = true;
        inst.endTime = e.time;
        java.util.Arrays.fill(inst.armed, false);
        track(e.key, inst);
        return;
      }
      for (int d = 0; d < deadlines().size(); d++) {
        DeadlineDecl dd = deadlines().get(d);
        if (dd.expect().contains(e.name())) {
          inst.armed[d] = false;
        }
        if (arms[d] && !inst.armed[d]) {
          inst.armed[d] = true;
          inst.expiry[d] = newExpiry[d];
        }
      }
      track(e.key, inst);
    }

    /** Keeps {@link #armedKeys} (an index only: the instances with an armed deadline). */
    void track(String key, Instance inst) {
      boolean any = false;
      for (boolean a : inst.armed) {
        any |= a;
      }
      if (any) {
        armedKeys.add(key);
      } else {
        armedKeys.remove(key);
      }
    }

    String state(S s) {
      return MJson.canonical(stateJson(s));
    }
  }

  /** {@code time < t0 + window}, exactly (no overflow). */
  static boolean before(long time, long t0, long window) {
    return t0 > Long.MAX_VALUE - window || time < t0 + window;
  }

  /** {@code watermark >= t + d}, exactly (no overflow). */
  static boolean reached(long watermark, long t, long d) {
    return t <= Long.MAX_VALUE - d && watermark >= t + d;
  }

  /** Runs a whole JSONL input (as {@code specwatch check} reads it) and returns the violations. */
  public List<MViolation> run(byte[] input, boolean flush) {
    Run r = new Run();
    long lineNo = 0;
    int pos = 0;
    while (pos < input.length) {
      int end = pos;
      while (end < input.length && input[end] != '\n') {
        end++;
      }
      lineNo++;
      r.line(input, pos, end - pos, lineNo);
      pos = end + 1;
    }
    if (flush) {
      r.fire(null, true);
    }
    return r.out;
  }
}
