package io.specwatch.load;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.jar.JarFile;
import org.junit.jupiter.api.Test;

/**
 * Esper is GPL-2.0: it is a test-scope peer of the benchmarks and must never be in a shipped
 * artifact. This runs in `verify`, after `package`, on the jars actually built: the runnable
 * benchmarks jar and the `specwatch` launcher jar must hold no Esper class. (Kafka Streams, the
 * other peer, is Apache-2.0; it is test scope too, but shipping it would not be a licence issue.)
 */
class ShippedJarsIT {
  private static final List<String> FORBIDDEN = List.of("com/espertech/");

  @Test
  void benchmarksJarHasNoEsper() throws IOException {
    Path jar = Path.of("target/specwatch-load.jar");
    assertTrue(Files.isRegularFile(jar), jar.toAbsolutePath() + " was not built");
    assertNoneOf(jar, "io/specwatch/load/bench/LoadRunner.class");
  }

  @Test
  void launcherJarHasNoEsper() throws IOException {
    Path jar = Path.of("../deploy/target/specwatch.jar");
    assertTrue(Files.isRegularFile(jar), jar.toAbsolutePath() + " was not built (build deploy first)");
    assertNoneOf(jar, "io/specwatch/cli/Main.class");
  }

  /** Fails on a forbidden entry; {@code expected} proves the jar is the one we think it is. */
  private static void assertNoneOf(Path jar, String expected) throws IOException {
    List<String> found = new ArrayList<>();
    boolean hasExpected = false;
    try (JarFile j = new JarFile(jar.toFile())) {
      for (var e = j.entries(); e.hasMoreElements(); ) {
        String name = e.nextElement().getName();
        hasExpected |= name.equals(expected);
        for (String f : FORBIDDEN) {
          if (name.startsWith(f)) {
            found.add(name);
          }
        }
      }
    }
    assertTrue(hasExpected, jar + " has no " + expected);
    assertFalse(!found.isEmpty(), jar + " contains Esper classes, e.g. " + found.subList(0, Math.min(5, found.size())));
  }
}
