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
import io.specwatch.core.program.Deadline;
import io.specwatch.core.program.EntityType;
import io.specwatch.core.program.EventType;
import io.specwatch.core.program.Expr;
import io.specwatch.core.program.Handler;
import io.specwatch.core.program.Invariant;
import io.specwatch.core.program.Program;
import io.specwatch.core.program.Specializer;
import io.specwatch.core.program.Stmt;
import java.util.List;

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
 *
 * <p>Instances live in one column-wise {@link InstanceTable} per entity type and are named by
 * their id there; the deadline and forget queues are primitive heaps of ids. Applying an event to
 * an existing instance allocates nothing unless it raises a violation or modifies a set. The
 * frozen {@link io.specwatch.core.engine.reference.ReferenceMonitor} is what this must agree with.
 */
public final class Evaluator {
  /**
   * Per entity type: a reusable frame, scratch for invariant results and new expiries, and the
   * entity's invariant conditions and deadline durations as arrays. Arrays, not the program's
   * lists: the lists are of several {@code List} classes, so their calls on the hot path were
   * not inlined (about 9 % of evaluation in a profile). Conditions are {@link Specializer}'s.
   */
  private static final class Scratch {
    final Frame frame;
    final boolean[] holds;
    final long[] pendingExpiry;
    final Expr[] invariantConditions;
    /** {@code ends when}, or null. */
    final Expr endsWhen;
    final long[] deadlineWithin;

    Scratch(EntityType type) {
      this.frame = new Frame(type.longSlots(), type.refSlots());
      this.holds = new boolean[type.invariants().size()];
      this.pendingExpiry = new long[type.deadlines().size()];
      this.invariantConditions = new Expr[holds.length];
      for (int i = 0; i < holds.length; i++) {
        invariantConditions[i] = Specializer.expr(type.invariants().get(i).condition());
      }
      this.endsWhen = type.endsWhen() == null ? null : Specializer.expr(type.endsWhen());
      this.deadlineWithin = new long[pendingExpiry.length];
      for (int d = 0; d < deadlineWithin.length; d++) {
        deadlineWithin[d] = type.deadlines().get(d).withinMillis();
      }
    }
  }

  /** Marks "no instance yet": the event runs on the entity's initial state. */
  private static final int FRESH = -1;

  private final Program program;
  private final int shard;
  private final int shards;
  private final InstanceTable[] tables;
  private final Scratch[] scratch;
  /**
   * By event index and handler: its {@code requires} clauses, specialised (see Specializer);
   * arrays rather than the program's lists, see {@link Scratch}.
   */
  private final Expr[][][] requiresByEvent;
  /** By event index and handler: its body, specialised. */
  private final Stmt[][][] bodiesByEvent;
  private final DeadlineQueue deadlines;
  private final ForgetQueue forgets = new ForgetQueue();
  /** At most this many instances (ended ones still remembered included) in all tables; 0: no cap. */
  private final long maxLiveInstances;
  private long watermark = Admission.NO_WATERMARK;
  /** Keeps what {@link #prefetch} read, so that the JIT cannot drop the reads. */
  @SuppressWarnings("unused")
  private long prefetched;

  long events;
  long violations;
  long transitionViolations;
  long invariantViolations;
  long invariantResolutions;
  long deadlineViolations;
  long errors;
  long forgotten;
  long instancesRefused;

  public Evaluator(Program program, int shard, int shards) {
    this(program, shard, shards, 0);
  }

