package io.specwatch.cli.config;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/** Where violations go. With none configured, they go to standard output as JSON lines. */
public record SinksConfig(List<JsonlSink> jsonl, AlertmanagerSink alertmanager,
    List<WebhookSink> webhooks, KafkaSink kafka) {

  public SinksConfig {
    jsonl = List.copyOf(jsonl);
    webhooks = List.copyOf(webhooks);
  }

  /**
   * Violations as JSON lines, exactly as {@code specwatch check} prints them.
   *
   * @param path the file to append to, or null for standard output
   */
  public record JsonlSink(Path path) {
    public boolean stdout() {
      return path == null;
    }
  }

  /**
   * Alertmanager's API v2.
   *
   * @param resendInterval how often firing alerts are posted again (Alertmanager resolves an
   *     alert it has not heard of for its resolve_timeout)
   */
  public record AlertmanagerSink(List<URI> urls, Duration resendInterval, Duration timeout) {
    public AlertmanagerSink {
      urls = List.copyOf(urls);
    }
  }

  /** A generic webhook; with a secret, each body is signed with HMAC-SHA256. */
  public record WebhookSink(URI url, String hmacSecret) {
    @Override
    public String toString() {
      // Never print the secret into a log line.
      return "WebhookSink[url=" + url + ", hmacSecret=" + (hmacSecret == null ? "none" : "***") + "]";
    }
  }

  /**
   * Violations as JSON records on a Kafka topic, keyed by entity key.
   *
   * @param properties passed unchanged to the sink's producer (security.protocol, sasl.*,
   *     ssl.*); values may hold secrets, so {@link #toString()} shows the keys only
   */
  public record KafkaSink(String bootstrapServers, String topic, Map<String, String> properties) {
    public KafkaSink {
      properties = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(properties));
    }

    public KafkaSink(String bootstrapServers, String topic) {
      this(bootstrapServers, topic, Map.of());
    }

    /** Without the property values, which may be passwords. */
    @Override
    public String toString() {
      return "KafkaSink[bootstrapServers=" + bootstrapServers + ", topic=" + topic
          + ", properties=" + properties.keySet() + "]";
    }
  }
}
