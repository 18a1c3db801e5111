package io.specwatch.spec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.specwatch.core.LinePosition;
import io.specwatch.core.engine.Monitor;
import io.specwatch.spec.parse.Lexer;
import io.specwatch.spec.parse.Token;
import io.specwatch.spec.parse.TokenKind;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Feeds the compiler thousands of random mutations of real specs (the conformance cases, the
 * examples and the diagnostics cases): deleted, duplicated, swapped and replaced tokens, random
 * characters, truncations, and lines moved around. Whatever the input, the compiler must return
 * diagnostics or programs, never throw, and a program it returns must run documents without
 * throwing. The random seed is fixed, so a failure is reproducible; its message holds the input.
 */
class CompilerFuzzTest {
  /** Override with -Dfuzz.seed=N and -Dfuzz.mutations=N for a longer hunt. */
  private static final long SEED = Long.getLong("fuzz.seed", 0x5BEC_0A7C_4L);
  private static final int MUTATIONS = Integer.getInteger("fuzz.mutations", 6_000);
  private static final Duration TIME_LIMIT =
      Duration.ofSeconds(Math.max(90, MUTATIONS / 100));

  private static final String[] VOCABULARY = {
      "spec", "input", "time", "id", "dedupe", "within", "lateness", "entity", "key", "ends",
      "when", "event", "for", "on", "requires", "invariant", "deadline", "after", "expect", "or",
      "and", "not", "implies", "in", "if", "else", "true", "false", "int", "bool", "string",
      "duration", "enum", "set", "now", "exists", "len", "default", "add", "remove", "e", "x",
      "{", "}", "(", ")", "[", "]", ",", ";", ":", ".", "==", "!=", "<", "<=", ">", ">=", "=",
      "+=", "-=", "+", "-", "*", "/", "%", "!", "\n", "\n\n", "///", "//", "/// doc\n", "\"",
      "\"s\"", "\"\\u00e9\"", "\"\\q\"", "\\", "0", "-1", "9223372036854775807",
      "-9223372036854775808", "9223372036854775808", "99999999999999999999d", "1_000", "1__0",
      "10ms", "5m", "7d", "-1s", "3w", "1e2", "100.0", "[0]", "[\"k\"]", "[2147483648]",
      "[9223372036854775808]", "set<int>", "set<string>", "enum { A, B }", "\t", "\r", "\u0000",
      "\u00e9", "\uD83D\uDE00", "\uD83D", "#", "@", "$", "`", "'",
  };

  @Test
  void randomMutationsOfRealSpecsNeverThrow() throws IOException {
    List<Seed> seeds = seeds();
    assertTrue(seeds.size() >= 20, "found only " + seeds.size() + " seed specs");
    Random random = new Random(SEED);
    int[] outcomes = new int[2];
    assertTimeoutPreemptively(TIME_LIMIT, () -> {
      for (int i = 0; i < MUTATIONS; i++) {
        Seed seed = seeds.get(random.nextInt(seeds.size()));
        String mutated = mutate(seed.text, random);
        outcomes[check(mutated, seed.events, "mutation " + i + " of " + seed.name) ? 0 : 1]++;
      }
    }, "the compiler took too long over " + MUTATIONS + " mutations (an endless loop?)");
    // The mutations must exercise both outcomes, or the test proves little.
    assertTrue(outcomes[0] > 100, "only " + outcomes[0] + " mutations compiled");
    assertTrue(outcomes[1] > 1000, "only " + outcomes[1] + " mutations failed to compile");
  }

  @Test
  void randomTextNeverThrows() {
    Random random = new Random(SEED + 1);
    assertTimeoutPreemptively(TIME_LIMIT, () -> {
      for (int i = 0; i < 2_000; i++) {
        StringBuilder sb = new StringBuilder(random.nextBoolean() ? "spec fuzz\n" : "");
        int n = random.nextInt(200);
        for (int k = 0; k < n; k++) {
          sb.append(random.nextInt(4) == 0 ? randomChars(random, 1)
              : VOCABULARY[random.nextInt(VOCABULARY.length)]);
          sb.append(random.nextInt(3) == 0 ? " " : "");
        }
        check(sb.toString(), List.of(), "random text " + i);
      }
    });
  }

