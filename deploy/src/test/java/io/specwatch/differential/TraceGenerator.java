package io.specwatch.differential;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.regex.Pattern;

/**
 * Random JSONL traces made from a spec's own example documents, so that they match its event
 * declarations, share its keys and ids, and reach deep into its state machines.
 *
 * <p>Each line is an example document with its scalars re-drawn: a string from the few values
 * the examples hold under the same member name (so keys collide and instances live long), an
 * integer from the examples' values or an edge (0, negative, the 64-bit extremes), and times
 * from a clock that mostly moves forward, sometimes jumps hours (deadline expiries, forgetting)
 * and sometimes goes back (late documents). Invalid input is mixed in: members dropped, replaced
 * by another JSON type or repeated, truncated lines, non-objects, exact and near duplicates.
 * Everything is drawn from one seeded {@link Random}: a seed reproduces its trace.
 */
final class TraceGenerator {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Pattern RFC3339 = Pattern.compile("^\\d{4}-\\d\\d-\\d\\dT.*");
  /** Integers in this range are taken for epoch milliseconds (2001 to 2286). */
  private static final long EPOCH_MS_MIN = 1_000_000_000_000L;
  private static final long EPOCH_MS_MAX = 9_999_999_999_999L;
  private static final int POOL_SIZE = 6;

  private final List<ObjectNode> corpus = new ArrayList<>();
  private final Map<String, List<String>> stringPool = new HashMap<>();
  private final Map<String, List<Long>> intPool = new HashMap<>();
  private final long startTime;

  TraceGenerator(List<String> exampleLines) throws IOException {
    long earliest = Long.MAX_VALUE;
    for (String line : exampleLines) {
      JsonNode n;
      try {
        n = JSON.readTree(line);
      } catch (IOException e) {
        continue; // the examples hold malformed lines on purpose
      }
      if (n instanceof ObjectNode o) {
        corpus.add(o);
        earliest = Math.min(earliest, collect(o));
      }
    }
    if (corpus.isEmpty()) {
      throw new IllegalArgumentException("no JSON object among the example lines");
    }
    this.startTime = earliest == Long.MAX_VALUE ? 1_772_442_000_000L : earliest;
  }

  /** Records the values under each member name; returns the earliest time seen. */
  private long collect(JsonNode node) {
    long earliest = Long.MAX_VALUE;
    Iterator<Map.Entry<String, JsonNode>> it = node.fields();
    while (it.hasNext()) {
      Map.Entry<String, JsonNode> e = it.next();
      earliest = Math.min(earliest, collectValue(e.getKey(), e.getValue()));
    }
    return earliest;
  }

  private long collectValue(String name, JsonNode v) {
    if (v.isObject()) {
      return collect(v);
    }
    if (v.isArray()) {
      long earliest = Long.MAX_VALUE;
      for (JsonNode c : v) {
        earliest = Math.min(earliest, collectValue(name, c));
      }
      return earliest;
    }
    if (v.isTextual()) {
      if (RFC3339.matcher(v.asText()).matches()) {
        try {
          return java.time.OffsetDateTime.parse(v.asText()).toInstant().toEpochMilli();
        } catch (RuntimeException e) {
          return Long.MAX_VALUE;
        }
      }
      addToPool(stringPool, name, v.asText());
    } else if (v.isIntegralNumber() && v.canConvertToLong()) {
      long x = v.asLong();
      if (x >= EPOCH_MS_MIN && x <= EPOCH_MS_MAX) {
        return x;
      }
      addToPool(intPool, name, x);
    }
    return Long.MAX_VALUE;
  }

  private static <T> void addToPool(Map<String, List<T>> pools, String name, T value) {
    List<T> pool = pools.computeIfAbsent(name, k -> new ArrayList<>());
    if (pool.size() < POOL_SIZE && !pool.contains(value)) {
      pool.add(value);
    }
  }

  /** One trace of {@code length} lines (some may be blank-free garbage), drawn from {@code rnd}. */
  List<String> trace(Random rnd, int length) {
    Clock clock = new Clock(startTime);
    List<String> out = new ArrayList<>(length);
    for (int i = 0; i < length; i++) {
      int fault = rnd.nextInt(100);
      if (fault < 6 && !out.isEmpty()) {
        out.add(out.get(rnd.nextInt(out.size()))); // an exact duplicate, maybe much later
        continue;
      }
      ObjectNode doc = corpus.get(rnd.nextInt(corpus.size())).deepCopy();
      clock.tick(rnd);
      mutateObject(doc, rnd, clock, rnd.nextInt(4) == 0 ? 0.05 : 0.35);
      String line = doc.toString();
      if (fault < 9) {
        line = line.substring(0, rnd.nextInt(Math.max(1, line.length()))); // torn line
      } else if (fault < 10) {
        line = rnd.nextBoolean() ? "[" + line + "]" : "42";
      } else if (fault < 13) {
        line = repeatMember(doc, rnd);
      }
      out.add(line);
    }
    return out;
  }

