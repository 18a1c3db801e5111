package io.specwatch.cli;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import io.specwatch.core.json.JsonText;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.params.provider.Arguments;

/** Runs {@code specwatch check} in-process and reads its JSON output, for the CLI tests. */
final class CheckTestSupport {
  private static final JsonFactory JSON = new JsonFactory();

  private CheckTestSupport() {}

  /** What one run of the command line produced. */
  record Outcome(int status, String stdout, String stderr) {
    List<String> lines() {
      return stdout.isEmpty() ? List.of() : List.of(stdout.split("\n", -1)).subList(0,
          (int) stdout.chars().filter(c -> c == '\n').count());
    }

    /** Each stdout line as an ordered map (key order is part of the contract). */
    List<Map<String, Object>> violations() {
      List<Map<String, Object>> all = new ArrayList<>();
      for (String line : lines()) {
        all.add(object(line));
      }
      return all;
    }

    @Override
    public String toString() {
      return "exit " + status + "\n--- stdout\n" + stdout + "--- stderr\n" + stderr;
    }
  }

  static Outcome run(InputStream stdin, String... args) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int status = Main.run(args, stdin, new PrintStream(out, true, StandardCharsets.UTF_8),
        new PrintStream(err, true, StandardCharsets.UTF_8));
    return new Outcome(status, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
  }

  static Outcome run(String... args) {
    return run(new ByteArrayInputStream(new byte[0]), args);
  }

  /** Parses one JSON object, keeping key order; numbers are Long (or Double), null is null. */
  @SuppressWarnings("unchecked")
  static Map<String, Object> object(String text) {
    try (JsonParser p = JSON.createParser(text)) {
      Object v = value(p, p.nextToken());
      if (p.nextToken() != null) {
        throw new IllegalArgumentException("trailing content in " + text);
      }
      if (!(v instanceof Map)) {
        throw new IllegalArgumentException("not an object: " + text);
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
          if (m.containsKey(name)) {
            throw new IllegalArgumentException("duplicate key " + name);
          }
          m.put(name, value(p, p.nextToken()));
        }
        return m;
      }
      case START_ARRAY -> {
        List<Object> l = new ArrayList<>();
        JsonToken e;
        while ((e = p.nextToken()) != JsonToken.END_ARRAY) {
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
        return Boolean.TRUE;
      }
      case VALUE_FALSE -> {
        return Boolean.FALSE;
      }
      case VALUE_NULL -> {
        return null;
      }
      default -> throw new IllegalArgumentException("unexpected " + t);
    }
  }

  /** Compact JSON of a parsed value with its key order: equal texts mean equal JSON objects. */
  static String canonical(Object v) {
    StringBuilder sb = new StringBuilder();
    canonical(v, sb);
    return sb.toString();
  }

  private static void canonical(Object v, StringBuilder sb) {
    if (v instanceof Map<?, ?> m) {
      sb.append('{');
      boolean first = true;
      for (Map.Entry<?, ?> e : m.entrySet()) {
        sb.append(first ? "" : ",");
        first = false;
        JsonText.appendString(sb, (String) e.getKey());
        sb.append(':');
        canonical(e.getValue(), sb);
      }
      sb.append('}');
    } else if (v instanceof List<?> l) {
      sb.append('[');
      for (int i = 0; i < l.size(); i++) {
        sb.append(i == 0 ? "" : ",");
        canonical(l.get(i), sb);
      }
      sb.append(']');
    } else if (v instanceof String s) {
      JsonText.appendString(sb, s);
    } else {
      sb.append(v); // Long, Double, Boolean or null
    }
  }

  /** The comparison key of the contract: (spec, kind, rule, entity, key, line). */
  static List<Object> tuple(Map<String, Object> v) {
    List<Object> t = new ArrayList<>();
    for (String k : List.of("spec", "kind", "rule", "entity", "key", "line")) {
      t.add(v.get(k));
    }
    return t;
  }

  // ---- cases in the shared conformance format (CheckConformanceTest, ContractProbesTest) ----

  /** A case's directories under {@code root}, each twice: pipelined, then sequential. */
  static Stream<Arguments> casesIn(
      Path root) throws IOException {
    List<Arguments> all = new ArrayList<>();
    try (Stream<Path> dirs = Files.list(root)) {
      for (Path dir : dirs.filter(Files::isDirectory).sorted().toList()) {
        for (boolean sequential : new boolean[] {false, true}) {
          all.add(Arguments.of(dir.getFileName().toString(),
              sequential));
        }
      }
    }
    return all.stream();
  }

  /** {@code check SPECS... --events CASE/events.jsonl ARGS --sequential|--pipeline}. */
  static String[] caseArgs(Path dir, boolean sequential) throws IOException {
    List<String> args = new ArrayList<>(List.of("check"));
    try (Stream<Path> files = Files.list(dir)) {
      files.map(Path::toString).filter(f -> f.endsWith(".sw")).sorted()
          .forEach(args::add);
    }
    args.add("--events");
    args.add(dir.resolve("events.jsonl").toString());
    Path extra = dir.resolve("args");
    if (Files.exists(extra)) {
      args.addAll(List.of(Files.readString(extra).trim().split("\\s+")));
    }
    args.add(sequential ? "--sequential" : "--pipeline");
    return args.toArray(new String[0]);
  }

  /** The case's expected lines, blank ones left out. */
  static List<String> expectedLines(Path dir) throws IOException {
    List<String> out = new ArrayList<>();
    for (String l : Files.readAllLines(dir.resolve("expected.jsonl"),
        StandardCharsets.UTF_8)) {
      if (!l.isBlank()) {
        out.add(l);
      }
    }
    return out;
  }

  /** The case's exit status: {@code exit_status}, else 1 with expected violations, else 0. */
  static int expectedStatus(Path dir) throws IOException {
    Path file = dir.resolve("exit_status");
    return Files.exists(file)
        ? Integer.parseInt(Files.readString(file).trim())
        : expectedLines(dir).isEmpty() ? 0 : 1;
  }
}
