package io.specwatch.load;

import io.specwatch.core.program.Program;
import io.specwatch.spec.CompileResult;
import io.specwatch.spec.SourceFile;
import io.specwatch.spec.SpecCompiler;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.NoSuchElementException;
import java.util.PriorityQueue;
import java.util.SplittableRandom;

/**
 * A deterministic, realistic card-payments audit log (JSONL) for {@code payments-load.sw}.
 *
 * <p>It keeps {@code entities} payments in flight at once. Each payment follows a script
 * (authorize, capture in one or two parts, sometimes refund; a few decline or fail), one step at a
 * time: a step is due a random gap after the previous step of the same payment was written, so a
 * payment's documents appear in the order of its script. When a script is done a new payment takes
 * its place. With {@link Options#longLived}, fault-free payments instead live for the whole log,
 * drawing one capture or small refund after another, so the log holds about {@code entities}
 * payments in all (up to about 4,000 documents a payment, when its captures have used up the
 * authorization and a new payment takes its place). The file is ordered by the time a document
 * is written; {@code ts} is its event time,
 * equal to that time except for <em>late</em> documents, written up to {@code maxLateMillis}
 * after their {@code ts} (below the spec's {@code lateness 2m}, so lateness never fires a deadline
 * by mistake).
 *
 * <p>Faults, at {@code faultRate}: per payment, one of over-capture (invariant
 * {@code capture_within_authorization}), capture without authorization (transition
 * {@code captured}), refund after failure (transition {@code refunded}: event after end) and never
 * settles (deadline {@code settle}); per written document, one of a resend of the same document
 * (a duplicate, dropped by dedupe), a truncated copy written just before it (malformed, no rule)
 * and a copy with a wrong type under a fresh {@code event_id} written just before it (malformed,
 * with the event's rule). The injected faults are counted in {@link Truth}, which therefore
 * predicts the violations {@code specwatch check} must report (see {@link Truth#expected()}).
 *
 * <p>Same options, same bytes: everything is drawn from one {@link SplittableRandom} in a fixed
 * order, and ties in the schedule are broken by insertion order.
 */
public final class PaymentsLogGenerator implements Iterator<byte[]> {
  /** The constants of {@code payments-load.sw} that {@link Truth} needs to predict deadlines. */
  public static final long SPEC_LATENESS_MILLIS = 2 * 60_000L;
  public static final long SPEC_SETTLE_MILLIS = 10 * 60_000L;

  /** 2026-03-02T09:00:00Z. */
  public static final long DEFAULT_START_MILLIS = 1_772_442_000_000L;

  /** The spec the generated logs are checked against ({@code payments-load.sw}), compiled. */
  public static List<Program> compiledSpec() throws IOException {
    try (InputStream in = PaymentsLogGenerator.class.getResourceAsStream("/payments-load.sw")) {
      String text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
      CompileResult r = SpecCompiler.compile(List.of(new SourceFile("payments-load.sw", text)));
      if (!r.ok()) {
        throw new IllegalStateException(r.diagnostics().toString());
      }
      return r.programs();
    }
  }

  /** Generator options; the defaults are those of the command line. */
  public static final class Options {
    public long lines = 1_000_000;
    public int entities = 10_000;
    public long seed = 1;
    /** Probability of a fault per new payment and, independently, per written document. */
    public double faultRate = 0.002;
    /** Share of documents written late. */
    public double lateRate = 0.02;
    /** Bound on how late a late document is (must stay below the spec's lateness, 2m). */
    public long maxLateMillis = 60_000;
    public long startMillis = DEFAULT_START_MILLIS;
    /**
     * Whether per-document faults (resends, truncated copies, wrong types) are drawn. The peer
     * benchmarks turn them off: they compare engines on decoded events, where those faults do
     * not exist.
     */
    public boolean lineFaults = true;
    /**
     * Whether fault-free payments live for the whole log (one authorization, then captures and
     * small partial refunds, about {@code lines / entities} documents each) instead of following
     * a short script and being replaced. With it, {@code entities} is the number of payments in
     * the whole log (plus the few that replace faulty ones, and those that replace payments whose
     * captures used up the authorization, after about 4,000 documents), which is how the
     * performance issue's "10M events over 100k entities" reads literally; without it, it is the
     * number in flight.
     */
    public boolean longLived;

