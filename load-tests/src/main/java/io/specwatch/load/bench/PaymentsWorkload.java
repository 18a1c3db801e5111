package io.specwatch.load.bench;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import io.specwatch.core.json.Rfc3339;
import io.specwatch.load.PaymentsLogGenerator;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * The benchmark workload of the performance issue: a payments log of {@code events} documents
 * over {@code entities} payments in flight, written by {@link PaymentsLogGenerator} without
 * per-line faults (every line is one event), its ground truth as verdicts ("RULE KEY"), and the
 * same events decoded once into primitive columns for the engines that take decoded events.
 *
 * <p>The log and its verdicts are cached under the temporary directory, since writing 10M lines
 * takes about a minute. Decoding into columns is not timed: engines are measured on decoded
 * events, except specwatch's decode and pipeline benchmarks, which read the JSON lines.
 */
public final class PaymentsWorkload {
  /** Event types, in the order of the spec's event declarations. */
  public static final byte AUTHORIZED = 0;
  public static final byte CAPTURED = 1;
  public static final byte REFUNDED = 2;
  public static final byte FAILED = 3;

  /** The spec's lateness and the settle deadline, which every engine implements. */
  public static final long LATENESS_MILLIS = PaymentsLogGenerator.SPEC_LATENESS_MILLIS;
  public static final long SETTLE_MILLIS = PaymentsLogGenerator.SPEC_SETTLE_MILLIS;

  public final Path file;
  public final int events;
  public final byte[] type;
  /** The payment's number, dense from 0: the key of the primitive-array baseline. */
  public final int[] keyId;
  public final long[] amount;
  public final long[] ts;
  /** The key text per payment number, one String each, shared by every engine that uses it. */
  public final String[] keys;
  public final Set<String> truth;
  /** Distinct payments in the log. */
  public int payments;

  private PaymentsWorkload(Path file, int events, Set<String> truth, int payments) {
    this.file = file;
    this.events = events;
    this.type = new byte[events];
    this.keyId = new int[events];
    this.amount = new long[events];
    this.ts = new long[events];
    this.keys = new String[payments];
    this.truth = truth;
  }

  /** The key of event {@code i}. */
  public String key(int i) {
    return keys[keyId[i]];
  }

  /** Loads (generating and caching it when missing) the workload; progress goes to {@code log}. */
  public static PaymentsWorkload load(long events, int entities, long seed, PrintStream log)
      throws IOException {
    return load(events, entities, seed, false, log);
  }

  /**
   * As {@link #load(long, int, long, PrintStream)}; with {@code longLived}, {@code entities}
   * payments live for the whole log instead of being in flight and replaced
   * ({@link PaymentsLogGenerator.Options#longLived}).
   */
  public static PaymentsWorkload load(long events, int entities, long seed, boolean longLived,
      PrintStream log) throws IOException {
    if (events > Integer.MAX_VALUE - 8) {
      throw new IllegalArgumentException("at most " + (Integer.MAX_VALUE - 8) + " events");
    }
    Path dir = Path.of(System.getProperty("java.io.tmpdir"));
    String base = String.format(Locale.ROOT, "specwatch-bench-%d-%d-s%d%s", events, entities, seed,
        longLived ? "-long" : "");
    Path file = dir.resolve(base + ".jsonl");
    Path verdicts = dir.resolve(base + ".verdicts");
    if (!Files.exists(file) || !Files.exists(verdicts)) {
      log.printf(Locale.ROOT, "generating %s (%,d events over %,d payments %s) ...%n",
          file, events, entities, longLived ? "living the whole log" : "in flight");
      long t0 = System.nanoTime();
      PaymentsLogGenerator.Options o = new PaymentsLogGenerator.Options()
          .lines(events).entities(entities).seed(seed).lineFaults(false).longLived(longLived);
      Path tmp = dir.resolve(base + ".jsonl.part");
      PaymentsLogGenerator.Truth t = PaymentsLogGenerator.write(o, tmp);
      Files.write(verdicts, t.verdicts.stream().sorted().toList(), StandardCharsets.UTF_8);
      Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING);
      log.printf(Locale.ROOT, "generated in %.1f s: %s%n", (System.nanoTime() - t0) / 1e9, t);
    }
    Set<String> truth = new HashSet<>(Files.readAllLines(verdicts, StandardCharsets.UTF_8));
    return decode(file, (int) events, truth);
  }

  /** Builds a workload in memory (tests): writes the log to {@code file}, then decodes it. */
  public static PaymentsWorkload generate(PaymentsLogGenerator.Options options, Path file)
      throws IOException {
    options.lineFaults(false);
    PaymentsLogGenerator.Truth t = PaymentsLogGenerator.write(options, file);
    return decode(file, (int) t.lines, new HashSet<>(t.verdicts));
  }

  private static final JsonFactory JSON = new JsonFactory();

  private static PaymentsWorkload decode(Path file, int events, Set<String> truth)
      throws IOException {
    // Payment numbers are dense and at most the number of events.
    PaymentsWorkload w = new PaymentsWorkload(file, events, truth, events);
    int[] n = new int[1];
    try (LineCursor lines = new LineCursor(file)) {
      while (lines.next()) {
        if (n[0] == events) {
          throw new IOException(file + " has more than " + events + " lines");
        }
        w.decodeLine(n[0]++, lines.buf(), lines.off(), lines.len());
      }
    }
    if (n[0] != events) {
      throw new IOException(file + " has " + n[0] + " lines, expected " + events);
    }
    return w;
  }

  private void decodeLine(int i, byte[] buf, int off, int len) throws IOException {
    String typeText = null;
    String key = null;
    long amt = 0;
    long time = Rfc3339.INVALID;
    try (JsonParser p = JSON.createParser(buf, off, len)) {
      p.nextToken();
      while (p.nextToken() == JsonToken.FIELD_NAME) {
        String name = p.currentName();
        JsonToken t = p.nextToken();
        switch (name) {
          case "type" -> typeText = p.getText();
          case "payment_id" -> key = p.getText();
          case "amount_cents" -> amt = p.getLongValue();
          case "ts" -> time = Rfc3339.parse(p.getText());
          default -> {
            if (t.isStructStart()) {
              p.skipChildren();
            }
          }
        }
      }
    }
    if (typeText == null || key == null || time == Rfc3339.INVALID || !key.startsWith("pay_")) {
      throw new IOException("line " + (i + 1) + " is not a benchmark event");
    }
    type[i] = switch (typeText) {
      case "payment.authorized" -> AUTHORIZED;
      case "payment.captured" -> CAPTURED;
      case "payment.refunded" -> REFUNDED;
      case "payment.failed" -> FAILED;
      default -> throw new IOException("line " + (i + 1) + ": unknown type " + typeText);
    };
    int id = Integer.parseInt(key, 4, key.length(), 10);
    keyId[i] = id;
    if (keys[id] == null) {
      keys[id] = key;
      payments++;
    }
    amount[i] = amt;
    ts[i] = time;
  }

  /** Rule names by event type: a transition violation names the event. */
  public static final List<String> EVENT_RULES = List.of("authorized", "captured", "refunded",
      "failed");
  public static final String INVARIANT_RULE = "capture_within_authorization";
  public static final String DEADLINE_RULE = "settle";

  /** A verdict as the ground truth writes it. */
  public static String verdict(String rule, String key) {
    return rule + " " + key;
  }
}