  @Test
  void everyTruncationOfAnExampleNeverThrows() throws IOException {
    Seed seed = seeds().stream().filter(s -> s.name.equals("example-task-queue.sw")).findFirst()
        .orElseThrow();
    assertTimeoutPreemptively(TIME_LIMIT, () -> {
      for (int end = 0; end <= seed.text.length(); end++) {
        check(seed.text.substring(0, end), seed.events, "truncation at " + end);
      }
    });
  }

  private static final String ENTITY = "spec deep\nentity A key k { x: int; b: bool; s: set<int> }\n"
      + "event e for A when type == \"e\" { n: int }\n";

  static List<String[]> hostileInputs() {
    return List.of(
        new String[] {"nested parentheses", ENTITY + "invariant i: " + "(".repeat(20_000) + "x >= 0"
            + ")".repeat(20_000)},
        new String[] {"a long sum", ENTITY + "invariant i: x" + " + 1".repeat(200_000) + " > 0"},
        new String[] {"a long implies chain", ENTITY + "invariant i: b" + " implies b".repeat(50_000)},
        new String[] {"many nots", ENTITY + "invariant i: " + "not ".repeat(50_000) + "b"},
        new String[] {"many unary minus", ENTITY + "invariant i: " + "- ".repeat(50_000) + "x == 0"},
        new String[] {"nested len", ENTITY + "invariant i: " + "len(".repeat(5_000) + "s" + ")".repeat(5_000) + " >= 0"},
        new String[] {"many nots in a predicate", ENTITY + "event f for A when " + "not ".repeat(50_000) + "a == 1"},
        new String[] {"a long predicate", ENTITY + "event f for A when a == 1" + " or a == 1".repeat(100_000)},
        new String[] {"nested predicate parentheses", ENTITY + "event f for A when " + "(".repeat(20_000)
            + "a == 1" + ")".repeat(20_000)},
        new String[] {"nested set literals", "spec deep\nentity A key k { s: set<int> = " + "{".repeat(20_000)
            + "}".repeat(20_000) + " }\n"},
        new String[] {"nested ifs", ENTITY + "on e {\n" + "if b {\n".repeat(10_000) + "}\n".repeat(10_000) + "}\n"},
        new String[] {"a long else-if chain", ENTITY + "on e {\n if b { x = 0 }"
            + " else if b { x = 1 }".repeat(10_000) + "\n}\n"});
  }

  @Test
  void deepAndLongInputIsAnErrorNotAStackOverflow() {
    for (String[] input : hostileInputs()) {
      CompileResult r = assertTimeoutPreemptively(Duration.ofSeconds(20),
          () -> SpecCompiler.compile(List.of(new SourceFile("deep.sw", input[1]))), input[0]);
      assertFalse(r.ok(), input[0] + " compiled");
      String first = r.diagnostics().get(0).message();
      assertTrue(first.contains("levels deep") || first.contains("operators in one expression"),
          input[0] + ": " + first);
      check(input[1], List.of(), input[0]);
    }
  }

  @Test
  void theNestingAndLengthLimitsLeaveRoomForRealSpecs() {
    // 99 parentheses and 999 operators compile, and the program runs.
    String text = ENTITY + "invariant i: " + "(".repeat(99) + "x" + " + 1".repeat(998) + " > 0"
        + ")".repeat(99) + "\non e(ev) {\n" + "if b {\n".repeat(98) + "x = 1\n" + "}\n".repeat(98)
        + "}\n";
    CompileResult r = SpecCompiler.compile(List.of(new SourceFile("deep.sw", text)));
    assertTrue(r.ok(), () -> Specs.rendered(r));
    Specs.Session s = new Specs.Session(r.programs());
    assertEquals(List.of(), s.sendBrief("{\"type\":\"e\",\"k\":\"a\",\"n\":1}"));
  }

