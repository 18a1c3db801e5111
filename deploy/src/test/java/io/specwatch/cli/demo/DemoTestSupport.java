package io.specwatch.cli.demo;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import io.specwatch.cli.Main;
import io.specwatch.core.LinePosition;
import io.specwatch.core.Violation;
import io.specwatch.core.engine.Monitor;
import io.specwatch.core.engine.RuntimeStats;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Runs the command line in process, replays simulations through a monitor, reads JSON. */
final class DemoTestSupport {
  private static final JsonFactory JSON = new JsonFactory();

  private DemoTestSupport() {}

  /** What one run of the command line produced. */
  record Outcome(int status, String stdout, String stderr) {
    List<String> lines() {
      return stdout.isEmpty() ? List.of() : List.of(stdout.split("\n"));
    }

    @Override
    public String toString() {
      return "exit " + status + "\n--- stdout (" + stdout.length() + " chars)\n"
          + stdout.substring(0, Math.min(2000, stdout.length())) + "\n--- stderr\n" + stderr;
    }
  }

  static Outcome run(String... args) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int status = Main.run(args, new ByteArrayInputStream(new byte[0]),
        new PrintStream(out, true, StandardCharsets.UTF_8),
        new PrintStream(err, true, StandardCharsets.UTF_8));
    return new Outcome(status, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
  }

  /** A violation as the contract's tests compare it. */
  record Key(String spec, String kind, String rule, String entity, String key, Long line) {
    static Key of(Violation v) {
      Map<String, Object> m = object(v.toJson());
      return of(m);
    }

    static Key of(Map<String, Object> m) {
      return new Key((String) m.get("spec"), (String) m.get("kind"), (String) m.get("rule"),
          (String) m.get("entity"), (String) m.get("key"), (Long) m.get("line"));
    }
  }

  /** The multiset of violations in JSON lines: each key with its count. */
  static Map<Key, Integer> multiset(List<String> jsonLines) {
    Map<Key, Integer> all = new HashMap<>();
    for (String line : jsonLines) {
      all.merge(Key.of(object(line)), 1, Integer::sum);
    }
    return all;
  }

  /** One simulated line, kept. */
  record Generated(long number, String text, Fault fault, String paymentId, long time) {}

  /** What the demo spec, run sequentially, makes of a simulation. */
  record Replay(List<Generated> lines, List<Violation> violations, RuntimeStats stats, long clock) {}

  static List<Generated> generate(PaymentSimulator sim, int n) {
    List<Generated> lines = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      SimulatedLine l = sim.next();
      lines.add(new Generated(l.number(), l.text(), l.fault(), l.paymentId(), l.time()));
    }
    return lines;
  }

  /** Generates {@code n} lines and runs them through the demo spec on one thread. */
  static Replay replay(PaymentSimulator sim, int n) {
    Monitor monitor = new Monitor(DemoSpec.compile());
    List<Violation> violations = new ArrayList<>();
    List<Generated> lines = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      SimulatedLine l = sim.next();
      lines.add(new Generated(l.number(), l.text(), l.fault(), l.paymentId(), l.time()));
      monitor.accept(l.bytes(), 0, l.length(), new LinePosition(l.number()), violations::add);
    }
    return new Replay(lines, violations, monitor.runtimes().get(0).stats(), sim.clock());
  }

  /** Parses one JSON object, keeping key order; integers are Long. */
  @SuppressWarnings("unchecked")
  static Map<String, Object> object(String text) {
    try (JsonParser p = JSON.createParser(text)) {
      Object v = value(p, p.nextToken());
      if (p.nextToken() != null || !(v instanceof Map)) {
        throw new IllegalArgumentException("not one JSON object: " + text);
      }
      return (Map<String, Object>) v;
    } catch (IOException e) {
      throw new UncheckedIOException("not JSON: " + text, e);
    }
  }

  private static Object value(JsonParser p, JsonToken t) throws IOException {
    switch (t) {
      case START_OBJECT -> {
        Map<String, Object> m = new LinkedHashMap<>();
        while (p.nextToken() == JsonToken.FIELD_NAME) {
          String name = p.currentName();
          m.put(name, value(p, p.nextToken()));
        }
        return m;
      }
      case START_ARRAY -> {
        List<Object> l = new ArrayList<>();
        for (JsonToken e = p.nextToken(); e != JsonToken.END_ARRAY; e = p.nextToken()) {
          l.add(value(p, e));
        }
        return l;
      }
      case VALUE_STRING -> {
        return p.getText();
      }
      case VALUE_NUMBER_INT -> {
        return p.getLongValue();
      }
      case VALUE_NUMBER_FLOAT -> {
        return p.getDoubleValue();
      }
      case VALUE_TRUE -> {
        return true;
      }
      case VALUE_FALSE -> {
        return false;
      }
      case VALUE_NULL -> {
        return null;
      }
      default -> throw new IOException("unexpected " + t);
    }
  }

  /**
   * An output stream that keeps everything written and completes {@link #found} with the first
   * match of a pattern: a test waits on it instead of sleeping.
   */
  static final class Watched extends OutputStream {
    private final ByteArrayOutputStream all = new ByteArrayOutputStream();
    private final Pattern pattern;
    final CompletableFuture<Matcher> found = new CompletableFuture<>();

    Watched(Pattern pattern) {
      this.pattern = pattern;
    }

    @Override
    public synchronized void write(int b) {
      all.write(b);
      check();
    }

    @Override
    public synchronized void write(byte[] b, int off, int len) {
      all.write(b, off, len);
      check();
    }

    private void check() {
      if (!found.isDone()) {
        Matcher m = pattern.matcher(text());
        if (m.find()) {
          found.complete(m);
        }
      }
    }

    synchronized String text() {
      return all.toString(StandardCharsets.UTF_8);
    }
  }
}