    public Options lines(long n) {
      this.lines = n;
      return this;
    }

    public Options entities(int k) {
      this.entities = k;
      return this;
    }

    public Options seed(long s) {
      this.seed = s;
      return this;
    }

    public Options faultRate(double r) {
      this.faultRate = r;
      return this;
    }

    public Options lateRate(double r) {
      this.lateRate = r;
      return this;
    }

    public Options maxLateMillis(long ms) {
      this.maxLateMillis = ms;
      return this;
    }

    public Options lineFaults(boolean on) {
      this.lineFaults = on;
      return this;
    }

    public Options longLived(boolean on) {
      this.longLived = on;
      return this;
    }

    void validate() {
      if (lines < 0 || entities < 1 || faultRate < 0 || faultRate > 1 || lateRate < 0
          || lateRate > 1 || maxLateMillis < 1000 || maxLateMillis >= SPEC_LATENESS_MILLIS) {
        throw new IllegalArgumentException("invalid generator options: lines " + lines
            + ", entities " + entities + ", fault rate " + faultRate + ", late rate " + lateRate
            + ", max late " + maxLateMillis + " ms (1000 <= max late < "
            + SPEC_LATENESS_MILLIS + ")");
      }
    }
  }

  /** What was written, and the violations {@code payments-load.sw} must raise on it. */
  public static final class Truth {
    public long lines;
    public long payments;
    public long documents;
    public long lateDocuments;
    public long duplicates;
    public long truncated;
    public long wrongType;
    public long overCaptures;
    public long capturesWithoutAuthorization;
    public long refundsAfterFailure;
    public long neverSettled;
    /** Of {@link #neverSettled}: those whose deadline is behind the final watermark, so it fired. */
    public long neverSettledFired;
    public long firstTs = Long.MAX_VALUE;
    public long maxTs = Long.MIN_VALUE;
    /**
     * The ground truth as verdicts: {@code "RULE KEY"} for every payment-level fault (rules
     * {@code capture_within_authorization}, {@code captured}, {@code refunded}, and {@code settle}
     * for the deadlines that fired). Engines that share no code with specwatch are compared on
     * this set.
     */
    public final java.util.Set<String> verdicts = new java.util.HashSet<>();

    /** Expected violations: one per fault, except duplicates (dropped) and unfired deadlines. */
    public long expected() {
      return truncated + wrongType + overCaptures + capturesWithoutAuthorization
          + refundsAfterFailure + neverSettledFired;
    }

    @Override
    public String toString() {
      return String.format(Locale.ROOT,
          "%d lines, %d payments, %d documents (%d late), event time %s .. %s; faults: %d duplicates,"
              + " %d truncated, %d wrong type, %d over-captures, %d captures without authorization,"
              + " %d refunds after failure, %d never settled (%d fired); expected violations: %d"
              + " (malformed %d, invariant %d, transition %d, deadline %d)",
          lines, payments, documents, lateDocuments, Rfc3339Format.format(firstTs),
          Rfc3339Format.format(maxTs), duplicates, truncated, wrongType, overCaptures,
          capturesWithoutAuthorization, refundsAfterFailure, neverSettled, neverSettledFired,
          expected(), truncated + wrongType, overCaptures,
          capturesWithoutAuthorization + refundsAfterFailure, neverSettledFired);
    }
  }

  // Document types.
  private static final byte AUTHORIZED = 0;
  private static final byte CAPTURED = 1;
  private static final byte REFUNDED = 2;
  private static final byte FAILED = 3;
  private static final String[] TYPE_TEXT = {
      "payment.authorized", "payment.captured", "payment.refunded", "payment.failed"};

  // Payment-level faults.
  private static final int NONE = 0;
  private static final int OVER_CAPTURE = 1;
  private static final int CAPTURE_WITHOUT_AUTH = 2;
  private static final int REFUND_AFTER_FAILURE = 3;
  private static final int NEVER_SETTLES = 4;