  /** Compiles; checks the result's shape; runs a program it returns. Returns true if it compiled. */
  private static boolean check(String text, List<String> events, String what) {
    CompileResult r;
    try {
      r = SpecCompiler.compile(List.of(new SourceFile("fuzz.sw", text)));
    } catch (RuntimeException | StackOverflowError e) {
      throw new AssertionError("the compiler threw on " + what + ":\n" + text, e);
    }
    assertNotNull(r, what);
    String[] lines = text.split("\r?\n", -1);
    if (r.ok()) {
      assertEquals(1, r.programs().size(), what);
      try {
        Monitor m = new Monitor(r.programs());
        long line = 0;
        for (String doc : events) {
          byte[] bytes = doc.getBytes(StandardCharsets.UTF_8);
          m.accept(bytes, 0, bytes.length, new LinePosition(++line), v -> v.toJson());
        }
        m.flush(v -> v.toJson());
      } catch (RuntimeException e) {
        throw new AssertionError("the monitor threw running the program of " + what + ":\n" + text, e);
      }
      return true;
    }
    assertTrue(r.programs().isEmpty(), what);
    for (Diagnostic d : r.diagnostics()) {
      String context = what + ": " + d + "\n" + text;
      assertTrue(d.line() >= 1 && d.line() <= lines.length, "line out of range in " + context);
      assertTrue(d.column() >= 1, "column out of range in " + context);
      assertTrue(d.column() <= lines[d.line() - 1].length() + 1, "column past the line's end in " + context);
      assertFalse(d.message().isBlank(), context);
      assertFalse(d.message().contains("internal error"), context);
      assertNotNull(d.sourceLine(), context);
      String rendered = d.render();
      assertTrue(rendered.startsWith("fuzz.sw:" + d.line() + ":" + d.column() + ": error: "), context);
      // One line for the message, one for the source, one for the caret.
      assertEquals(3, rendered.split("\n", -1).length - 1, "message spans lines in " + context);
    }
    return false;
  }

  private static String mutate(String text, Random random) {
    String s = text;
    int rounds = 1 + random.nextInt(3);
    for (int i = 0; i < rounds; i++) {
      s = mutateOnce(s, random);
    }
    return s;
  }

  private static String mutateOnce(String s, Random random) {
    List<Token> tokens = new ArrayList<>();
    for (Token t : new Lexer(s, (line, col, msg) -> { }).tokenize()) {
      if (!t.is(TokenKind.EOF) && t.end() > t.start()) {
        tokens.add(t);
      }
    }
    if (tokens.isEmpty() || s.isEmpty()) {
      return s + VOCABULARY[random.nextInt(VOCABULARY.length)];
    }
    Token a = tokens.get(random.nextInt(tokens.size()));
    int op = random.nextInt(10);
    switch (op) {
      case 0 -> { // delete a token
        return s.substring(0, a.start()) + s.substring(a.end());
      }
      case 1 -> { // duplicate a token
        return s.substring(0, a.end()) + " " + s.substring(a.start());
      }
      case 2 -> { // swap a token with another
        Token b = tokens.get(random.nextInt(tokens.size()));
        if (b.start() < a.start()) {
          Token t = a;
          a = b;
          b = t;
        }
        if (a.end() > b.start()) {
          return s;
        }
        return s.substring(0, a.start()) + s.substring(b.start(), b.end())
            + s.substring(a.end(), b.start()) + s.substring(a.start(), a.end()) + s.substring(b.end());
      }
      case 3 -> { // replace a token with a word of the language or a troublesome literal
        return s.substring(0, a.start()) + VOCABULARY[random.nextInt(VOCABULARY.length)]
            + s.substring(a.end());
      }
      case 4 -> { // insert random characters
        int at = random.nextInt(s.length() + 1);
        return s.substring(0, at) + randomChars(random, 1 + random.nextInt(4)) + s.substring(at);
      }
      case 5 -> { // truncate
        return s.substring(0, random.nextInt(s.length() + 1));
      }
      case 6 -> { // delete a line
        String[] lines = s.split("\n", -1);
        int k = random.nextInt(lines.length);
        List<String> out = new ArrayList<>(List.of(lines));
        out.remove(k);
        return String.join("\n", out);
      }
      case 7 -> { // duplicate a line (a declaration twice, a variable twice, ...)
        String[] lines = s.split("\n", -1);
        int k = random.nextInt(lines.length);
        List<String> out = new ArrayList<>(List.of(lines));
        out.add(random.nextInt(out.size() + 1), lines[k]);
        return String.join("\n", out);
      }
      case 8 -> { // replace one character of a token
        int at = a.start() + random.nextInt(a.end() - a.start());
        return s.substring(0, at) + randomChars(random, 1) + s.substring(at + 1);
      }
      default -> { // move a token somewhere else
        String moved = s.substring(a.start(), a.end());
        String without = s.substring(0, a.start()) + s.substring(a.end());
        int at = random.nextInt(without.length() + 1);
        return without.substring(0, at) + moved + without.substring(at);
      }
    }
  }

