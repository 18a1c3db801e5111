package io.specwatch.cli.config;

import io.specwatch.spec.check.Suggestions;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Typed access to the keys of one YAML map, for {@link ConfigReader}. Every accessor records
 * the key as known, takes a default, converts the text (after {@code ${ENV}} substitution) and, on
 * a bad value, adds an error naming the key path, the value and what is allowed, then returns the
 * default so that reading goes on and one run reports every problem. {@link #finish()} reports the
 * keys nobody asked for, with a suggestion.
 */
final class MapReader {
  private static final Pattern DURATION = Pattern.compile("(\\d+)(ms|s|m|h|d)");
  private static final Pattern BYTES = Pattern.compile("(\\d+)\\s*(B|KiB|MiB|GiB)?");

  /** What every reader of one file shares. */
  record Context(String file, Path baseDir, EnvSubstitution env, List<ConfigError> errors) {}

  private final Context ctx;
  private final YamlNode node;
  private final String path;
  private final Set<String> known = new LinkedHashSet<>();

  MapReader(Context ctx, YamlNode node, String path) {
    this.ctx = ctx;
    this.node = node;
    this.path = path;
  }

  String path() {
    return path;
  }

  YamlNode node() {
    return node;
  }

  private String key(String k) {
    return path.isEmpty() ? k : path + "." + k;
  }

  void error(YamlNode at, String key, String message) {
    ctx.errors().add(new ConfigError(ctx.file(), at.line(), at.column(), key, message));
  }

  int errorCount() {
    return ctx.errors().size();
  }

  /** The raw node of a key, or null when absent or null. */
  YamlNode get(String k) {
    known.add(k);
    YamlNode n = node.entries().get(k);
    return n == null || n.kind() == YamlNode.Kind.NULL ? null : n;
  }

  boolean has(String k) {
    known.add(k);
    return get(k) != null;
  }

  /** A scalar's text after substitution, or null (error added) when it is not a scalar. */
  private String text(YamlNode n, String key) {
    if (n.kind() != YamlNode.Kind.SCALAR) {
      error(n, key, "expected a single value, found " + n.describe());
      return null;
    }
    try {
      return ctx.env().apply(n.scalar());
    } catch (EnvSubstitution.UnsetVariable e) {
      error(n, key, e.getMessage());
      return null;
    }
  }

  String string(String k, String def) {
    YamlNode n = get(k);
    if (n == null) {
      return def;
    }
    String s = text(n, key(k));
    if (s != null && s.isBlank()) {
      error(n, key(k), "must not be empty");
      return def;
    }
    return s == null ? def : s;
  }

  /** A required string: a missing key is an error naming it. */
  String requiredString(String k, String what) {
    if (get(k) == null) {
      error(node, key(k), "missing: " + what);
      return null;
    }
    return string(k, null);
  }

  int integer(String k, int def, int min, int max) {
    return (int) longValue(k, def, min, max);
  }

  long longValue(String k, long def, long min, long max) {
    YamlNode n = get(k);
    if (n == null) {
      return def;
    }
    String s = text(n, key(k));
    if (s == null) {
      return def;
    }
    try {
      long v = Long.parseLong(s.trim());
      if (v < min || v > max) {
        error(n, key(k), "`" + s + "` is out of range: allowed " + min + " to " + max);
        return def;
      }
      return v;
    } catch (NumberFormatException e) {
      error(n, key(k), "`" + s + "` is not a whole number: allowed " + min + " to " + max);
      return def;
    }
  }

  int port(String k, int def) {
    return integer(k, def, 0, 65535);
  }

  boolean bool(String k, boolean def) {
    YamlNode n = get(k);
    if (n == null) {
      return def;
    }
    String s = text(n, key(k));
    if (s == null) {
      return def;
    }
    switch (s.trim().toLowerCase(Locale.ROOT)) {
      case "true": return true;
      case "false": return false;
      default:
        error(n, key(k), "`" + s + "` is not a boolean: allowed true or false");
        return def;
    }
  }

  /** {@code 500ms}, {@code 10s}, {@code 5m}, {@code 1h}, {@code 1d}; at least {@code min}. */
  Duration duration(String k, Duration def, Duration min) {
    return duration(k, def, min, null);
  }

  /** As {@link #duration(String, Duration, Duration)}, and at most {@code max} (null: no bound). */
  Duration duration(String k, Duration def, Duration min, Duration max) {
    YamlNode n = get(k);
    if (n == null) {
      return def;
    }
    String s = text(n, key(k));
    if (s == null) {
      return def;
    }
    Matcher m = DURATION.matcher(s.trim());
    if (!m.matches()) {
      error(n, key(k), "`" + s + "` is not a duration: allowed a whole number with a unit, "
          + "ms, s, m, h or d (e.g. 10s)");
      return def;
    }
    long amount = Long.parseLong(m.group(1));
    Duration d = switch (m.group(2)) {
      case "ms" -> Duration.ofMillis(amount);
      case "s" -> Duration.ofSeconds(amount);
      case "m" -> Duration.ofMinutes(amount);
      case "h" -> Duration.ofHours(amount);
      default -> Duration.ofDays(amount);
    };
    if (d.compareTo(min) < 0) {
      error(n, key(k), "`" + s + "` is too short: allowed at least " + min.toMillis() + "ms");
      return def;
    }
    if (max != null && d.compareTo(max) > 0) {
      error(n, key(k), "`" + s + "` is too long: allowed at most " + max.toMillis() + "ms");
      return def;
    }
    return d;
  }

  /**
   * One of an enum's constants, written in lower case ({@code earliest}); the default when
   * absent or bad (with an error listing what is allowed).
   */
  <E extends Enum<E>> E choice(String k, E def) {
    YamlNode n = get(k);
    if (n == null) {
      return def;
    }
    String s = text(n, key(k));
    if (s == null) {
      return def;
    }
    List<String> allowed = new ArrayList<>();
    for (E e : def.getDeclaringClass().getEnumConstants()) {
      String name = e.name().toLowerCase(Locale.ROOT);
      if (name.equals(s.trim())) {
        return e;
      }
      allowed.add(name);
    }
    error(n, key(k), "`" + s + "` is not allowed here: allowed " + String.join(", ", allowed));
    return def;
  }

  /** A size in bytes: {@code 1048576}, {@code 64KiB}, {@code 1MiB}, {@code 1GiB}. */
  long bytes(String k, long def, long min, long max) {
    YamlNode n = get(k);
    if (n == null) {
      return def;
    }
    String s = text(n, key(k));
    if (s == null) {
      return def;
    }
    Matcher m = BYTES.matcher(s.trim());
    String allowed = "allowed " + min + " to " + max + " bytes, written as a number or with "
        + "KiB, MiB or GiB (e.g. 1MiB)";
    if (!m.matches()) {
      error(n, key(k), "`" + s + "` is not a size: " + allowed);
      return def;
    }
    int shift = m.group(2) == null ? 0 : switch (m.group(2)) {
      case "KiB" -> 10;
      case "MiB" -> 20;
      case "GiB" -> 30;
      default -> 0;
    };
    long v;
    try {
      v = Math.multiplyExact(Long.parseLong(m.group(1)), 1L << shift);
    } catch (ArithmeticException | NumberFormatException e) {
      v = Long.MAX_VALUE;
    }
    if (v < min || v > max) {
      error(n, key(k), "`" + s + "` is out of range: " + allowed);
      return def;
    }
    return v;
  }

  /** A file path, relative ones resolved against the configuration file's directory. */
  Path path(String k, Path def) {
    String s = string(k, null);
    if (s == null) {
      return def;
    }
    try {
      return ctx.baseDir().resolve(s).normalize();
    } catch (java.nio.file.InvalidPathException e) {
      error(get(k), key(k), "`" + s + "` is not a valid path: " + e.getReason());
      return def;
    }
  }

  /** An absolute http or https URL. */
  URI url(String k, YamlNode n, String text) {
    try {
      URI u = new URI(text);
      if (!"http".equals(u.getScheme()) && !"https".equals(u.getScheme()) || u.getHost() == null) {
        error(n, k, "`" + text + "` is not an http or https URL with a host (e.g. http://127.0.0.1:9093)");
        return null;
      }
      return u;
    } catch (URISyntaxException e) {
      error(n, k, "`" + text + "` is not a URL: " + e.getReason());
      return null;
    }
  }

  URI url(String k) {
    YamlNode n = get(k);
    String s = string(k, null);
    return s == null ? null : url(key(k), n, s);
  }

  /** A list of strings; a single value is also accepted as a list of one. */
  List<String> strings(String k) {
    YamlNode n = get(k);
    List<String> out = new ArrayList<>();
    if (n == null) {
      return out;
    }
    if (n.kind() == YamlNode.Kind.SCALAR) {
      String s = text(n, key(k));
      if (s != null) {
        out.add(s);
      }
      return out;
    }
    if (n.kind() != YamlNode.Kind.LIST) {
      error(n, key(k), "expected a list of values, found " + n.describe());
      return out;
    }
    for (int i = 0; i < n.items().size(); i++) {
      String s = text(n.items().get(i), key(k) + "[" + i + "]");
      if (s != null) {
        out.add(s);
      }
    }
    return out;
  }

  /** A map of names to strings (e.g. per-rule severities), in the order written; empty when absent. */
  Map<String, String> stringMap(String k) {
    YamlNode n = get(k);
    Map<String, String> out = new java.util.LinkedHashMap<>();
    if (n == null) {
      return out;
    }
    if (n.kind() != YamlNode.Kind.MAP) {
      error(n, key(k), "expected a map of names to values, found " + n.describe());
      return out;
    }
    for (Map.Entry<String, YamlNode> e : n.entries().entrySet()) {
      String v = text(e.getValue(), key(k) + "." + e.getKey());
      if (v != null) {
        out.put(e.getKey(), v);
      }
    }
    return out;
  }

  /** A nested map, or null when the key is absent. */
  MapReader map(String k) {
    YamlNode n = get(k);
    if (n == null) {
      return null;
    }
    if (n.kind() != YamlNode.Kind.MAP) {
      error(n, key(k), "expected a map of settings, found " + n.describe());
      return null;
    }
    return new MapReader(ctx, n, key(k));
  }

  /** A list of maps (e.g. several file sources); a single map is a list of one. */
  List<MapReader> maps(String k) {
    YamlNode n = get(k);
    List<MapReader> out = new ArrayList<>();
    if (n == null) {
      return out;
    }
    if (n.kind() == YamlNode.Kind.MAP) {
      out.add(new MapReader(ctx, n, key(k)));
      return out;
    }
    if (n.kind() != YamlNode.Kind.LIST) {
      error(n, key(k), "expected a list of maps, found " + n.describe());
      return out;
    }
    for (int i = 0; i < n.items().size(); i++) {
      YamlNode item = n.items().get(i);
      if (item.kind() != YamlNode.Kind.MAP) {
        error(item, key(k) + "[" + i + "]", "expected a map of settings, found " + item.describe());
      } else {
        out.add(new MapReader(ctx, item, key(k) + "[" + i + "]"));
      }
    }
    return out;
  }

  /** Reports every key of this map that no accessor asked for. */
  void finish() {
    for (Map.Entry<String, YamlNode> e : node.entries().entrySet()) {
      if (known.contains(e.getKey())) {
        continue;
      }
      String suggestion = Suggestions.closest(e.getKey(), known);
      error(node.keyNode(e.getKey()), key(e.getKey()), "unknown key"
          + (suggestion != null ? " (did you mean `" + suggestion + "`?)" : "")
          + "; allowed here: " + String.join(", ", known));
    }
  }
}
