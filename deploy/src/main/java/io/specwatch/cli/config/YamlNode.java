package io.specwatch.cli.config;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One node of a YAML document with where it starts in the file. Jackson's tree model drops
 * locations, and every configuration error must say {@code file:line:column}, so the loader builds
 * this small tree instead.
 */
public final class YamlNode {
  /** What a node holds. */
  public enum Kind { MAP, LIST, SCALAR, NULL }

  private final Kind kind;
  private final int line;
  private final int column;
  private final String scalar;
  private final Map<String, YamlNode> entries;
  private final List<YamlNode> items;
  private final Map<String, YamlNode> keys;

  private YamlNode(Kind kind, int line, int column, String scalar, Map<String, YamlNode> entries,
      List<YamlNode> items, Map<String, YamlNode> keys) {
    this.keys = keys;
    this.kind = kind;
    this.line = line;
    this.column = column;
    this.scalar = scalar;
    this.entries = entries;
    this.items = items;
  }

  static YamlNode scalar(String value, int line, int column) {
    return new YamlNode(Kind.SCALAR, line, column, value, Map.of(), List.of(), Map.of());
  }

  static YamlNode nullNode(int line, int column) {
    return new YamlNode(Kind.NULL, line, column, null, Map.of(), List.of(), Map.of());
  }

  static YamlNode map(LinkedHashMap<String, YamlNode> entries, Map<String, YamlNode> keys, int line,
      int column) {
    return new YamlNode(Kind.MAP, line, column, null, Collections.unmodifiableMap(entries), List.of(),
        Map.copyOf(keys));
  }

  static YamlNode list(List<YamlNode> items, int line, int column) {
    return new YamlNode(Kind.LIST, line, column, null, Map.of(), List.copyOf(items), Map.of());
  }

  public Kind kind() {
    return kind;
  }

  public int line() {
    return line;
  }

  public int column() {
    return column;
  }

  /** The text of a scalar, exactly as written (after quoting is removed); null otherwise. */
  public String scalar() {
    return scalar;
  }

  /** A map's entries in file order; empty for other kinds. */
  public Map<String, YamlNode> entries() {
    return entries;
  }

  /** Where each key of a map is written (a scalar node per key), for errors about the key itself. */
  public YamlNode keyNode(String key) {
    YamlNode k = keys.get(key);
    return k != null ? k : this;
  }

  public List<YamlNode> items() {
    return items;
  }

  /** How the node is described in an error: "a map", "a list", the scalar's text. */
  public String describe() {
    return switch (kind) {
      case MAP -> "a map";
      case LIST -> "a list";
      case NULL -> "nothing (null)";
      case SCALAR -> "`" + scalar + "`";
    };
  }
}
