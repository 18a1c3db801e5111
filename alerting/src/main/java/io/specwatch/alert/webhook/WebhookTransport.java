package io.specwatch.alert.webhook;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.specwatch.alert.Alert;
import io.specwatch.alert.delivery.AlertJson;
import io.specwatch.alert.delivery.AlertTransport;
import io.specwatch.alert.delivery.DeliveryException;
import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * Posts batches of alerts as one JSON object, {@code {"version":"1","alerts":[...]}}, each alert
 * in {@link AlertJson#event} form (status, labels, annotations, times, the violation). Signed
 * with {@link HmacSignature} when a secret is configured. 2xx is success; 4xx other than 408 and
 * 429 rejects the batch (retrying cannot help); anything else is retried.
 */
public final class WebhookTransport implements AlertTransport {
  private final WebhookConfig config;
  private final HttpClient http;

  public WebhookTransport(WebhookConfig config) {
    this.config = config;
    this.http = HttpClient.newBuilder().connectTimeout(config.requestTimeout())
        .version(HttpClient.Version.HTTP_1_1).build();
  }

  @Override
  public String name() {
    return "webhook-" + config.url().getAuthority();
  }

  /** The request body for one batch. */
  public static byte[] body(List<Alert> batch) {
    ObjectNode root = AlertJson.MAPPER.createObjectNode();
    root.put("version", "1");
    ArrayNode alerts = root.putArray("alerts");
    for (Alert a : batch) {
      alerts.add(AlertJson.event(a));
    }
    return root.toString().getBytes(StandardCharsets.UTF_8);
  }

  @Override
  public void send(List<Alert> batch) throws DeliveryException {
    byte[] body = body(batch);
    HttpRequest.Builder req = HttpRequest.newBuilder(config.url())
        .timeout(config.requestTimeout())
        .header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofByteArray(body));
    config.headers().forEach(req::header);
    if (config.hmacSecret() != null) {
      req.header(HmacSignature.HEADER, HmacSignature.sign(config.hmacSecret(), body));
    }
    HttpResponse<String> resp;
    try {
      resp = http.send(req.build(), HttpResponse.BodyHandlers.ofString());
    } catch (IOException e) {
      throw DeliveryException.retriable("POST " + config.url() + " failed: " + e, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw DeliveryException.retriable("interrupted while posting to " + config.url(), e);
    }
    int status = resp.statusCode();
    if (status / 100 == 2) {
      return;
    }
    String detail = "POST " + config.url() + " answered " + status;
    if (status / 100 == 4 && status != 408 && status != 429) {
      throw DeliveryException.rejected(detail);
    }
    throw DeliveryException.retriable(detail, null);
  }
}
