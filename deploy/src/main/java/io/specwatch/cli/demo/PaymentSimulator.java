package io.specwatch.cli.demo;

import io.specwatch.cli.demo.SimulatedPayment.Plan;
import io.specwatch.cli.demo.SimulatedPayment.Step;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.PriorityQueue;
import java.util.SplittableRandom;

/**
 * A simulated card-payment system that produces an endless, realistic stream of JSONL audit
 * documents, with faults injected, deterministically from a seed.
 *
 * <p><b>Time.</b> Event time is simulated: a discrete-event schedule of every payment's next
 * step, starting at {@link #START}. Each line moves the clock to its own due time, so event time
 * advances with the events (about a second per document), never with the wall clock: the same
 * seed gives the same documents at any rate, and a recording replays exactly.
 *
 * <p><b>Payments.</b> New payments arrive every {@value #MEAN_ARRIVAL_MS} ms of event time on
 * average, as long as fewer than {@code entities} are in flight (the bound on concurrently live
 * entities). Each is authorized, then captured (one to three partial captures, the first within
 * five minutes) and much later refunded in full (one or two refunds), which ends it; or it fails
 * within three minutes of authorization. Refunds come after an exponential delay whose mean makes
 * about 80% of {@code entities} live at once.
 *
 * <p><b>Faults.</b> Before each line, with probability {@code faultRate}, the next fault of a
 * shuffled rotation over every {@link Fault} kind is decided on, so each kind occurs at the same
 * rate, and no other is drawn until it is placed. A duplicate, a capture without authorization
 * and a refund after failure are lines of their own. A late or malformed one alters the next
 * well-behaved document: back-dated behind the newest document by up to 25 seconds (never before
 * its payment's previous one), or torn and then sent whole. An over-capture or a never-settled
 * payment is planned into the next new payment. A fault that cannot happen yet (a refund after
 * failure before any payment failed) waits. None of the well-behaved traffic violates the demo
 * spec: every violation comes from a fault, which the tests hold it to.
 */
public final class PaymentSimulator {
  /** Where simulated event time starts. */
  public static final long START = Instant.parse("2026-03-02T09:00:00Z").toEpochMilli();
  public static final int DEFAULT_ENTITIES = 10_000;
  public static final double DEFAULT_FAULT_RATE = 1.0 / 500;
  static final long MEAN_ARRIVAL_MS = 3_000;
  /** Recent documents, the ones a duplicate resends (well within the spec's 1h dedupe window). */
  private static final int RECENT = 256;
  /** Recently failed payments, the ones a refund-after-failure picks from. */
  private static final int FAILED = 1024;
  /** How far behind the newest document a late one is at most (the spec tolerates 30s). */
  static final long MAX_LATE_MS = 25_000;

  private final SplittableRandom rng;
  private final int entities;
  private final double faultRate;
  private final long idSalt;
  private final long refundDelayMean;
  private final PriorityQueue<SimulatedPayment> schedule = new PriorityQueue<>(SimulatedPayment.DUE_FIRST);
  private final DocumentBuffer doc = new DocumentBuffer();
  /** Lines already decided on, emitted before anything new (the complete copy after a torn one). */
  private final ArrayDeque<Decided> outbox = new ArrayDeque<>();
  private final SimulatedLine line = new SimulatedLine();
  private final long[] injected = new long[Fault.values().length];

  private final byte[][] recent = new byte[RECENT][];
  private final int[] recentLength = new int[RECENT];
  private final String[] recentPayment = new String[RECENT];
  private final long[] recentTime = new long[RECENT];
  private long recentCount;
  private final SimulatedPayment[] failed = new SimulatedPayment[FAILED];
  private long failedCount;

  private final Fault[] rotation = Fault.values().clone();
  private int rotationIndex = rotation.length;
  /** The fault decided on and not yet placed; no other is drawn meanwhile. */
  private Fault pendingFault;

  private long clock = START;
  /** The newest event time delivered so far. */
  private long latest = Long.MIN_VALUE;
  private long nextArrival = START;
  private long scheduled;
  private long paymentsCreated;
  private long eventIds;
  private long lines;
  private int live;

