package io.specwatch.ingest.kafka;

import io.specwatch.core.LinePosition;
import io.specwatch.core.Position;
import io.specwatch.core.Violation;
import io.specwatch.core.engine.Monitor;
import io.specwatch.core.program.Program;
import io.specwatch.spec.CompileResult;
import io.specwatch.spec.SourceFile;
import io.specwatch.spec.SpecCompiler;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/** Specs and logs the Kafka and checkpoint tests share: the repository's examples and generators. */
final class TestSpecs {
  private TestSpecs() {}

  /** The repository root (tests run with the module directory as working directory). */
  static Path root() {
    Path here = Path.of("").toAbsolutePath();
    return Files.isDirectory(here.resolve("examples")) ? here : here.getParent();
  }

  static Path example(String name, String file) {
    return root().resolve("examples").resolve(name).resolve(file);
  }

  static Path paymentsLoadSpec() {
    return root().resolve("load-tests/src/main/resources/payments-load.sw");
  }

  static List<Program> compile(Path spec) {
    try {
      CompileResult r = SpecCompiler.compile(
          List.of(new SourceFile(spec.getFileName().toString(), Files.readString(spec))));
      if (!r.ok()) {
        throw new IllegalStateException("spec does not compile: " + r.diagnostics());
      }
      return r.programs();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static List<String> lines(Path log) {
    try {
      return Files.readAllLines(log, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Feeds lines [from, to) to a monitor, 1-based line positions as {@code check} gives them. */
  static void feed(Monitor m, List<String> lines, int from, int to, List<Violation> out) {
    for (int i = from; i < to; i++) {
      String line = lines.get(i);
      if (line.isBlank()) {
        continue;
      }
      byte[] b = line.getBytes(StandardCharsets.UTF_8);
      Position pos = new LinePosition(i + 1);
      m.accept(b, 0, b.length, pos, out::add);
    }
  }

  /**
   * A random log for {@code payments-load.sw}: payments that authorize, capture (sometimes over
   * the authorization), refund, fail or go silent past the settle deadline; retried duplicates;
   * late documents; invalid currencies and malformed lines. Deterministic for a seed.
   */
  static List<String> randomPaymentsLoadLog(long seed, int payments) {
    Random rnd = new Random(seed);
    List<long[]> order = new ArrayList<>(); // {time, index}
    List<String> docs = new ArrayList<>();
    long t0 = 1_780_000_000_000L;
    int eventId = 0;
    for (int p = 0; p < payments; p++) {
      long t = t0 + p * 20_000L + rnd.nextInt(10_000);
      String pid = "p-" + p;
      String cur = rnd.nextInt(20) == 0 ? "EURO" : "EUR";
      int amount = 1000 + rnd.nextInt(5000);
      List<String> steps = new ArrayList<>();
      steps.add("{\"type\":\"payment.authorized\",\"amount_cents\":" + amount + ",\"currency\":\"" + cur + "\"");
      int shape = rnd.nextInt(6);
      if (shape == 0) {
        steps.add("{\"type\":\"payment.failed\"");
      } else if (shape == 1) {
        // goes silent: the settle deadline fires
      } else {
        int captured = shape == 2 ? amount + 500 : amount;
        steps.add("{\"type\":\"payment.captured\",\"amount_cents\":" + captured / 2);
        steps.add("{\"type\":\"payment.captured\",\"amount_cents\":" + (captured - captured / 2));
        if (shape >= 4) {
          steps.add("{\"type\":\"payment.refunded\",\"amount_cents\":" + (shape == 5 ? amount * 2 : amount));
        }
      }
      if (rnd.nextInt(15) == 0) {
        steps.add("{\"type\":\"payment.captured\",\"amount_cents\":10"); // after end, or overcapture
      }
      for (String step : steps) {
        t += 1_000 + rnd.nextInt(400_000);
        String id = "e" + (eventId++);
        String doc = step + ",\"payment_id\":\"" + pid + "\",\"event_id\":\"" + id + "\",\"ts\":" + t + "}";
        long sortTime = t - (rnd.nextInt(10) == 0 ? rnd.nextInt(150_000) : 0); // some arrive late
        order.add(new long[] {sortTime, docs.size()});
        docs.add(doc);
        if (rnd.nextInt(12) == 0) { // a retried copy, a little later
          order.add(new long[] {sortTime + rnd.nextInt(60_000), docs.size()});
          docs.add(doc);
        }
      }
      if (rnd.nextInt(40) == 0) {
        order.add(new long[] {t, docs.size()});
        docs.add("{\"type\":\"payment.captured\",\"payment_id\":");
      }
    }
    order.sort((a, b) -> a[0] != b[0] ? Long.compare(a[0], b[0]) : Long.compare(a[1], b[1]));
    List<String> out = new ArrayList<>(order.size());
    for (long[] o : order) {
      out.add(docs.get((int) o[1]));
    }
    return out;
  }

  static List<String> json(List<Violation> vs) {
    List<String> out = new ArrayList<>(vs.size());
    for (Violation v : vs) {
      out.add(v.toJson());
    }
    return out;
  }
}