  /** The document with one of its members written twice, with another value the second time. */
  private String repeatMember(ObjectNode doc, Random rnd) {
    List<String> names = new ArrayList<>();
    doc.fieldNames().forEachRemaining(names::add);
    if (names.isEmpty()) {
      return doc.toString();
    }
    String name = names.get(rnd.nextInt(names.size()));
    JsonNode other = corpus.get(rnd.nextInt(corpus.size())).get(name);
    String text = doc.toString();
    String extra = JSON.getNodeFactory().textNode(name).toString() + ":"
        + (other == null ? "null" : other.toString());
    return rnd.nextBoolean() ? "{" + extra + "," + text.substring(1) : text.substring(0, text.length() - 1) + "," + extra + "}";
  }

  private void mutateObject(ObjectNode obj, Random rnd, Clock clock, double rate) {
    List<String> names = new ArrayList<>();
    obj.fieldNames().forEachRemaining(names::add);
    for (String name : names) {
      JsonNode v = obj.get(name);
      if (rnd.nextInt(100) < 3) {
        obj.remove(name); // a missing member
        continue;
      }
      if (rnd.nextInt(100) < 2) {
        obj.set(name, otherType(rnd));
        continue;
      }
      if (v.isObject()) {
        mutateObject((ObjectNode) v, rnd, clock, rate);
      } else if (v.isArray()) {
        ArrayNode a = (ArrayNode) v;
        for (int i = 0; i < a.size(); i++) {
          if (a.get(i).isObject()) {
            mutateObject((ObjectNode) a.get(i), rnd, clock, rate);
          } else {
            a.set(i, scalar(name, a.get(i), rnd, clock, rate));
          }
        }
      } else {
        obj.set(name, scalar(name, v, rnd, clock, rate));
      }
    }
  }

  private JsonNode scalar(String name, JsonNode v, Random rnd, Clock clock, double rate) {
    JsonNodeFactory f = JSON.getNodeFactory();
    if (v.isTextual() && RFC3339.matcher(v.asText()).matches()) {
      long t = clock.draw(rnd);
      return rnd.nextInt(8) == 0
          ? f.textNode(Instant.ofEpochMilli(t).atOffset(ZoneOffset.ofHoursMinutes(5, 30)).toString())
          : f.textNode(Instant.ofEpochMilli(t).toString());
    }
    if (v.isIntegralNumber() && v.canConvertToLong() && v.asLong() >= EPOCH_MS_MIN
        && v.asLong() <= EPOCH_MS_MAX) {
      return f.numberNode(clock.draw(rnd));
    }
    if (rnd.nextDouble() >= rate) {
      return v;
    }
    if (v.isTextual()) {
      List<String> pool = stringPool.get(name);
      if (pool != null && rnd.nextInt(10) != 0) {
        return f.textNode(pool.get(rnd.nextInt(pool.size())));
      }
      return f.textNode(rnd.nextBoolean() ? "x" + rnd.nextInt(3) : "\u00e9\ud83d\ude00" + rnd.nextInt(3));
    }
    if (v.isIntegralNumber()) {
      List<Long> pool = intPool.get(name);
      int pick = rnd.nextInt(10);
      if (pool != null && pick < 6) {
        return f.numberNode(pool.get(rnd.nextInt(pool.size())));
      }
      return switch (pick) {
        case 6 -> f.numberNode(rnd.nextInt(2000) - 100);
        case 7 -> f.numberNode(rnd.nextBoolean() ? Long.MAX_VALUE : Long.MIN_VALUE);
        case 8 -> f.numberNode(0);
        default -> f.numberNode(rnd.nextInt(5));
      };
    }
    if (v.isBoolean()) {
      return f.booleanNode(rnd.nextBoolean());
    }
    return v;
  }

  private static JsonNode otherType(Random rnd) {
    JsonNodeFactory f = JSON.getNodeFactory();
    return switch (rnd.nextInt(6)) {
      case 0 -> f.nullNode();
      case 1 -> f.booleanNode(true);
      case 2 -> f.numberNode(1.5);
      case 3 -> f.objectNode();
      case 4 -> f.arrayNode().add(1);
      default -> f.textNode("17");
    };
  }

  /** Event time of a trace: mostly forward, sometimes far forward, sometimes back. */
  private static final class Clock {
    private long now;

    Clock(long start) {
      this.now = start;
    }

    void tick(Random rnd) {
      int r = rnd.nextInt(100);
      if (r < 70) {
        now += rnd.nextInt(60_000);
      } else if (r < 85) {
        now += 60_000L * (1 + rnd.nextInt(180)); // up to 3 hours: deadlines, dedupe windows
      } else if (r < 87) {
        now += 86_400_000L * (1 + rnd.nextInt(9)); // days: ended instances are forgotten
      }
    }

    long draw(Random rnd) {
      int r = rnd.nextInt(100);
      if (r < 80) {
        return now;
      }
      if (r < 95) {
        return now - rnd.nextInt(600_000); // late, within lateness or beyond
      }
      return now + rnd.nextInt(3_600_000);
    }
  }

  static byte[] utf8(String line) {
    return line.getBytes(StandardCharsets.UTF_8);
  }
}