  /**
   * An evaluator holding at most {@code maxLiveInstances} instances (0: no cap). An event that
   * would create one more is not applied and is reported as an {@code error} violation, the way
   * a set over its size limit is: memory under a flood of fresh keys is bounded, and the refusal
   * is visible (violation and {@link RuntimeStats#instancesRefused}) instead of silent.
   */
  public Evaluator(Program program, int shard, int shards, long maxLiveInstances) {
    if (shards < 1 || shard < 0 || shard >= shards) {
      throw new IllegalArgumentException("shard " + shard + " of " + shards);
    }
    if (maxLiveInstances < 0) {
      throw new IllegalArgumentException("maxLiveInstances must be >= 0, was " + maxLiveInstances);
    }
    this.program = program;
    this.shard = shard;
    this.shards = shards;
    this.maxLiveInstances = maxLiveInstances;
    this.tables = new InstanceTable[program.entities().size()];
    this.scratch = new Scratch[tables.length];
    for (EntityType t : program.entities()) {
      tables[t.index()] = new InstanceTable(t);
      scratch[t.index()] = new Scratch(t);
    }
    this.deadlines = new DeadlineQueue(tables);
    int events = program.events().size();
    this.requiresByEvent = new Expr[events][][];
    this.bodiesByEvent = new Stmt[events][][];
    for (EventType e : program.events()) {
      Handler[] handlers = e.handlers().toArray(new Handler[0]);
      requiresByEvent[e.index()] = new Expr[handlers.length][];
      bodiesByEvent[e.index()] = new Stmt[handlers.length][];
      for (int h = 0; h < handlers.length; h++) {
        requiresByEvent[e.index()][h] = Specializer.exprs(handlers[h].requires());
        bodiesByEvent[e.index()][h] = Specializer.block(handlers[h].body());
      }
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

  /**
   * A hint that {@code doc} will be evaluated soon: starts loading the index slots and rows of
   * its instances. Finding an instance costs two dependent cache misses (index slot, then row:
   * about 110 ns each with a million live instances), which this evaluator would otherwise wait
   * for one event after the other; a caller that holds a batch of admitted documents (a ring
   * batch, a benchmark) calls this some documents ahead (32 in the pipeline, 4 at a time), so
   * that their misses overlap with each other and with the work on the documents before.
   * Changes nothing observable; like {@link #onDocument}, only the evaluator's own thread may
   * call it, and only on a document that no other thread is writing.
   */
  public void prefetch(AdmittedDocument doc) {
    if (!doc.producedEvent) {
      return;
    }
    long touched = 0;
    for (int i = 0; i < doc.eventCount; i++) {
      if (shards == 1 || doc.shardOf(i, shards) == shard) {
        AdmittedDocument.Decoded d = doc.applyOrder[i];
        touched += tables[d.type.entity().index()].touch(d.packedKey.hash);
      }
    }
    prefetched = touched;
  }

  /** {@code check --flush}: fires every deadline still armed, in firing order, with no position. */
  public void flush(ViolationSink out) {
    while (deadlines.pollAny()) {
      fire(null, out);
    }
  }

  private void advanceWatermark(long newWatermark, Position pos, ViolationSink out) {
    watermark = newWatermark;
    // Fire even when the watermark did not move: a late `after` event may have armed a deadline
    // that is already behind it, and it fires before the next document that produces an event.
    while (deadlines.pollExpiredBefore(watermark)) {
      fire(pos, out);
    }
    while (forgets.pollDue(watermark)) {
      InstanceTable t = tables[forgets.polledEntity];
      int id = forgets.polledId;
      // Stale when the instance was already forgotten (its id maybe reused) or ended anew.
      if (t.isLive(id) && t.ended(id)
          && Limits.forgetAt(t.endTime(id)) == forgets.polledAt) {
        t.remove(id);
        forgotten++;
      }
    }
  }

  private void fire(Position pos, ViolationSink out) {
    InstanceTable t = tables[deadlines.firedEntity];
    int id = deadlines.firedId;
    Deadline d = t.type.deadlines().get(deadlines.firedDeadline);
    String message = d.doc() != null ? d.doc()
        : "deadline `" + d.name() + "` passed: no expected event within " + d.withinMillis() + " ms";
    deadlineViolations++;
    emit(out, new Violation(program.name(), ViolationKind.DEADLINE, d.name(), t.type.name(),
        t.key(id), pos, deadlines.firedExpiry, message, t.snapshot(id), deadlines.firedArmedBy));
  }

  /** Step 5 for one event and its instance, with step 6's all-or-nothing faults. */
  private void apply(AdmittedDocument.Decoded d, Position pos, ViolationSink out) {
    EventType type = d.type;
    EntityType entity = type.entity();
    InstanceTable table = tables[entity.index()];
    Scratch s = scratch[entity.index()];
    int id = table.find(d.packedKey);
    if (id >= 0 && table.ended(id)) {
      if (Limits.forgottenBy(table.endTime(id), watermark)) {
        table.remove(id); // forgotten: this key starts a fresh instance
        forgotten++;
        id = FRESH;
      } else {
        transition(type, table, id, d.key(), pos, d.time, "event after end", out);
        return;
      }
    }
    Frame f = s.frame;
    if (id == FRESH) {
      f.load(entity.initialLongs(), entity.initialRefs());
    } else {
      f.load(table.wordsOf(id), table.rowAt(id), table.refsOf(id), table.refsAt(id));
    }
    f.bindEvent(d.longs, d.refs, d.time, d.packedKey);

    Expr[][] requires = requiresByEvent[type.index()];
    try {
      if (requires.length > 0) {
        int chosen = -1;
        int failedClause = -1;
        for (int h = 0; h < requires.length; h++) {
          failedClause = firstFailingClause(requires[h], f);
          if (failedClause < 0) {
            chosen = h;
            break;
          }
        }
        if (chosen < 0) {
          Handler last = type.handlers().get(requires.length - 1); // rare: a transition
          String doc = last.doc() != null ? last.doc() : type.doc();
          String what = "requires `" + last.requiresSource()[failedClause] + "` does not hold";
          String message = doc != null ? doc + " (" + what + ")"
              : "no handler of `" + type.name() + "` can run (" + what + ")";
          transition(type, table, id, d.key(), pos, d.time, message, out);
          return;
        }
        Stmt.execAll(bodiesByEvent[type.index()][chosen], f);
        Expr[] conditions = s.invariantConditions;
        for (int i = 0; i < conditions.length; i++) {
          s.holds[i] = conditions[i].evalBool(f);
        }
      }
      boolean endsNow = s.endsWhen != null && s.endsWhen.evalBool(f);
      if (!endsNow) {
        // Only deadlines this event will arm get an expiry (and can fault on it): those not
        // armed now, and those it disarms first because it is in both lists.
        for (int a : type.arms()) {
          if (id == FRESH || table.armWord(id, a) == 0
              || contains(type.disarms(), a)) {
            s.pendingExpiry[a] = Checked.add(d.time, s.deadlineWithin[a]);
          }
        }
      }
      commit(d, table, s, id, requires.length > 0, endsNow, pos, out);
    } catch (EvalFault fault) {
      errors++;
      emit(out, new Violation(program.name(), ViolationKind.ERROR, type.name(), entity.name(),
          d.key(), pos, d.time, fault.getMessage(), snapshot(table, id)));
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
  private static int firstFailingClause(Expr[] clauses, Frame f) {
    for (int i = 0; i < clauses.length; i++) {
      if (!clauses[i].evalBool(f)) {
        return i;
      }
    }
    return -1;
  }

  private void commit(AdmittedDocument.Decoded d, InstanceTable table, Scratch s, int id,
      boolean handlerRan, boolean endsNow, Position pos, ViolationSink out) {
    EntityType entity = table.type;
    if (id == FRESH) {
      if (maxLiveInstances > 0 && liveInstances() >= maxLiveInstances) {
        refuseNewInstance(d, table, pos, out);
        return;
      }
      id = table.insert(d.packedKey);
    }
    s.frame.store(table.wordsOf(id), table.rowAt(id), table.refsOf(id), table.refsAt(id));
    if (handlerRan) {
      for (int i = 0; i < s.holds.length; i++) {
        boolean holds = s.holds[i];
        boolean wasBroken = table.isBroken(id, i);
        if (!holds && !wasBroken) {
          table.setBroken(id, i, true);
          invariantViolations++;
          Invariant inv = entity.invariants().get(i);
          String message = inv.doc() != null ? inv.doc()
              : "invariant `" + inv.name() + "` does not hold";
          emit(out, new Violation(program.name(), ViolationKind.INVARIANT, inv.name(), entity.name(),
              d.key(), pos, d.time, message, table.snapshot(id)));
        } else if (holds && wasBroken) {
          table.setBroken(id, i, false);
          invariantResolutions++;
          // Tell the sinks, so an alert resolves now rather than after its quiet period.
          out.invariantHolds(program.name(), entity.invariants().get(i).name(), entity.name(),
              d.key(), pos, d.time);
        }
      }
    }
    if (endsNow) {
      // An instance that ends has all its deadlines disarmed, and its last event arms none.
      deadlines.disarmAll(table, id); // first: the end time takes deadline 0's arm word
      table.setEnded(id, true, d.time);
      long forgetAt = Limits.forgetAt(d.time);
      if (forgetAt != Limits.NEVER_FORGOTTEN) {
        forgets.add(forgetAt, entity.index(), id);
      }
      return;
    }
    EventType type = d.type;
    for (int x : type.disarms()) {
      deadlines.disarm(table, id, x);
    }
    for (int a : type.arms()) {
      if (table.armWord(id, a) == 0) {
        deadlines.arm(entity.index(), id, a, s.pendingExpiry[a], pos);
      }
    }
  }

  /** The cap bites: the event is dropped whole (nothing committed) and reported as an error. */
  private void refuseNewInstance(AdmittedDocument.Decoded d, InstanceTable table, Position pos,
      ViolationSink out) {
    instancesRefused++;
    errors++;
    emit(out, new Violation(program.name(), ViolationKind.ERROR, d.type.name(), table.type.name(),
        d.key(), pos, d.time, "live-instance limit reached: spec `" + program.name() + "` holds "
            + maxLiveInstances + " instances (limits.max_live_instances); event `"
            + d.type.name() + "` for a new key was not applied",
        snapshot(table, FRESH)));
  }

  /** The committed state of {@code id}, or the initial state for an instance not yet stored. */
  private static StateSnapshot snapshot(InstanceTable table, int id) {
    EntityType e = table.type;
    return id == FRESH ? new StateSnapshot(e, e.initialLongs(), e.initialRefs()) : table.snapshot(id);
  }

  private void transition(EventType type, InstanceTable table, int id, String key, Position pos,
      long time, String message, ViolationSink out) {
    transitionViolations++;
    emit(out, new Violation(program.name(), ViolationKind.TRANSITION, type.name(),
        table.type.name(), key, pos, time, message, snapshot(table, id)));
  }

  private void emit(ViolationSink out, Violation v) {
    violations++;
    out.accept(v);
  }

  long liveInstances() {
    long n = 0;
    for (InstanceTable t : tables) {
      n += t.size();
    }
    return n;
  }

  long armedDeadlines() {
    return deadlines.armedCount();
  }

  /** For tests and tools: the keys of the instances this shard holds for an entity type. */
  public List<String> liveKeys(String entityName) {
    for (InstanceTable t : tables) {
      if (t.type.name().equals(entityName)) {
        return t.liveKeys();
      }
    }
    return List.of();
  }

  // ---- external watermark hook (event-ingest's Kafka source: idle partitions) ----

  /**
   * Fires what a watermark moved from outside (no document) passes: deadlines expiring strictly
   * before {@code newWatermark} and due forgets. If that fires and forgets nothing, the state is
   * left exactly as it was (the watermark too), so a caller may call this freely and only needs
   * to persist (checkpoint) the state when it returns true. Never moves the watermark back.
   */
  boolean advanceWatermarkWithoutDocument(long newWatermark, Position pos, ViolationSink out) {
    if (newWatermark <= watermark) {
      return false;
    }
    long before = watermark;
    long changes = deadlineViolations + forgotten;
    advanceWatermark(newWatermark, pos, out);
    if (deadlineViolations + forgotten == changes) {
      watermark = before; // nothing observable happened: keep the state byte-identical
      return false;
    }
    return true;
  }

  // ---- checkpoint hooks (io.specwatch.core.checkpoint): keep in step with InstanceTable and the
  // ---- tables above. The round-trip test (RuntimeStateRoundTripTest) is the contract.

  /**
   * Writes every instance this shard holds (state, broken invariants, armed deadlines, end) and
   * the watermark. Queues are not written: they are rebuilt from the instances on import, since
   * the firing order depends only on expiry, key and deadline name.
   */
  void exportState(io.specwatch.core.checkpoint.StateWriter w) {
    w.writeLong(watermark);
    for (InstanceTable t : tables) {
      w.writeInt(t.size());
      for (int id : t.liveIds()) {
        w.writeString(t.key(id));
        for (int s = 0; s < t.longSlots; s++) {
          w.writeLong(t.stateLong(id, s));
        }
        for (int s = 0; s < t.refSlots; s++) {
          w.writeRef(t.ref(id, s));
        }
        for (int b = 0; b < t.type.invariants().size(); b++) {
          w.writeBoolean(t.isBroken(id, b));
        }
        // A disarmed deadline's expiry and a live instance's end time are not kept (the table
        // shares their words): 0 stands for them, and import ignores it.
        for (int d = 0; d < t.deadlineSlots; d++) {
          boolean armed = t.isArmed(id, d);
          w.writeBoolean(armed);
          w.writeLong(armed ? deadlines.expiry(t, id, d) : 0);
        }
        w.writeBoolean(t.ended(id));
        w.writeLong(t.ended(id) ? t.endTime(id) : 0);
      }
    }
  }

  /** Restores what {@link #exportState} wrote into an evaluator of the same program that is empty. */
  void importState(io.specwatch.core.checkpoint.StateReader r) {
    watermark = r.readLong();
    for (InstanceTable t : tables) {
      int n = r.readInt();
      for (int i = 0; i < n; i++) {
        String key = r.readString();
        int id = t.insert(key);
        for (int s = 0; s < t.longSlots; s++) {
          t.setStateLong(id, s, r.readLong());
        }
        for (int s = 0; s < t.refSlots; s++) {
          t.setRef(id, s, r.readRef());
        }
        for (int b = 0; b < t.type.invariants().size(); b++) {
          t.setBroken(id, b, r.readBoolean());
        }
        for (int d = 0; d < t.deadlineSlots; d++) {
          boolean armed = r.readBoolean();
          long expiry = r.readLong();
          if (armed) {
            deadlines.arm(t.type.index(), id, d, expiry);
          }
        }
        boolean ended = r.readBoolean();
        long endTime = r.readLong();
        if (ended) {
          // An ended instance has nothing armed (export writes none); its end time takes
          // deadline 0's arm word, so make sure of it whatever the checkpoint says.
          deadlines.disarmAll(t, id);
        }
        t.setEnded(id, ended, endTime);
        long forgetAt = Limits.forgetAt(endTime);
        if (ended && forgetAt != Limits.NEVER_FORGOTTEN) {
          forgets.add(forgetAt, t.type.index(), id);
        }
      }
    }
  }
}