  private static final String[] CURRENCIES = {"EUR", "EUR", "EUR", "USD", "USD", "GBP", "SEK", "PLN"};
  private static final String[] REGIONS = {"eu-west-1", "eu-west-1", "eu-central-1", "us-east-1",
      "ap-south-1"};
  private static final String[] BRANDS = {"visa", "visa", "mastercard", "mastercard", "amex"};
  private static final String[] CHANNELS = {"ecom", "ecom", "ecom", "moto", "recurring"};

  /** One payment in flight and the rest of its script. */
  private static final class Payment {
    final long number;
    final byte[] id;
    final int fault;
    final String currency;
    final int merchant;
    final int region;
    byte[] types = new byte[4];
    long[] amounts = new long[4];
    long[] gaps = new long[4];
    int steps;
    int next;
    /** A long-lived payment draws its next step when the last one is written (no script). */
    boolean longLived;
    long authorized;
    long captured;
    long refunded;

    Payment(long number, int fault, String currency, int merchant, int region) {
      this.number = number;
      this.id = ("pay_" + pad(number, 10)).getBytes(StandardCharsets.US_ASCII);
      this.fault = fault;
      this.currency = currency;
      this.merchant = merchant;
      this.region = region;
    }

    void add(byte type, long amount, long gapMillis) {
      if (steps == types.length) {
        types = java.util.Arrays.copyOf(types, steps * 2);
        amounts = java.util.Arrays.copyOf(amounts, steps * 2);
        gaps = java.util.Arrays.copyOf(gaps, steps * 2);
      }
      types[steps] = type;
      amounts[steps] = amount;
      gaps[steps] = gapMillis;
      steps++;
    }
  }

  /** A scheduled item: a payment's step falls due, a late document is written, or a resend. */
  private static final class Entry {
    static final int STEP = 0;
    static final int DELAYED = 1;
    static final int RESEND = 2;

    final long at;
    final long seq;
    final int kind;
    final Payment payment;
    final byte[] doc;
    final long ts;
    final byte type;

    Entry(long at, long seq, int kind, Payment payment, byte[] doc, long ts, byte type) {
      this.at = at;
      this.seq = seq;
      this.kind = kind;
      this.payment = payment;
      this.doc = doc;
      this.ts = ts;
      this.type = type;
    }
  }

  /** A line ready to be handed out, and what it is. */
  private record Out(byte[] bytes, int what, Payment payment, long ts, byte type, boolean late) {
    static final int DOCUMENT = 0;
    static final int DUPLICATE = 1;
    static final int TRUNCATED = 2;
    static final int WRONG_TYPE = 3;
  }

  private final Options options;
  private final SplittableRandom random;
  private final PriorityQueue<Entry> schedule = new PriorityQueue<>((a, b) ->
      a.at != b.at ? Long.compare(a.at, b.at) : Long.compare(a.seq, b.seq));
  private final ArrayDeque<Out> ready = new ArrayDeque<>();
  private final Truth truth = new Truth();
  private final StringBuilder sb = new StringBuilder(256);
  private final Rfc3339Format tsFormat = new Rfc3339Format();
  private long[] neverSettledAuthTs = new long[16];
  private String[] neverSettledKeys = new String[16];
  private long seq;
  private long paymentCounter;
  private long eventCounter;
  private long clock;
  private boolean finished;

  public PaymentsLogGenerator(Options options) {
    options.validate();
    this.options = options;
    this.random = new SplittableRandom(options.seed);
    this.clock = options.startMillis;
    // Start the first payments spread over five minutes, so the log begins in a steady state.
    for (int i = 0; i < options.entities; i++) {
      startPayment(options.startMillis + random.nextLong(300_000));
    }
  }

  /** Writes {@code options.lines} lines to {@code out} and returns what was written. */
  public static Truth write(Options options, OutputStream out) throws IOException {
    PaymentsLogGenerator g = new PaymentsLogGenerator(options);
    while (g.hasNext()) {
      out.write(g.next());
      out.write('\n');
    }
    out.flush();
    return g.truth();
  }

