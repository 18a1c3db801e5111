package io.specwatch.alert.webhook;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;

/**
 * A generic JSON webhook.
 *
 * @param url where to POST
 * @param hmacSecret when set, each request carries
 *     {@code X-Specwatch-Signature: sha256=<hex HMAC-SHA256 of the body>}; null for none
 * @param headers extra request headers (e.g. an Authorization token)
 * @param requestTimeout per request
 */
public record WebhookConfig(URI url, byte[] hmacSecret, Map<String, String> headers,
    Duration requestTimeout) {

  public WebhookConfig {
    if (url == null || url.getScheme() == null
        || !(url.getScheme().equals("http") || url.getScheme().equals("https")) || url.getHost() == null) {
      throw new IllegalArgumentException("a webhook URL must be http(s)://host..., was " + url);
    }
    if (hmacSecret != null && hmacSecret.length == 0) {
      throw new IllegalArgumentException("an HMAC secret must not be empty (leave it unset for no signature)");
    }
    hmacSecret = hmacSecret == null ? null : hmacSecret.clone();
    headers = Map.copyOf(headers);
    if (requestTimeout.isNegative() || requestTimeout.isZero()) {
      throw new IllegalArgumentException("requestTimeout must be positive, was " + requestTimeout);
    }
  }

  public static WebhookConfig of(URI url) {
    return new WebhookConfig(url, null, Map.of(), Duration.ofSeconds(10));
  }

  public WebhookConfig withSecret(String secret) {
    return new WebhookConfig(url, secret.getBytes(StandardCharsets.UTF_8), headers, requestTimeout);
  }
}
