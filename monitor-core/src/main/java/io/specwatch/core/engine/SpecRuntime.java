package io.specwatch.core.engine;

import io.specwatch.core.Position;
import io.specwatch.core.StateSnapshot;
import io.specwatch.core.Violation;
import io.specwatch.core.ViolationKind;
import io.specwatch.core.ViolationSink;
import io.specwatch.core.eval.Checked;
import io.specwatch.core.eval.EvalFault;
import io.specwatch.core.eval.Frame;
import io.specwatch.core.eval.Limits;
import io.specwatch.core.json.DocumentView;
import io.specwatch.core.json.JsonKind;
import io.specwatch.core.json.Rfc3339;
import io.specwatch.core.program.Deadline;
import io.specwatch.core.program.EntityType;
import io.specwatch.core.program.EventField;
import io.specwatch.core.program.EventType;
import io.specwatch.core.program.Expr;
import io.specwatch.core.program.Handler;
import io.specwatch.core.program.InputSpec;
import io.specwatch.core.program.Invariant;
import io.specwatch.core.program.Program;
import io.specwatch.core.program.Stmt;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;

/**
 * Runs one compiled spec over a stream of documents: the section "Applying one document" of the
 * language contract, steps 2 to 6 (step 1, documents that are not JSON objects, is decided once
 * for all specs by {@link Monitor}).
 *
 * <p>Single-threaded by design: one runtime owns all instances of its spec (or, in the sharded
 * pipeline, of its shard), so nothing here takes a lock. The hot path reuses per-event-type
 * buffers and per-entity-type frames and allocates only for new instances, sets and violations.
 */
public final class SpecRuntime {
  private static final long NO_WATERMARK = Long.MIN_VALUE;

  /** The decoded form of one event of the current document; one buffer per event type. */
  private static final class Decoded {
    final EventType type;
    final long[] longs;
    final Object[] refs;
    String key;
    long time;

    Decoded(EventType type) {
      this.type = type;
      this.longs = new long[type.longSlots()];
      this.refs = new Object[type.refSlots()];
    }
  }

  /** Per entity type: its instances, a reusable frame and scratch for invariant results. */
  private static final class EntityStore {
    final EntityType type;
    final Map<String, Instance> instances = new HashMap<>();
    final Frame frame;
    final boolean[] holds;
    final long[] pendingExpiry;

    EntityStore(EntityType type) {
      this.type = type;
      this.frame = new Frame(type.longSlots(), type.refSlots());
      this.holds = new boolean[type.invariants().size()];
      this.pendingExpiry = new long[type.deadlines().size()];
    }
  }

  private record Forget(long at, EntityStore store, Instance instance) {}

  private final Program program;
  private final InputSpec input;
  private final DocumentView view;
  private final Decoded[] decodedByEvent;
  private final Decoded[] applyOrder;
  private final EntityStore[] stores;
  private final DeadlineQueue deadlines = new DeadlineQueue();
  private final DedupeMemory dedupe;
  private final PriorityQueue<Forget> forgets =
      new PriorityQueue<>((a, b) -> Long.compare(a.at, b.at));
  private final RuntimeStats stats = new RuntimeStats();

  private long maxEventTime = NO_WATERMARK;
  private long watermark = NO_WATERMARK;

  public SpecRuntime(Program program, DocumentView view) {
    this.program = program;
    this.input = program.input();
    this.view = view;
    this.decodedByEvent = new Decoded[program.events().size()];
    for (EventType e : program.events()) {
      decodedByEvent[e.index()] = new Decoded(e);
    }
    this.applyOrder = new Decoded[program.events().size()];
    this.stores = new EntityStore[program.entities().size()];
    for (EntityType t : program.entities()) {
      stores[t.index()] = new EntityStore(t);
    }
    this.dedupe = input.hasId()
        ? new DedupeMemory(input.hasTime(), input.dedupeWindowMillis(),
            DedupeMemory.DEFAULT_MAX_IDS_WITHOUT_TIME)
        : null;
  }

  public Program program() {
    return program;
  }

