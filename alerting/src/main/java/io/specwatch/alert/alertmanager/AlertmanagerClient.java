package io.specwatch.alert.alertmanager;

import io.specwatch.alert.Alert;
import io.specwatch.alert.delivery.AlertJson;
import io.specwatch.alert.delivery.DeliveryException;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.util.List;

/** {@code POST /api/v2/alerts} to one Alertmanager. Stateless apart from the HTTP client. */
final class AlertmanagerClient {
  private final URI endpoint;
  private final HttpClient http;
  private final Duration requestTimeout;
  private final Duration firingValidFor;
  private final Clock clock;

  AlertmanagerClient(URI base, HttpClient http, Duration requestTimeout, Duration firingValidFor,
      Clock clock) {
    String b = base.toString();
    this.endpoint = URI.create((b.endsWith("/") ? b.substring(0, b.length() - 1) : b) + "/api/v2/alerts");
    this.http = http;
    this.requestTimeout = requestTimeout;
    this.firingValidFor = firingValidFor;
    this.clock = clock;
  }

  /** Posts the batch; endsAt of firing alerts is computed now, at sending, not when queued. */
  void post(List<Alert> batch) throws DeliveryException, InterruptedException {
    String body = AlertJson.alertmanagerBatch(batch, clock.instant(), firingValidFor).toString();
    HttpRequest req = HttpRequest.newBuilder(endpoint)
        .timeout(requestTimeout)
        .header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(body))
        .build();
    HttpResponse<String> resp;
    try {
      resp = http.send(req, HttpResponse.BodyHandlers.ofString());
    } catch (IOException e) {
      throw DeliveryException.retriable("POST " + endpoint + " failed: " + e, e);
    }
    int status = resp.statusCode();
    if (status / 100 == 2) {
      return;
    }
    String detail = "POST " + endpoint + " answered " + status + ": " + abbreviate(resp.body());
    // 400 and 422 mean the alerts themselves are invalid: sending them again cannot succeed.
    if (status == 400 || status == 422) {
      throw DeliveryException.rejected(detail);
    }
    throw DeliveryException.retriable(detail, null);
  }

  URI endpoint() {
    return endpoint;
  }

  private static String abbreviate(String s) {
    return s == null ? "" : s.length() <= 300 ? s.strip() : s.substring(0, 300) + "...";
  }
}
