package io.specwatch.cli.config;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

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

  /** Violations as JSON records on a Kafka topic, keyed by entity key. */
  public record KafkaSink(String bootstrapServers, String topic) {}
}