  public RuntimeStats stats() {
    stats.liveInstances = 0;
    for (EntityStore s : stores) {
      stats.liveInstances += s.instances.size();
    }
    stats.armedDeadlines = deadlines.armedCount();
    stats.rememberedIds = dedupe == null ? 0 : dedupe.size();
    stats.evictedIds = dedupe == null ? 0 : dedupe.evicted();
    stats.watermark = watermark;
    return stats;
  }

  /** Step 1: a line that is not a JSON object is one malformed violation per spec. */
  public void rejectDocument(Position pos, String reason, ViolationSink out) {
    stats.documents++;
    stats.malformed++;
    emit(out, new Violation(program.name(), ViolationKind.MALFORMED, null, null, null, pos, null,
        reason, null));
  }

  /** Steps 2 to 6 for a document that is a JSON object, already bound to this spec's view. */
  public void process(Position pos, ViolationSink out) {
    stats.documents++;
    long docTime = 0;
    boolean timeValid = true;
    if (input.hasTime()) {
      docTime = readTime(input.timePath());
      timeValid = docTime != Rfc3339.INVALID;
    }

    // Step 2: dedupe, before event matching, even if the document then matches nothing.
    if (dedupe != null && timeValid) {
      String id = view.keyText(input.idPath());
      if (id != null && dedupe.checkAndRecord(id, docTime)) {
        stats.duplicates++;
        return;
      }
    }

    // Step 3: match and decode every event declaration.
    int decoded = 0;
    boolean matchedAny = false;
    for (Decoded d : decodedByEvent) {
      EventType type = d.type;
      if (!type.when().test(view)) {
        continue;
      }
      matchedAny = true;
      String failure = decode(d, docTime, timeValid);
      if (failure == null) {
        applyOrder[decoded++] = d;
      } else {
        stats.malformed++;
        emit(out, new Violation(program.name(), ViolationKind.MALFORMED, type.name(),
            type.entity().name(), d.key, pos, timeValid ? docTime : null, failure, null));
      }
    }
    if (!matchedAny) {
      stats.ignored++;
      return;
    }
    if (decoded == 0) {
      return;
    }

    // Step 4: the watermark moves to cover the document; expired deadlines fire.
    advanceWatermark(docTime, pos, out);

    // Step 5: apply in declaration order.
    for (int i = 0; i < decoded; i++) {
      apply(applyOrder[i], pos, out);
      stats.events++;
    }
  }

  /** {@code check --flush}: fires every deadline still armed, in firing order, with no position. */
  public void flush(ViolationSink out) {
    DeadlineQueue.Entry e;
    while ((e = deadlines.pollAny()) != null) {
      fire(e, null, out);
    }
  }

  private long readTime(int path) {
    byte kind = view.kind(path);
    if (kind == JsonKind.INT) {
      return view.longValue(path);
    }
    if (kind == JsonKind.STRING) {
      return Rfc3339.parse(view.stringValue(path));
    }
    return Rfc3339.INVALID;
  }

  /** Decodes key, time and fields; returns null or why the document is malformed for this event. */
  private String decode(Decoded d, long docTime, boolean timeValid) {
    EventType type = d.type;
    byte keyKind = view.kind(type.keyPath());
    d.key = view.keyText(type.keyPath());
    if (d.key == null) {
      return keyKind == JsonKind.MISSING
          ? "key `" + type.keyPathText() + "` is missing"
          : "key `" + type.keyPathText() + "` is not a string or an integer";
    }
    if (!timeValid) {
      return "event time `" + input.timePathText() + "` is missing or not a valid time";
    }
    d.time = docTime;
    for (EventField f : type.fields()) {
      String failure = decodeField(d, f);
      if (failure != null) {
        return failure;
      }
    }
    return null;
  }