  /**
   * @param entities the most payments in flight at once (at least 1)
   * @param faultRate the probability that a line starts a fault, in [0, 1]
   */
  public PaymentSimulator(long seed, int entities, double faultRate) {
    if (entities < 1) {
      throw new IllegalArgumentException("entities must be at least 1, was " + entities);
    }
    if (!(faultRate >= 0 && faultRate <= 1)) {
      throw new IllegalArgumentException("fault rate must be between 0 and 1, was " + faultRate);
    }
    this.rng = new SplittableRandom(seed);
    this.entities = entities;
    this.faultRate = faultRate;
    this.idSalt = mix(seed);
    this.refundDelayMean = Math.max(60_000, entities * MEAN_ARRIVAL_MS * 9 / 10);
  }

  public PaymentSimulator(long seed) {
    this(seed, DEFAULT_ENTITIES, DEFAULT_FAULT_RATE);
  }

  /** Generates the next line; the returned view is valid until the next call. */
  public SimulatedLine next() {
    lines++;
    Decided decided = outbox.poll();
    if (decided != null) {
      return emit(decided.doc(), decided.doc().length, null, decided.payment(), decided.step(),
          decided.time(), true);
    }
    if (pendingFault == null && faultRate > 0 && rng.nextDouble() < faultRate) {
      pendingFault = drawFault();
    }
    if (pendingFault != null) {
      SimulatedLine injectedLine = injectLine(pendingFault);
      if (injectedLine != null) {
        pendingFault = null;
        return injectedLine;
      }
    }
    return step();
  }

  /** A line decided on before it is due: the complete document after a torn copy. */
  private record Decided(byte[] doc, SimulatedPayment payment, Step step, long time) {}

  /** The latest event time of the simulation (late documents carry earlier times). */
  public long clock() {
    return clock;
  }

  /** Payments in flight in the simulator: arrived and not yet refunded in full or failed. */
  public int livePayments() {
    return live;
  }

  public long lines() {
    return lines;
  }

  /** How many lines carrying {@code fault} were generated so far. */
  public long injected(Fault fault) {
    return injected[fault.ordinal()];
  }

  private Fault drawFault() {
    if (rotationIndex == rotation.length) {
      // A fresh shuffle per round: every kind equally often, in an unpredictable order.
      for (int i = rotation.length - 1; i > 0; i--) {
        int j = rng.nextInt(i + 1);
        Fault t = rotation[i];
        rotation[i] = rotation[j];
        rotation[j] = t;
      }
      rotationIndex = 0;
    }
    return rotation[rotationIndex++];
  }

  /** The faults that are a line of their own, made now; null when {@code f} is not one (or must wait). */
  private SimulatedLine injectLine(Fault f) {
    switch (f) {
      case DUPLICATE -> {
        if (recentCount == 0) {
          return null;
        }
        int i = rng.nextInt((int) Math.min(recentCount, RECENT));
        return emit(recent[i], recentLength[i], Fault.DUPLICATE, null, null, recentTime[i], false,
            recentPayment[i]);
      }
      case CAPTURE_WITHOUT_AUTHORIZATION -> {
        SimulatedPayment p = newPayment(Plan.SETTLE);
        p.amount = p.authorized;
        render(p, Step.CAPTURE, clock);
        return emit(doc.bytes(), doc.length(), f, p, Step.CAPTURE, clock, true);
      }
      case REFUND_AFTER_FAILURE -> {
        if (failedCount == 0) {
          return null;
        }
        SimulatedPayment p = failed[rng.nextInt((int) Math.min(failedCount, FAILED))];
        p.amount = p.authorized;
        render(p, Step.REFUND, clock);
        return emit(doc.bytes(), doc.length(), f, p, Step.REFUND, clock, true);
      }
      default -> {
        return null; // placed on a payment's document by step()
      }
    }
  }