  /** Writes the log to {@code file} (replacing it) and returns what was written. */
  public static Truth write(Options options, Path file) throws IOException {
    try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(file), 1 << 16)) {
      return write(options, out);
    }
  }

  @Override
  public boolean hasNext() {
    return truth.lines < options.lines;
  }

  /** The next line, without its line feed. */
  @Override
  public byte[] next() {
    if (!hasNext()) {
      throw new NoSuchElementException();
    }
    while (ready.isEmpty()) {
      step();
    }
    Out o = ready.poll();
    count(o);
    byte[] line = o.bytes;
    truth.lines++;
    if (!hasNext()) {
      finish();
    }
    return line;
  }

  /** The counts so far; complete once {@link #hasNext()} is false. */
  public Truth truth() {
    if (!hasNext()) {
      finish();
    }
    return truth;
  }

  private void finish() {
    if (finished) {
      return;
    }
    finished = true;
    long watermark = truth.maxTs - SPEC_LATENESS_MILLIS;
    long fired = 0;
    for (int i = 0; i < truth.neverSettled; i++) {
      if (neverSettledAuthTs[i] + SPEC_SETTLE_MILLIS < watermark) {
        fired++;
        truth.verdicts.add("settle " + neverSettledKeys[i]);
      }
    }
    truth.neverSettledFired = fired;
  }

  // ---------------------------------------------------------------- scheduling

  private void step() {
    Entry e = schedule.poll();
    clock = e.at;
    switch (e.kind) {
      case Entry.STEP -> {
        Payment p = e.payment;
        byte type = p.types[p.next];
        long ts = clock;
        byte[] doc = document(p, type, p.amounts[p.next], ts, newEventId());
        if (random.nextDouble() < options.lateRate) {
          long delay = 1000 + random.nextLong(options.maxLateMillis - 999);
          schedule.add(new Entry(clock + delay, seq++, Entry.DELAYED, p, doc, ts, type));
        } else {
          written(p, doc, ts, type, false);
        }
      }
      case Entry.DELAYED -> written(e.payment, e.doc, e.ts, e.type, true);
      case Entry.RESEND -> ready.add(new Out(e.doc, Out.DUPLICATE, null, e.ts, e.type, false));
      default -> throw new IllegalStateException();
    }
  }

  /** A payment's document is written now (its {@code ts} may be earlier, if it is late). */
  private void written(Payment p, byte[] doc, long ts, byte type, boolean late) {
    if (options.lineFaults && random.nextDouble() < options.faultRate) {
      switch (random.nextInt(3)) {
        case 0 -> schedule.add(new Entry(clock + 1000 + random.nextLong(300_000), seq++,
            Entry.RESEND, null, doc, ts, type));
        case 1 -> ready.add(new Out(java.util.Arrays.copyOf(doc, 10 + random.nextInt(doc.length - 12)),
            Out.TRUNCATED, null, ts, type, false));
        default -> ready.add(new Out(wrongType(p, type, ts), Out.WRONG_TYPE, null, ts, type, false));
      }
    }
    ready.add(new Out(doc, Out.DOCUMENT, p, ts, type, late));
    p.next++;
    if (p.longLived) {
      nextLongLivedStep(p, type);
    }
    if (p.next < p.steps) {
      schedule.add(new Entry(clock + p.gaps[p.next], seq++, Entry.STEP, p, null, 0, (byte) 0));
    } else {
      startPayment(clock + random.nextLong(2000));
    }
  }

  /** Counts a line as it is handed out, so that {@link Truth} matches the lines written. */
  private void count(Out o) {
    switch (o.what) {
      case Out.DUPLICATE -> truth.duplicates++;
      case Out.TRUNCATED -> truth.truncated++;
      case Out.WRONG_TYPE -> truth.wrongType++;
      default -> {
        Payment p = o.payment;
        truth.documents++;
        if (o.late) {
          truth.lateDocuments++;
        }
        truth.maxTs = Math.max(truth.maxTs, o.ts);
        truth.firstTs = Math.min(truth.firstTs, o.ts);
        if (p.fault == OVER_CAPTURE && o.type == CAPTURED) {
          truth.overCaptures++;
          truth.verdicts.add("capture_within_authorization " + keyOf(p));
        } else if (p.fault == CAPTURE_WITHOUT_AUTH) {
          truth.capturesWithoutAuthorization++;
          truth.verdicts.add("captured " + keyOf(p));
        } else if (p.fault == REFUND_AFTER_FAILURE && o.type == REFUNDED) {
          truth.refundsAfterFailure++;
          truth.verdicts.add("refunded " + keyOf(p));
        } else if (p.fault == NEVER_SETTLES && o.type == AUTHORIZED) {
          if (truth.neverSettled == neverSettledAuthTs.length) {
            neverSettledAuthTs = java.util.Arrays.copyOf(neverSettledAuthTs, neverSettledAuthTs.length * 2);
            neverSettledKeys = java.util.Arrays.copyOf(neverSettledKeys, neverSettledKeys.length * 2);
          }
          neverSettledKeys[(int) truth.neverSettled] = keyOf(p);
          neverSettledAuthTs[(int) truth.neverSettled++] = o.ts;
        }
      }
    }
  }

  private static String keyOf(Payment p) {
    return new String(p.id, StandardCharsets.US_ASCII);
  }

  /** Draws a new payment's script and schedules its first step at {@code at}. */
  private void startPayment(long at) {
    truth.payments++;
    int fault = NONE;
    if (random.nextDouble() < options.faultRate) {
      fault = 1 + random.nextInt(4);
    }
    Payment p = new Payment(paymentCounter++, fault,
        CURRENCIES[random.nextInt(CURRENCIES.length)], random.nextInt(5000),
        random.nextInt(REGIONS.length));
    long amount = amount();
    switch (fault) {
      case OVER_CAPTURE -> {
        p.add(AUTHORIZED, amount, 0);
        p.add(CAPTURED, amount + 1 + random.nextLong(amount / 2 + 1), captureGap());
      }
      case CAPTURE_WITHOUT_AUTH -> {
        p.add(CAPTURED, amount, 0);
      }
      case REFUND_AFTER_FAILURE -> {
        p.add(AUTHORIZED, amount, 0);
        p.add(FAILED, 0, captureGap());
        p.add(REFUNDED, amount, 30_000 + random.nextLong(600_000));
      }
      case NEVER_SETTLES -> p.add(AUTHORIZED, amount, 0);
      default -> {
        if (options.longLived) {
          p.longLived = true;
          // Large, so that captures of at most 1/2000 of it last about 4,000 documents.
          p.authorized = amount * 1000;
          p.add(AUTHORIZED, p.authorized, 0);
        } else {
          normalScript(p, amount);
        }
      }
    }
    schedule.add(new Entry(at, seq++, Entry.STEP, p, null, 0, (byte) 0));
  }

  private void normalScript(Payment p, long amount) {
    double r = random.nextDouble();
    if (r < 0.02) { // declined: fails before any authorization
      p.add(FAILED, 0, 0);
      return;
    }
    p.add(AUTHORIZED, amount, 0);
    if (r < 0.04) { // authorized, then failed (voided, fraud check, ...)
      p.add(FAILED, 0, captureGap());
      return;
    }
    long captured;
    double c = random.nextDouble();
    if (c < 0.15) { // two partial captures
      long first = Math.max(1, amount * (30 + random.nextInt(50)) / 100);
      long second = Math.max(1, random.nextLong(amount - first + 1));
      p.add(CAPTURED, first, captureGap());
      p.add(CAPTURED, second, 1000 + random.nextLong(60_000));
      captured = first + second;
    } else if (c < 0.25) { // one partial capture
      captured = Math.max(1, amount * (50 + random.nextInt(50)) / 100);
      p.add(CAPTURED, captured, captureGap());
    } else {
      captured = amount;
      p.add(CAPTURED, captured, captureGap());
    }
    double f = random.nextDouble();
    if (f < 0.05) { // full refund
      p.add(REFUNDED, captured, refundGap());
    } else if (f < 0.07 && captured >= 2) { // two partial refunds adding up to the capture
      long first = 1 + random.nextLong(captured - 1);
      p.add(REFUNDED, first, refundGap());
      p.add(REFUNDED, captured - first, refundGap());
    } else if (f < 0.09) { // one partial refund; the payment stays captured
      p.add(REFUNDED, Math.max(1, captured / 2), refundGap());
    }
  }

  /**
   * Replaces a long-lived payment's script with its next step, drawn now that the step of type
   * {@code written} is written: a capture (the first within {@code settle}), or, once something is
   * captured, sometimes a refund small enough that the payment never ends. A capture takes at most
   * 1/2000 of the authorization and never more than what remains, so the captures use it up only
   * after about 4,000 documents, far more than a log's share of a payment ({@code lines /
   * entities}, about 100 in the benchmark).
   */
  private void nextLongLivedStep(Payment p, byte written) {
    if (written == CAPTURED) {
      p.captured += p.amounts[p.next - 1];
    } else if (written == REFUNDED) {
      p.refunded += p.amounts[p.next - 1];
    }
    p.steps = 0;
    p.next = 0;
    long headroom = p.captured - p.refunded - 1;
    if (written != AUTHORIZED && headroom >= 1 && random.nextInt(10) == 0) {
      p.add(REFUNDED, 1 + random.nextLong(Math.min(headroom, 500)), longLivedGap());
    } else {
      long gap = written == AUTHORIZED ? captureGap() : longLivedGap();
      long remaining = p.authorized - p.captured;
      if (remaining < 1) {
        return; // authorization used up: a new payment takes its place
      }
      p.add(CAPTURED, 1 + random.nextLong(Math.min(remaining, Math.max(1, p.authorized / 2000))),
          gap);
    }
  }

  /** Between two steps of a long-lived payment after its first capture: 1 to 200 s. */
  private long longLivedGap() {
    return 1000 + random.nextLong(199_000);
  }

  /** Authorization to capture: at most 5 minutes (plus lateness), well inside `settle 10m`. */
  private long captureGap() {
    return 500 + random.nextLong(300_000);
  }

  private long refundGap() {
    return 30_000 + random.nextLong(20 * 60_000);
  }

  private long amount() {
    // Roughly log-uniform from 1.00 to 2,000.00, mostly whole or .99 prices.
    double x = Math.exp(Math.log(100) + random.nextDouble() * (Math.log(200_000) - Math.log(100)));
    long cents = (long) x;
    return random.nextInt(3) == 0 ? cents : Math.max(100, cents / 100 * 100 - 1);
  }

  private byte[] newEventId() {
    // A bijective mix of a counter: unique, and looks random.
    long z = (eventCounter++ + 0x9E3779B97F4A7C15L) * 0xBF58476D1CE4E5B9L;
    z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
    z ^= z >>> 31;
    String hex = Long.toHexString(z);
    return ("ev_" + "0".repeat(16 - hex.length()) + hex).getBytes(StandardCharsets.US_ASCII);
  }

  // ---------------------------------------------------------------- documents

  private byte[] document(Payment p, byte type, long amount, long ts, byte[] eventId) {
    StringBuilder b = sb;
    b.setLength(0);
    b.append("{\"event_id\":\"").append(new String(eventId, StandardCharsets.US_ASCII))
        .append("\",\"ts\":\"");
    if (p.region == 4) {
      tsFormat.appendOffset(b, ts, 330); // the Mumbai region writes local time, +05:30
    } else {
      tsFormat.append(b, ts);
    }
    b.append("\",\"type\":\"").append(TYPE_TEXT[type]).append("\",\"payment_id\":\"")
        .append(new String(p.id, StandardCharsets.US_ASCII)).append('"');
    if (type != FAILED) {
      b.append(",\"amount_cents\":").append(amount);
    }
    if (type == AUTHORIZED) {
      b.append(",\"currency\":\"").append(p.currency).append("\",\"card\":\"")
          .append(BRANDS[(int) (p.number % BRANDS.length)]).append('"');
    } else if (type == FAILED) {
      b.append(",\"reason\":\"").append(p.number % 3 == 0 ? "do_not_honor" : "insufficient_funds")
          .append('"');
    } else if (type == CAPTURED) {
      b.append(",\"channel\":\"").append(CHANNELS[(int) (p.number % CHANNELS.length)]).append('"');
    }
    if (type == AUTHORIZED || type == REFUNDED) {
      b.append(",\"merchant\":\"m_").append(pad(p.merchant, 4)).append('"');
    }
    b.append(",\"region\":\"").append(REGIONS[p.region]).append("\"}");
    return b.toString().getBytes(StandardCharsets.US_ASCII);
  }

  /** A copy with a wrong type (and a fresh event id): malformed for its event, rule set. */
  private byte[] wrongType(Payment p, byte type, long ts) {
    byte[] doc = document(p, type, type == FAILED ? 0 : p.amounts[p.next], ts, newEventId());
    String s = new String(doc, StandardCharsets.US_ASCII);
    String amount = "\"amount_cents\":" + p.amounts[p.next];
    if (type != FAILED && random.nextBoolean()) {
      // The amount as a decimal string, or as a number with a fraction: not an int.
      s = s.replace(amount, random.nextBoolean()
          ? "\"amount_cents\":\"" + p.amounts[p.next] + "\""
          : "\"amount_cents\":" + p.amounts[p.next] + ".0");
    } else if (random.nextBoolean()) {
      // The payment id as a JSON object: the key is not a string or an integer.
      s = s.replace("\"payment_id\":\"" + new String(p.id, StandardCharsets.US_ASCII) + "\"",
          "\"payment_id\":{\"id\":\"" + new String(p.id, StandardCharsets.US_ASCII) + "\"}");
    } else {
      // An impossible calendar date: not a valid time.
      int t = s.indexOf("\"ts\":\"") + 6;
      s = s.substring(0, t) + "2026-02-30" + s.substring(t + 10);
    }
    return s.getBytes(StandardCharsets.US_ASCII);
  }

  public static String pad(long n, int width) {
    String s = Long.toString(n);
    return s.length() >= width ? s : "0".repeat(width - s.length()) + s;
  }

  // ---------------------------------------------------------------- command line

  /** {@code --lines N --entities K --seed S --out FILE [--fault-rate R] [--late-rate R] [--max-late-ms MS]}. */
  public static void main(String[] args) throws IOException {
    System.exit(run(args, System.out, System.err));
  }

  static int run(String[] args, PrintStream out, PrintStream err) throws IOException {
    Options o = new Options();
    Path file = null;
    try {
      for (int i = 0; i < args.length; i++) {
        String a = args[i];
        switch (a) {
          case "--lines" -> o.lines = parseCount(args[++i]);
          case "--entities" -> o.entities = (int) parseCount(args[++i]);
          case "--seed" -> o.seed = Long.parseLong(args[++i]);
          case "--fault-rate" -> o.faultRate = Double.parseDouble(args[++i]);
          case "--late-rate" -> o.lateRate = Double.parseDouble(args[++i]);
          case "--max-late-ms" -> o.maxLateMillis = Long.parseLong(args[++i]);
          case "--no-line-faults" -> o.lineFaults = false;
          case "--long-lived" -> o.longLived = true;
          case "--out" -> file = Path.of(args[++i]);
          case "-h", "--help" -> {
            out.println(USAGE);
            return 0;
          }
          default -> throw new IllegalArgumentException("unknown option " + a);
        }
      }
      if (file == null) {
        throw new IllegalArgumentException("--out FILE is required");
      }
      o.validate();
    } catch (RuntimeException e) {
      err.println("PaymentsLogGenerator: " + e.getMessage());
      err.println(USAGE);
      return 2;
    }
    long started = System.nanoTime();
    Truth t = write(o, file);
    err.printf(Locale.ROOT, "wrote %s in %.1f s: %s%n", file, (System.nanoTime() - started) / 1e9, t);
    return 0;
  }

  /** Accepts {@code 10000000}, {@code 10_000_000}, {@code 10k}, {@code 10m}. */
  public static long parseCount(String s) {
    String t = s.replace("_", "").toLowerCase(Locale.ROOT);
    long mult = 1;
    if (t.endsWith("k")) {
      mult = 1_000;
      t = t.substring(0, t.length() - 1);
    } else if (t.endsWith("m")) {
      mult = 1_000_000;
      t = t.substring(0, t.length() - 1);
    }
    return Math.multiplyExact(Long.parseLong(t), mult);
  }

  static final String USAGE = "usage: PaymentsLogGenerator --lines N --entities K --seed S --out FILE"
      + " [--fault-rate R (0.002)] [--late-rate R (0.02)] [--max-late-ms MS (60000)] [--no-line-faults]"
      + " [--long-lived]";
}