  private String decodeField(Decoded d, EventField f) {
    int path = f.path();
    byte kind = view.kind(path);
    if (kind == JsonKind.MISSING) {
      Object def = f.defaultValue();
      if (def == null) {
        return "field `" + f.name() + "` is missing";
      }
      if (f.type().isLongSlot()) {
        d.longs[f.slot()] = (Long) def;
      } else {
        d.refs[f.slot()] = def;
      }
      return null;
    }
    switch (f.type().kind()) {
      case INT, DURATION -> {
        if (kind != JsonKind.INT) {
          return invalidField(f);
        }
        d.longs[f.slot()] = view.longValue(path);
      }
      case BOOL -> {
        if (kind != JsonKind.BOOL) {
          return invalidField(f);
        }
        d.longs[f.slot()] = view.longValue(path);
      }
      case TIME -> {
        long t = readTime(path);
        if (t == Rfc3339.INVALID) {
          return invalidField(f);
        }
        d.longs[f.slot()] = t;
      }
      case STRING -> {
        if (kind != JsonKind.STRING) {
          return invalidField(f);
        }
        d.refs[f.slot()] = view.stringValue(path);
      }
      default -> throw new IllegalStateException("event field of type " + f.type());
    }
    return null;
  }

  private static String invalidField(EventField f) {
    return "field `" + f.name() + "` is not a valid " + f.type();
  }

  private void advanceWatermark(long docTime, Position pos, ViolationSink out) {
    if (docTime > maxEventTime || maxEventTime == NO_WATERMARK) {
      maxEventTime = Math.max(docTime, maxEventTime);
      watermark = Checked.saturatingSub(maxEventTime, input.latenessMillis());
    }
    // Fire even when the watermark did not move: a late `after` event may have armed a deadline
    // that is already behind it, and it fires before the next document that produces an event.
    DeadlineQueue.Entry e;
    while ((e = deadlines.pollExpiredBefore(watermark)) != null) {
      fire(e, pos, out);
    }
    if (dedupe != null) {
      dedupe.advanceTo(watermark);
    }
    while (!forgets.isEmpty() && forgets.peek().at <= watermark) {
      Forget f = forgets.poll();
      if (f.instance.ended && f.store.instances.get(f.instance.key) == f.instance
          && Checked.saturatingAdd(f.instance.endTime, Limits.FORGET_AFTER_END_MS) == f.at) {
        f.store.instances.remove(f.instance.key);
        stats.forgotten++;
      }
    }
  }

  private void fire(DeadlineQueue.Entry e, Position pos, ViolationSink out) {
    Deadline d = e.deadline;
    String message = d.doc() != null ? d.doc()
        : "deadline `" + d.name() + "` passed: no expected event within " + d.withinMillis() + " ms";
    stats.deadlineViolations++;
    emit(out, new Violation(program.name(), ViolationKind.DEADLINE, d.name(), e.entity.name(),
        e.instance.key, pos, e.expiry, message,
        new StateSnapshot(e.entity, e.instance.longs, e.instance.refs)));
  }

  /** Step 5 for one event and its instance, with step 6's all-or-nothing faults. */
  private void apply(Decoded d, Position pos, ViolationSink out) {
    EventType type = d.type;
    EntityType entity = type.entity();
    EntityStore store = stores[entity.index()];
    Instance inst = store.instances.get(d.key);
    if (inst != null && inst.ended) {
      if (watermark != NO_WATERMARK
          && watermark >= Checked.saturatingAdd(inst.endTime, Limits.FORGET_AFTER_END_MS)) {
        store.instances.remove(d.key); // forgotten: this key starts a fresh instance
        stats.forgotten++;
        inst = null;
      } else {
        transition(type, inst.key, entity, inst, pos, d.time, "event after end", out);
        return;
      }
    }
    boolean fresh = inst == null;
    if (fresh) {
      inst = new Instance(entity, d.key);
    }
    Frame f = store.frame;
    f.load(inst.longs, inst.refs);
    f.bindEvent(d.longs, d.refs, d.time, d.key);

    List<Handler> handlers = type.handlers();
    try {
      if (!handlers.isEmpty()) {
        Handler chosen = null;
        int failedClause = -1;
        for (Handler h : handlers) {
          failedClause = firstFailingClause(h, f);
          if (failedClause < 0) {
            chosen = h;
            break;
          }
        }
        if (chosen == null) {
          Handler last = handlers.get(handlers.size() - 1);
          String doc = last.doc() != null ? last.doc() : type.doc();
          String what = "requires `" + last.requiresSource()[failedClause] + "` does not hold";
          String message = doc != null ? doc + " (" + what + ")"
              : "no handler of `" + type.name() + "` can run (" + what + ")";
          transition(type, d.key, entity, inst, pos, d.time, message, out);
          return;
        }
        Stmt.execAll(chosen.body(), f);
        for (Invariant inv : entity.invariants()) {
          store.holds[inv.index()] = inv.condition().evalBool(f);
        }
      }
      boolean endsNow = entity.endsWhen() != null && entity.endsWhen().evalBool(f);
      if (!endsNow) {
        for (int a : type.arms()) {
          store.pendingExpiry[a] = Checked.add(d.time, entity.deadlines().get(a).withinMillis());
        }
      }
      commit(d, store, inst, fresh, !handlers.isEmpty(), endsNow, pos, out);
    } catch (EvalFault fault) {
      stats.errors++;
      emit(out, new Violation(program.name(), ViolationKind.ERROR, type.name(), entity.name(),
          d.key, pos, d.time, fault.getMessage(),
          new StateSnapshot(entity, inst.longs, inst.refs)));
    }
  }