  /** The next step of the schedule: a new payment or a payment's next document. */
  private SimulatedLine step() {
    SimulatedPayment p;
    SimulatedPayment head = schedule.peek();
    if (live < entities && (head == null || nextArrival <= head.time)) {
      long t = Math.max(nextArrival, clock);
      nextArrival = t + exponential(MEAN_ARRIVAL_MS);
      Plan plan = Plan.SETTLE;
      if (pendingFault == Fault.NEVER_SETTLED || pendingFault == Fault.OVER_CAPTURE) {
        plan = pendingFault == Fault.NEVER_SETTLED ? Plan.NEVER_SETTLED : Plan.OVER_CAPTURE;
        pendingFault = null;
      } else if (rng.nextInt(100) < 8) {
        plan = Plan.FAIL;
      }
      p = newPayment(plan);
      p.time = t;
      live++;
    } else {
      p = schedule.poll();
    }
    long t = p.time;
    clock = Math.max(clock, t);
    Step step = p.next;
    Fault own = prepare(p, step);

    // A late document is back-dated behind the newest one delivered, by less than the spec's
    // 30s lateness, and never before its own payment's previous document.
    long ts = t;
    if (own == null && pendingFault == Fault.LATE && latest > p.lastTime + 1) {
      pendingFault = null;
      own = Fault.LATE;
      ts = Math.max(p.lastTime + 1, latest - 1 - rng.nextLong(MAX_LATE_MS));
    }
    render(p, step, ts);
    p.lastTime = ts;
    boolean ended = advance(p, step, t);
    if (ended) {
      live--;
    } else {
      p.seq = scheduled++;
      schedule.add(p);
    }
    if (own == null && pendingFault == Fault.MALFORMED) {
      pendingFault = null;
      outbox.add(new Decided(doc.copy(), p, step, ts));
      int cut = 1 + rng.nextInt(doc.length() - 1);
      return emit(doc.bytes(), cut, Fault.MALFORMED, p, step, ts, false);
    }
    return emit(doc.bytes(), doc.length(), own, p, step, ts, true);
  }

  private SimulatedPayment newPayment(Plan plan) {
    long n = ++paymentsCreated;
    // Six digits while they suffice: p-004211.
    String id = "p-" + (n < 1_000_000 ? String.valueOf(1_000_000 + n).substring(1) : String.valueOf(n));
    Merchants.Merchant m = Merchants.ALL.get(rng.nextInt(Merchants.ALL.size()));
    int card = rng.nextInt(Merchants.CARD_BRANDS.length);
    int last4 = rng.nextInt(10_000);
    // Amounts spread over three orders of magnitude, 1.00 to about 1,100.00.
    long authorized = 100 + (long) (StrictMath.exp(rng.nextDouble() * 7.0) * 100) / 5 * 5;
    int r = rng.nextInt(100);
    int captures = r < 75 ? 1 : r < 95 ? 2 : 3;
    long toCapture = rng.nextInt(100) < 85 ? authorized
        : Math.max(captures, authorized * (50 + rng.nextInt(50)) / 100);
    if (plan == Plan.OVER_CAPTURE) {
      captures = 1;
      toCapture = authorized + 1 + rng.nextLong(Math.max(1, authorized / 2));
    }
    return new SimulatedPayment(id, m, card, last4, plan, authorized, toCapture, captures);
  }

  /** Sets the amount of the payment's next document; returns the fault that document carries. */
  private Fault prepare(SimulatedPayment p, Step step) {
    switch (step) {
      case AUTHORIZE -> {
        p.amount = p.authorized;
        return p.plan == Plan.NEVER_SETTLED ? Fault.NEVER_SETTLED : null;
      }
      case CAPTURE -> {
        long rest = p.toCapture - p.captured;
        p.amount = p.capturesLeft == 1 ? rest : rest / p.capturesLeft;
        return p.plan == Plan.OVER_CAPTURE ? Fault.OVER_CAPTURE : null;
      }
      case REFUND -> {
        long rest = p.captured - p.refunded;
        p.amount = p.refundsLeft == 1 ? rest : rest / p.refundsLeft;
        return null;
      }
      default -> {
        p.amount = 0;
        return null;
      }
    }
  }

