package io.specwatch.core.engine.reference;

import io.specwatch.core.Position;
import io.specwatch.core.StateSnapshot;
import io.specwatch.core.Violation;
import io.specwatch.core.ViolationKind;
import io.specwatch.core.ViolationSink;
import io.specwatch.core.eval.Checked;
import io.specwatch.core.eval.EvalFault;
import io.specwatch.core.eval.Frame;
import io.specwatch.core.eval.Limits;
import io.specwatch.core.program.Deadline;
import io.specwatch.core.program.EntityType;
import io.specwatch.core.program.EventType;
import io.specwatch.core.program.Expr;
import io.specwatch.core.program.Handler;
import io.specwatch.core.program.Invariant;
import io.specwatch.core.program.Program;
import io.specwatch.core.program.Stmt;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;

/**
 * The per-instance part of applying documents to one spec (the contract's steps 4 to 6): firing
 * deadlines the watermark has passed, then running each event through its instance's handlers,
 * invariants, {@code ends when} and deadlines, with faults rolled back.
 *
 * <p>An evaluator owns the instances of one shard: the keys with {@code shardOf(key) == shard}.
 * Every evaluator sees every admitted document, because each must fire its own deadlines at the
 * documents that move the watermark, but applies only its own events. So no instance is ever
 * touched by two threads and nothing here takes a lock. The shard that is number 0 also reports
 * the document's malformed violations, so they are reported once.
 */
final class Evaluator {
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
  private final int shard;
  private final int shards;
  private final EntityStore[] stores;
  private final DeadlineQueue deadlines = new DeadlineQueue();
  private final PriorityQueue<Forget> forgets =
      new PriorityQueue<>((a, b) -> Long.compare(a.at, b.at));
  private long watermark = Admission.NO_WATERMARK;

  long events;
  long violations;
  long transitionViolations;
  long invariantViolations;
  long invariantResolutions;
  long deadlineViolations;
  long errors;
  long forgotten;

  public Evaluator(Program program, int shard, int shards) {
    if (shards < 1 || shard < 0 || shard >= shards) {
      throw new IllegalArgumentException("shard " + shard + " of " + shards);
    }
    this.program = program;
    this.shard = shard;
    this.shards = shards;
    this.stores = new EntityStore[program.entities().size()];
    for (EntityType t : program.entities()) {
      stores[t.index()] = new EntityStore(t);
    }
  }

  /** Reports, fires and applies what {@code doc} holds for this shard. */
  public void onDocument(AdmittedDocument doc, Position pos, ViolationSink out) {
    if (shard == 0) {
      for (int i = 0; i < doc.malformed.size(); i++) {
        emit(out, doc.malformed.get(i));
      }
    }
    if (!doc.producedEvent) {
      return;
    }
    advanceWatermark(doc.watermark, pos, out);
    for (int i = 0; i < doc.eventCount; i++) {
      if (shards == 1 || doc.shardOf(i, shards) == shard) {
        apply(doc.applyOrder[i], pos, out);
        events++;
      }
    }
  }

  /** {@code check --flush}: fires every deadline still armed, in firing order, with no position. */
  public void flush(ViolationSink out) {
    DeadlineQueue.Entry e;
    while ((e = deadlines.pollAny()) != null) {
      fire(e, null, out);
    }
  }

  private void advanceWatermark(long newWatermark, Position pos, ViolationSink out) {
    watermark = newWatermark;
    // Fire even when the watermark did not move: a late `after` event may have armed a deadline
    // that is already behind it, and it fires before the next document that produces an event.
    DeadlineQueue.Entry e;
    while ((e = deadlines.pollExpiredBefore(watermark)) != null) {
      fire(e, pos, out);
    }
    while (!forgets.isEmpty() && forgets.peek().at <= watermark) {
      Forget f = forgets.poll();
      if (f.instance.ended && f.store.instances.get(f.instance.key) == f.instance
          && Limits.forgetAt(f.instance.endTime) == f.at) {
        f.store.instances.remove(f.instance.key);
        forgotten++;
      }
    }
  }

  private void fire(DeadlineQueue.Entry e, Position pos, ViolationSink out) {
    Deadline d = e.deadline;
    String message = d.doc() != null ? d.doc()
        : "deadline `" + d.name() + "` passed: no expected event within " + d.withinMillis() + " ms";
    deadlineViolations++;
    emit(out, new Violation(program.name(), ViolationKind.DEADLINE, d.name(), e.entity.name(),
        e.instance.key, pos, e.expiry, message,
        new StateSnapshot(e.entity, e.instance.longs, e.instance.refs)));
  }

