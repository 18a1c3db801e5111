package io.specwatch.cli.config;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;

/**
 * Reads YAML text into {@link YamlNode}s with Jackson's streaming YAML parser, keeping each node's
 * line and column. Duplicate keys are errors (YAML forbids them; silently taking the last would
 * hide a mistake in a file an operator edits by hand).
 */
final class YamlLoader {
  private static final YAMLFactory YAML = YAMLFactory.builder().build();

  private final String file;
  private final List<ConfigError> errors;

  YamlLoader(String file, List<ConfigError> errors) {
    this.file = file;
    this.errors = errors;
  }

  /** The document's root, or null (with an error added) when the text is not valid YAML. */
  YamlNode load(String text) {
    try (JsonParser p = YAML.createParser(text)) {
      JsonToken t = p.nextToken();
      if (t == null) {
        return YamlNode.nullNode(1, 1);
      }
      return node(p, t, "");
    } catch (JsonProcessingException e) {
      JsonLocation at = e.getLocation();
      errors.add(new ConfigError(file, at != null ? at.getLineNr() : 1,
          at != null ? at.getColumnNr() : 1, "", "not valid YAML: " + e.getOriginalMessage()));
      return null;
    } catch (IOException e) {
      errors.add(new ConfigError(file, 1, 1, "", "cannot read: " + e.getMessage()));
      return null;
    }
  }

  private YamlNode node(JsonParser p, JsonToken t, String path) throws IOException {
    JsonLocation at = p.currentTokenLocation();
    int line = at.getLineNr();
    int column = at.getColumnNr();
    switch (t) {
      case START_OBJECT: {
        LinkedHashMap<String, YamlNode> entries = new LinkedHashMap<>();
        java.util.Map<String, YamlNode> keys = new java.util.HashMap<>();
        while ((t = p.nextToken()) == JsonToken.FIELD_NAME) {
          String key = p.currentName();
          JsonLocation keyAt = p.currentTokenLocation();
          String childPath = path.isEmpty() ? key : path + "." + key;
          YamlNode child = node(p, p.nextToken(), childPath);
          if (entries.containsKey(key)) {
            errors.add(new ConfigError(file, keyAt.getLineNr(), keyAt.getColumnNr(), childPath,
                "duplicate key (first at line " + entries.get(key).line() + ")"));
          } else {
            entries.put(key, child);
            keys.put(key, YamlNode.scalar(key, keyAt.getLineNr(), keyAt.getColumnNr()));
          }
        }
        return YamlNode.map(entries, keys, line, column);
      }
      case START_ARRAY: {
        List<YamlNode> items = new ArrayList<>();
        int i = 0;
        while ((t = p.nextToken()) != JsonToken.END_ARRAY) {
          items.add(node(p, t, path + "[" + i++ + "]"));
        }
        return YamlNode.list(items, line, column);
      }
      case VALUE_NULL:
        return YamlNode.nullNode(line, column);
      default:
        // Numbers and booleans keep their text: the reader decides what a key allows.
        return YamlNode.scalar(p.getText(), line, column);
    }
  }
}