  /** Applies the step to the payment and schedules its next one; true when the payment is done. */
  private boolean advance(SimulatedPayment p, Step step, long t) {
    switch (step) {
      case AUTHORIZE -> {
        switch (p.plan) {
          case FAIL -> schedule(p, Step.FAIL, t + uniform(1_000, 180_000));
          case NEVER_SETTLED -> schedule(p, Step.FAIL, t + uniform(20 * 60_000, 60 * 60_000));
          default -> schedule(p, Step.CAPTURE, t + uniform(2_000, 300_000));
        }
        return false;
      }
      case CAPTURE -> {
        p.captured += p.amount;
        if (--p.capturesLeft > 0) {
          schedule(p, Step.CAPTURE, t + uniform(5_000, 120_000));
        } else {
          p.refundsLeft = rng.nextInt(100) < 85 ? 1 : 2;
          long delay = Math.min(exponential(refundDelayMean), 4 * refundDelayMean);
          schedule(p, Step.REFUND, t + 1_000 + delay);
        }
        return false;
      }
      case REFUND -> {
        p.refunded += p.amount;
        if (--p.refundsLeft > 0) {
          schedule(p, Step.REFUND, t + uniform(60_000, 3_600_000));
          return false;
        }
        return true;
      }
      default -> {
        return true;
      }
    }
  }

  private static void schedule(SimulatedPayment p, Step next, long at) {
    p.next = next;
    p.time = at;
  }

  /** Writes the document of {@code step} for {@code p} at event time {@code t}. */
  private void render(SimulatedPayment p, Step step, long t) {
    doc.reset();
    doc.ascii("{\"event_id\":\"evt_").hex16(mix(idSalt + eventIds++))
        .ascii("\",\"type\":\"").ascii(step.type)
        .ascii("\",\"ts\":\"").time(t)
        .ascii("\",\"payment_id\":\"").ascii(p.id).ascii("\",")
        .raw(p.merchant.members());
    if (step != Step.FAIL) {
      doc.ascii(",\"amount_cents\":").number(p.amount);
    }
    doc.ascii(",\"card\":{\"brand\":\"").ascii(Merchants.CARD_BRANDS[p.card])
        .ascii("\",\"last4\":\"").padded(p.last4, 4).ascii("\"}");
    switch (step) {
      case CAPTURE -> doc.ascii(",\"final_capture\":").ascii(p.capturesLeft == 1 ? "true" : "false");
      case REFUND -> doc.ascii(",\"reason\":\"")
          .ascii(Merchants.REFUND_REASONS[(int) (p.authorized % Merchants.REFUND_REASONS.length)])
          .ascii("\"");
      case FAIL -> doc.ascii(",\"failure_code\":\"").ascii(p.plan == Plan.NEVER_SETTLED
          ? "authorization_voided"
          : Merchants.FAILURE_CODES[(int) (p.authorized % (Merchants.FAILURE_CODES.length - 1))])
          .ascii("\"");
      default -> { }
    }
    doc.ascii("}");
  }

  private SimulatedLine emit(byte[] bytes, int length, Fault fault, SimulatedPayment p, Step step,
      long time, boolean wholeDocument) {
    return emit(bytes, length, fault, p, step, time, wholeDocument, p.id);
  }

  /**
   * Hands out a line. A whole document is remembered for duplicates to resend; a failure, once
   * delivered, makes its payment available for a refund-after-failure.
   */
  private SimulatedLine emit(byte[] bytes, int length, Fault fault, SimulatedPayment p, Step step,
      long time, boolean remember, String paymentId) {
    if (fault != null) {
      injected[fault.ordinal()]++;
    }
    latest = Math.max(latest, time);
    line.bytes = bytes;
    line.length = length;
    line.fault = fault;
    line.paymentId = paymentId;
    line.time = time;
    line.number = lines;
    if (remember) {
      int i = (int) (recentCount++ % RECENT);
      if (recent[i] == null || recent[i].length < length) {
        recent[i] = new byte[Math.max(512, length)];
      }
      System.arraycopy(bytes, 0, recent[i], 0, length);
      recentLength[i] = length;
      recentPayment[i] = paymentId;
      recentTime[i] = time;
      if (step == Step.FAIL) {
        failed[(int) (failedCount++ % FAILED)] = p;
      }
    }
    return line;
  }

  private long uniform(long from, long to) {
    return from + rng.nextLong(to - from);
  }

  private long exponential(long mean) {
    return (long) (-mean * StrictMath.log(1 - rng.nextDouble()));
  }

  /** A bijective 64-bit mix (SplitMix64's finalizer): distinct inputs give distinct event ids. */
  private static long mix(long z) {
    z = (z ^ (z >>> 30)) * 0xbf58476d1ce4e5b9L;
    z = (z ^ (z >>> 27)) * 0x94d049bb133111ebL;
    return z ^ (z >>> 31);
  }
}