  /** Step 5 for one event and its instance, with step 6's all-or-nothing faults. */
  private void apply(AdmittedDocument.Decoded d, Position pos, ViolationSink out) {
    EventType type = d.type;
    EntityType entity = type.entity();
    EntityStore store = stores[entity.index()];
    Instance inst = store.instances.get(d.key);
    if (inst != null && inst.ended) {
      if (Limits.forgottenBy(inst.endTime, watermark)) {
        store.instances.remove(d.key); // forgotten: this key starts a fresh instance
        forgotten++;
        inst = null;
      } else {
        transition(type, entity, inst, pos, d.time, "event after end", out);
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
        for (int h = 0; h < handlers.size(); h++) {
          failedClause = firstFailingClause(handlers.get(h), f);
          if (failedClause < 0) {
            chosen = handlers.get(h);
            break;
          }
        }
        if (chosen == null) {
          Handler last = handlers.get(handlers.size() - 1);
          String doc = last.doc() != null ? last.doc() : type.doc();
          String what = "requires `" + last.requiresSource()[failedClause] + "` does not hold";
          String message = doc != null ? doc + " (" + what + ")"
              : "no handler of `" + type.name() + "` can run (" + what + ")";
          transition(type, entity, inst, pos, d.time, message, out);
          return;
        }
        Stmt.execAll(chosen.body(), f);
        for (Invariant inv : entity.invariants()) {
          store.holds[inv.index()] = inv.condition().evalBool(f);
        }
      }
      boolean endsNow = entity.endsWhen() != null && entity.endsWhen().evalBool(f);
      if (!endsNow) {
        // Only deadlines this event will arm get an expiry (and can fault on it): those not
        // armed now, and those it disarms first because it is in both lists.
        for (int a : type.arms()) {
          if (inst.armSeq[a] == 0 || contains(type.disarms(), a)) {
            store.pendingExpiry[a] = Checked.add(d.time, entity.deadlines().get(a).withinMillis());
          }
        }
      }
      commit(d, store, inst, fresh, !handlers.isEmpty(), endsNow, pos, out);
    } catch (EvalFault fault) {
      errors++;
      emit(out, new Violation(program.name(), ViolationKind.ERROR, type.name(), entity.name(),
          d.key, pos, d.time, fault.getMessage(),
          new StateSnapshot(entity, inst.longs, inst.refs)));
    }
  }

  private static boolean contains(int[] values, int v) {
    for (int x : values) {
      if (x == v) {
        return true;
      }
    }
    return false;
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

  private void commit(AdmittedDocument.Decoded d, EntityStore store, Instance inst, boolean fresh,
      boolean handlerRan, boolean endsNow, Position pos, ViolationSink out) {
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
          invariantViolations++;
          String message = inv.doc() != null ? inv.doc()
              : "invariant `" + inv.name() + "` does not hold";
          emit(out, new Violation(program.name(), ViolationKind.INVARIANT, inv.name(), entity.name(),
              inst.key, pos, d.time, message, new StateSnapshot(entity, inst.longs, inst.refs)));
        } else if (holds && wasBroken) {
          inst.brokenInvariants[inv.index()] = false;
          invariantResolutions++;
        }
      }
    }
    if (endsNow) {
      // An instance that ends has all its deadlines disarmed, and its last event arms none.
      inst.ended = true;
      inst.endTime = d.time;
      deadlines.disarmAll(inst);
      long forgetAt = Limits.forgetAt(d.time);
      if (forgetAt != Limits.NEVER_FORGOTTEN) {
        forgets.add(new Forget(forgetAt, store, inst));
      }
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

  private void transition(EventType type, EntityType entity, Instance inst, Position pos, long time,
      String message, ViolationSink out) {
    transitionViolations++;
    emit(out, new Violation(program.name(), ViolationKind.TRANSITION, type.name(), entity.name(),
        inst.key, pos, time, message, new StateSnapshot(entity, inst.longs, inst.refs)));
  }

  private void emit(ViolationSink out, Violation v) {
    violations++;
    out.accept(v);
  }

  long liveInstances() {
    long n = 0;
    for (EntityStore s : stores) {
      n += s.instances.size();
    }
    return n;
  }

  long armedDeadlines() {
    return deadlines.armedCount();
  }

  /** For tests and tools: the keys of the instances this shard holds for an entity type. */
  public List<String> liveKeys(String entityName) {
    for (EntityStore s : stores) {
      if (s.type.name().equals(entityName)) {
        return new ArrayList<>(s.instances.keySet());
      }
    }
    return List.of();
  }
}