  private static String randomChars(Random random, int n) {
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < n; i++) {
      int kind = random.nextInt(6);
      if (kind == 0) {
        sb.append((char) random.nextInt(0x20)); // control characters, including \n, \r, \t
      } else if (kind == 1) {
        sb.append((char) random.nextInt(0x10000)); // any UTF-16 unit, lone surrogates included
      } else if (kind == 2) {
        sb.appendCodePoint(0x10000 + random.nextInt(0x1000));
      } else {
        sb.append((char) (0x20 + random.nextInt(0x5F))); // printable ASCII
      }
    }
    return sb.toString();
  }

  private record Seed(String name, String text, List<String> events) {}

  /** The seeds copied into the test resources, and the live examples when present. */
  private static List<Seed> seeds() throws IOException {
    List<Path> dirs = List.of(Path.of("src/test/resources/fuzz-seeds"),
        Path.of("src/test/resources/diagnostics"), Path.of("../examples"));
    List<Seed> seeds = new ArrayList<>();
    for (Path dir : dirs) {
      if (!Files.isDirectory(dir)) {
        continue;
      }
      try (Stream<Path> files = Files.walk(dir)) {
        for (Path f : files.filter(p -> p.toString().endsWith(".sw")).sorted().toList()) {
          seeds.add(new Seed(f.getFileName().toString(), Files.readString(f), events(f)));
        }
      }
    }
    return seeds;
  }

  /** The events next to a seed: NAME.events.jsonl for a seed named NAME-..., or events.jsonl. */
  private static List<String> events(Path spec) {
    try {
      Path sibling = spec.resolveSibling("events.jsonl");
      if (Files.exists(sibling)) {
        return Files.readAllLines(sibling);
      }
      String name = spec.getFileName().toString();
      try (Stream<Path> files = Files.list(spec.getParent())) {
        for (Path f : files.filter(p -> p.toString().endsWith(".events.jsonl")).toList()) {
          String base = f.getFileName().toString().replace(".events.jsonl", "");
          if (name.startsWith(base)) {
            return Files.readAllLines(f);
          }
        }
      }
      return List.of();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Test
  void theSeedsCompileAsGiven() throws IOException {
    int compiled = 0;
    for (Seed s : seeds()) {
      if (s.name.startsWith("conformance-14") || !s.name.startsWith("conformance") && !s.name.startsWith("example")) {
        continue;
      }
      CompileResult r = SpecCompiler.compile(List.of(new SourceFile(s.name, s.text)));
      if (!r.ok()) {
        fail(s.name + " does not compile:\n" + Specs.rendered(r));
      }
      compiled++;
    }
    assertTrue(compiled >= 17, "compiled " + compiled);
  }
}
