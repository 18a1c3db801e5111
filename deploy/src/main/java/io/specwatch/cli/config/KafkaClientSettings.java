package io.specwatch.cli.config;

import io.specwatch.ingest.kafka.SecretText;
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
 * <p>A key no client defines is an error only when it is a near miss (one or two edits) of a key
 * one does;
 * otherwise it is taken for a plugin's own setting (interceptors, callback handlers and config
 * providers read such keys) and passed on. Each value is parsed as the clients parse it; a
 * refused one is reported with Kafka's reason, the values of secret settings hidden in it
 * ({@link SecretText}).
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

  private static void check(MapReader k, Map<String, String> properties,
      List<ConfigDef> clients) {
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
    // `${provider:path:key}` references are resolved by the clients themselves when
    // config.providers is set: their text is not the value, so it is not checked.
    boolean providers = properties.containsKey("config.providers");
    for (Map.Entry<String, String> e : properties.entrySet()) {
      String key = e.getKey();
      if (providers && e.getValue().contains("${")) {
        continue;
      }
      for (ConfigDef def : clients) {
        ConfigDef.ConfigKey defined = def.configKeys().get(key);
        if (defined == null) {
          continue;
        }
        Map<String, Object> one = new HashMap<>(REQUIRED);
        one.put(key, e.getValue());
        try {
          def.parse(one);
        } catch (ConfigException refused) {
          String why = defined.type == ConfigDef.Type.PASSWORD
              ? "not a valid value (not shown: it is a password)"
              : SecretText.redact(refused.getMessage(), properties);
          k.error(node.keyNode(key), k.path() + ".properties." + key,
              "refused by the Kafka client: " + why);
          break; // one message per key, whichever client defines it first
        }
      }
    }
    idempotentProducer(k, node, properties);
  }

  /**
   * What the clients check across keys only when a producer is built: specwatch's producers are
   * idempotent (the source's transactional), which needs at most 5 requests in flight and
   * retries above 0. Left to the producer, these would surface as a member failing at every
   * start.
   */
  private static void idempotentProducer(MapReader k, YamlNode node,
      Map<String, String> properties) {
    String inFlight = properties.get("max.in.flight.requests.per.connection");
    if (inFlight != null && wholeNumber(inFlight) > 5) {
      k.error(node.keyNode("max.in.flight.requests.per.connection"),
          k.path() + ".properties.max.in.flight.requests.per.connection",
          "at most 5: specwatch's producers are idempotent");
    }
    String retries = properties.get("retries");
    if (retries != null && wholeNumber(retries) == 0) {
      k.error(node.keyNode("retries"), k.path() + ".properties.retries",
          "must be above 0: specwatch's producers are idempotent");
    }
  }

  /** The number, or -1 when it is not one (the per-key check reports that). */
  private static long wholeNumber(String text) {
    try {
      return Long.parseLong(text.trim());
    } catch (NumberFormatException e) {
      return -1;
    }
  }

}
