package io.specwatch.alert;

import io.specwatch.core.Position;
import io.specwatch.core.Violation;
import io.specwatch.core.ViolationKind;
import io.specwatch.core.ViolationSink;
import io.specwatch.core.program.Program;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Turns the stream of violations into alert state: which alerts fire, when they resolve, and how
 * many keys of one rule page separately before they are grouped. It publishes every change to an
 * {@link AlertSink}. Thread-safe: violations arrive from sink queues while a timer calls
 * {@link #tick()}.
 *
 * <h2>Lifecycle</h2>
 * A violation of a new (spec, rule, key) fires an alert at once; another violation of the same
 * key updates it (latest evidence, occurrence count), published at most every
 * {@link AlertSettings#updateInterval()} so that a hot key does not flood the sinks. Transitions, deadlines, malformed documents and errors
 * are one-off events, so their alert resolves once none has been seen for
 * {@link AlertSettings#resolveAfter()}. An invariant alert resolves the moment the engine signals
 * that the invariant holds again for its key ({@link #invariantHolds}, which the pipeline's
 * fan-out and sink queues forward in order with the violations). Where no signal comes (a feed
 * that does not forward it, a signal dropped by a full queue, an instance that ends or is
 * forgotten while broken) it resolves after {@link AlertSettings#invariantQuietPeriod()} without
 * a new violation: an invariant is reported once per break, so that is a timeout, not proof.
 *
 * <h2>Grouping</h2>
 * Once {@link AlertSettings#groupThreshold()} keys of one rule fire, violations of further keys
 * no longer make alerts of their own: one group alert per rule counts them and lists a few example
 * keys, re-published at most every {@link AlertSettings#updateInterval()}. It holds no
 * per-key state, so memory stays bounded by rules times the threshold, whatever the storm.
 */
public final class AlertTracker implements ViolationSink, AutoCloseable {
  private static final Logger LOG = Logger.getLogger(AlertTracker.class.getName());
  /** Replaced by {@link #reloadSpecs} (guarded by this). */
  private AlertFactory factory;
  private final AlertSettings settings;
  private final AlertSink out;
  private final Clock clock;
  private final Map<RuleId, RuleAlerts> rules = new HashMap<>();
  private ScheduledExecutorService timer;

  public AlertTracker(AlertFactory factory, AlertSettings settings, AlertSink out, Clock clock) {
    this.factory = factory;
    this.settings = settings;
    this.out = out;
    this.clock = clock;
  }

  /** The usual wiring: rule docs from the compiled specs, alerts to {@code out}. */
  public static AlertTracker forPrograms(List<Program> programs, AlertSettings settings,
      AlertSink out, Clock clock) {
    return new AlertTracker(new AlertFactory(RuleCatalog.of(programs), settings), settings, out, clock);
  }

  /**
   * After a spec reload: alerts made from now on take their texts (rule doc comments, spec
   * sources) from {@code programs}; an alert already firing gets the new text at its next update.
   */
  public synchronized void reloadSpecs(List<Program> programs) {
    factory = new AlertFactory(RuleCatalog.of(programs), settings);
  }

  private record RuleId(String spec, ViolationKind kind, String rule) {}

  /** A key's own alert and when its rule was last violated for it (wall-clock ms). */
  private static final class Firing {
    Alert alert;
    Violation latest;
    long lastSeen;
    long lastPublished;
    long occurrences;
    boolean dirty;
  }

  /** The group alert of one rule: counts, not keys. */
  private static final class Group {
    Violation first;
    Violation latest;
    Instant startsAt;
    long violations;
    final List<String> examples = new ArrayList<>();
    long lastSeen;
    long lastPublished;
    boolean dirty;
    Alert published;
  }

  private static final class RuleAlerts {
    final LinkedHashMap<String, Firing> byKey = new LinkedHashMap<>();
    Group group;
  }

  @Override
  public synchronized void accept(Violation v) {
    long now = clock.millis();
    RuleId id = new RuleId(v.spec(), v.kind(), AlertFactory.ruleOf(v));
    RuleAlerts r = rules.computeIfAbsent(id, k -> new RuleAlerts());
    String key = v.key() == null ? "" : v.key();
    Firing f = r.byKey.get(key);
    if (f != null) {
      f.lastSeen = now;
      f.occurrences++;
      f.latest = v;
      f.dirty = true;
      if (now - f.lastPublished >= settings.updateInterval().toMillis()) {
        publish(f, now);
      }
    } else if (r.byKey.size() < settings.groupThreshold() && r.group == null) {
      f = new Firing();
      f.lastSeen = now;
      f.occurrences = 1;
      f.alert = factory.alertFor(v, Instant.ofEpochMilli(now), 1);
      f.lastPublished = now;
      r.byKey.put(key, f);
      out.publish(f.alert);
    } else {
      addToGroup(r, v, key, now);
    }
  }

  private void addToGroup(RuleAlerts r, Violation v, String key, long now) {
    Group g = r.group;
    boolean fresh = g == null;
    if (fresh) {
      g = new Group();
      g.first = v;
      g.startsAt = Instant.ofEpochMilli(now);
      r.group = g;
    }
    g.latest = v;
    g.violations++;
    g.lastSeen = now;
    if (g.examples.size() < settings.exampleKeys() && !g.examples.contains(key)) {
      g.examples.add(key);
    }
    g.dirty = true;
    if (fresh) {
      publishGroup(g, now);
    }
  }

  private void publish(Firing f, long now) {
    f.alert = factory.alertFor(f.latest, f.alert.startsAt(), f.occurrences);
    f.lastPublished = now;
    f.dirty = false;
    out.publish(f.alert);
  }

  private void publishGroup(Group g, long now) {
    g.published = factory.groupAlertFor(g.first, g.startsAt, g.violations, g.examples, g.latest);
    g.lastPublished = now;
    g.dirty = false;
    out.publish(g.published);
  }

  /**
   * The engine's signal that invariant {@code rule} holds again for {@code key} (the document at
   * {@code pos}, event time {@code time}, repaired it): resolves the key's alert now, with the
   * repairing document as evidence. A key folded into its rule's group alert has no alert of its
   * own; the group, which keeps no per-key state, still resolves by its quiet period.
   */
  @Override
  public void invariantHolds(String spec, String rule, String entity, String key, Position pos,
      long time) {
    resolveInvariant(spec, rule, key, pos, time);
  }

  private synchronized void resolveInvariant(String spec, String rule, String key, Position pos,
      long time) {
    RuleAlerts r = rules.get(new RuleId(spec, ViolationKind.INVARIANT, rule));
    if (r == null) {
      return; // resolved already (quiet period), or never fired: nothing to tell anyone
    }
    Firing f = r.byKey.remove(key == null ? "" : key);
    if (f == null) {
      return;
    }
    Alert last = f.dirty ? factory.alertFor(f.latest, f.alert.startsAt(), f.occurrences) : f.alert;
    out.publish(factory.heldAgain(last, pos, time).resolvedAt(clock.instant()));
    if (r.byKey.isEmpty() && r.group == null) {
      rules.remove(new RuleId(spec, ViolationKind.INVARIANT, rule));
    }
  }

  /**
   * Resolves what has been quiet long enough and publishes grown groups. Call it every second
   * or so ({@link #startTicking} does).
   */
  public synchronized void tick() {
    long now = clock.millis();
    Instant nowInstant = Instant.ofEpochMilli(now);
    for (Iterator<Map.Entry<RuleId, RuleAlerts>> it = rules.entrySet().iterator(); it.hasNext(); ) {
      Map.Entry<RuleId, RuleAlerts> e = it.next();
      long quiet = quietPeriod(e.getKey().kind()).toMillis();
      RuleAlerts r = e.getValue();
      for (Iterator<Firing> fi = r.byKey.values().iterator(); fi.hasNext(); ) {
        Firing f = fi.next();
        if (now - f.lastSeen >= quiet) {
          if (f.dirty) {
            publish(f, now); // the latest evidence before it resolves
          }
          fi.remove();
          out.publish(f.alert.resolvedAt(nowInstant));
        } else if (f.dirty && now - f.lastPublished >= settings.updateInterval().toMillis()) {
          publish(f, now);
        }
      }
      Group g = r.group;
      if (g != null) {
        if (now - g.lastSeen >= quiet) {
          if (g.dirty) {
            publishGroup(g, now); // the last count before it resolves
          }
          r.group = null;
          out.publish(g.published.resolvedAt(nowInstant));
        } else if (g.dirty && now - g.lastPublished >= settings.updateInterval().toMillis()) {
          publishGroup(g, now);
        }
      }
      if (r.byKey.isEmpty() && r.group == null) {
        it.remove();
      }
    }
  }

  /** A scheduled task that throws is never run again: so a bug is logged, and ticking goes on. */
  private void tickLogged() {
    try {
      tick();
    } catch (RuntimeException e) {
      LOG.log(Level.SEVERE, "alert tracker tick failed; trying again next tick", e);
    }
  }

  private Duration quietPeriod(ViolationKind kind) {
    return kind == ViolationKind.INVARIANT ? settings.invariantQuietPeriod() : settings.resolveAfter();
  }

  /** Alerts now firing: individual keys plus groups. */
  public synchronized int firingAlerts() {
    int n = 0;
    for (RuleAlerts r : rules.values()) {
      n += r.byKey.size() + (r.group == null ? 0 : 1);
    }
    return n;
  }

  /** Calls {@link #tick()} every {@code period} on a daemon thread until {@link #close()}. */
  public synchronized void startTicking(Duration period) {
    if (timer != null) {
      throw new IllegalStateException("already ticking");
    }
    timer = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, "specwatch-alert-tracker");
      t.setDaemon(true);
      return t;
    });
    long ms = Math.max(1, period.toMillis());
    timer.scheduleAtFixedRate(this::tickLogged, ms, ms, TimeUnit.MILLISECONDS);
  }

  /** Stops the timer; firing alerts stay firing (a restart should not resolve them). */
  @Override
  public synchronized void close() {
    if (timer != null) {
      timer.shutdownNow();
    }
  }
}
