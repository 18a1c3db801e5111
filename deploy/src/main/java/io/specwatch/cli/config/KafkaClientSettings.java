package io.specwatch.cli.config;

import io.specwatch.spec.check.Suggestions;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigException;

/**
 * Checks Kafka client properties against the clients' own definitions when the file is read,
 * so that {@code specwatch config check} catches what the clients would refuse at start (or, for
 * a misspelt key, silently ignore: a {@code sasl.jaas.confg} would leave the client without
 * credentials).
 *
 * <p>A key no client defines is an error only when it is one typo away from a key one does;
 * otherwise it is taken for a plugin's own setting (interceptors, callback handlers and config
 * providers read such keys) and passed on. Values are parsed as the clients parse them; a
 * refused value of a password-typed setting is reported without Kafka's message, which could
 * otherwise echo it.
 */
final class KafkaClientSettings {
  private static final List<ConfigDef> SOURCE_CLIENTS = List.of(ConsumerConfig.configDef(),
      ProducerConfig.configDef(), AdminClientConfig.configDef());
  private static final List<ConfigDef> SINK_CLIENTS = List.of(ProducerConfig.configDef());
  /** What the parse needs besides the user's properties; specwatch sets these itself. */
  private static final Map<String, String> REQUIRED = Map.of(
      "bootstrap.servers", "127.0.0.1:9092",
      "key.serializer", "org.apache.kafka.common.serialization.ByteArraySerializer",
      "value.serializer", "org.apache.kafka.common.serialization.ByteArraySerializer",
      "key.deserializer", "org.apache.kafka.common.serialization.ByteArrayDeserializer",
      "value.deserializer", "org.apache.kafka.common.serialization.ByteArrayDeserializer");

  private KafkaClientSettings() {}

  /** {@code sources.kafka.properties}: read by a consumer, producers and an admin client. */
  static void checkSource(MapReader k, Map<String, String> properties) {
    check(k, properties, SOURCE_CLIENTS);
  }

  /** {@code sinks.kafka.properties}: read by one producer. */
  static void checkSink(MapReader k, Map<String, String> properties) {
    check(k, properties, SINK_CLIENTS);
  }

  private static void check(MapReader k, Map<String, String> properties, List<ConfigDef> clients) {
    if (properties.isEmpty()) {
      return;
    }
    YamlNode node = k.get("properties");
    Set<String> known = new LinkedHashSet<>();
    clients.forEach(def -> known.addAll(def.names()));
    for (String key : properties.keySet()) {
      if (!known.contains(key)) {
        String near = Suggestions.closest(key, known);
        if (near != null) {
          k.error(node.keyNode(key), k.path() + ".properties." + key,
              "not a Kafka client setting (did you mean `" + near + "`?)");
        }
      }
    }
    Set<String> reported = new java.util.HashSet<>();
    for (ConfigDef def : clients) {
      Map<String, Object> props = new HashMap<>(REQUIRED);
      properties.forEach((key, value) -> {
        if (def.names().contains(key)) {
          props.put(key, value);
        }
      });
      try {
        def.parse(props);
      } catch (ConfigException e) {
        String key = settingNamed(e.getMessage(), properties.keySet());
        if (key == null) {
          if (reported.add(e.getMessage())) {
            k.error(node, k.path() + ".properties", "refused by the Kafka client: "
                + e.getMessage());
          }
          continue;
        }
        if (!reported.add(key)) {
          continue; // another client's definition reported the same key
        }
        ConfigDef.ConfigKey defined = def.configKeys().get(key);
        String why = defined != null && defined.type == ConfigDef.Type.PASSWORD
            ? "not a valid value (not shown: it is a password)" : e.getMessage();
        k.error(node.keyNode(key), k.path() + ".properties." + key, "refused by the Kafka client: "
            + why);
      }
    }
  }

  /** The user's key the client's message is about (longest match), or null. */
  private static String settingNamed(String message, Set<String> keys) {
    String best = null;
    for (String key : keys) {
      boolean named = message != null && message.contains(key);
      if (named && (best == null || key.length() > best.length())) {
        best = key;
      }
    }
    return best;
  }
}