  /** Index of the first {@code requires} clause that does not hold, or -1 when all hold. */
  private static int firstFailingClause(Handler h, Frame f) {
    Expr[] clauses = h.requires();
    for (int i = 0; i < clauses.length; i++) {
      if (!clauses[i].evalBool(f)) {
        return i;
      }
    }
    return -1;
  }

  private void commit(Decoded d, EntityStore store, Instance inst, boolean fresh, boolean handlerRan,
      boolean endsNow, Position pos, ViolationSink out) {
    EntityType entity = store.type;
    store.frame.store(inst.longs, inst.refs);
    if (fresh) {
      store.instances.put(inst.key, inst);
    }
    if (handlerRan) {
      for (Invariant inv : entity.invariants()) {
        boolean holds = store.holds[inv.index()];
        boolean wasBroken = inst.brokenInvariants[inv.index()];
        if (!holds && !wasBroken) {
          inst.brokenInvariants[inv.index()] = true;
          stats.invariantViolations++;
          String message = inv.doc() != null ? inv.doc() : "invariant `" + inv.name() + "` does not hold";
          emit(out, new Violation(program.name(), ViolationKind.INVARIANT, inv.name(), entity.name(),
              inst.key, pos, d.time, message, new StateSnapshot(entity, inst.longs, inst.refs)));
        } else if (holds && wasBroken) {
          inst.brokenInvariants[inv.index()] = false;
          stats.invariantResolutions++;
        }
      }
    }
    if (endsNow) {
      // An instance that ends has all its deadlines disarmed, and its last event arms none.
      inst.ended = true;
      inst.endTime = d.time;
      deadlines.disarmAll(inst);
      forgets.add(new Forget(Checked.saturatingAdd(d.time, Limits.FORGET_AFTER_END_MS), store, inst));
      return;
    }
    EventType type = d.type;
    for (int x : type.disarms()) {
      deadlines.disarm(inst, x);
    }
    for (int a : type.arms()) {
      if (inst.armSeq[a] == 0) {
        deadlines.arm(entity, inst, entity.deadlines().get(a), store.pendingExpiry[a]);
      }
    }
  }

  private void transition(EventType type, String key, EntityType entity, Instance inst,
      Position pos, long time, String message, ViolationSink out) {
    stats.transitionViolations++;
    emit(out, new Violation(program.name(), ViolationKind.TRANSITION, type.name(), entity.name(),
        key, pos, time, message, new StateSnapshot(entity, inst.longs, inst.refs)));
  }

  private void emit(ViolationSink out, Violation v) {
    stats.violations++;
    out.accept(v);
  }

  /** For tests and tools: the names of instances currently held per entity type. */
  public List<String> liveKeys(String entityName) {
    for (EntityStore s : stores) {
      if (s.type.name().equals(entityName)) {
        return new ArrayList<>(s.instances.keySet());
      }
    }
    return List.of();
  }
}
