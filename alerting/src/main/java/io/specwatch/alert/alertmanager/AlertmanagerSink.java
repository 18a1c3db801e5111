package io.specwatch.alert.alertmanager;

import io.specwatch.alert.Alert;
import io.specwatch.alert.AlertSink;
import io.specwatch.alert.SinkStatus;
import java.net.URI;
import java.net.http.HttpClient;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Delivers alerts to Prometheus Alertmanager (API v2): every configured Alertmanager of an HA
 * cluster gets every alert, through its own {@link AlertmanagerSender}, so one that is down delays
 * no other. Firing alerts are re-posted every {@code resendInterval} with {@code endsAt} a
 * {@code firingValidFor} ahead; a resolved alert is posted once with its {@code endsAt} and
 * then forgotten.
 */
public final class AlertmanagerSink implements AlertSink {
  private final AlertmanagerConfig config;
  /** What fires now, by identity: the set that is re-posted. Guarded by {@code this}. */
  private final Map<String, Alert> firing = new LinkedHashMap<>();
  private final List<AlertmanagerSender> senders = new ArrayList<>();

  public AlertmanagerSink(AlertmanagerConfig config, Clock clock) {
    this.config = config;
    HttpClient http = HttpClient.newBuilder()
        .connectTimeout(config.requestTimeout())
        .version(HttpClient.Version.HTTP_1_1)
        .build();
    for (URI url : config.urls()) {
      AlertmanagerClient client = new AlertmanagerClient(url, http, config.requestTimeout(),
          config.firingValidFor(), clock);
      senders.add(new AlertmanagerSender(client, config.delivery(),
          config.resendInterval().toNanos(), this::firingNow));
    }
  }

  @Override
  public void publish(Alert alert) {
    synchronized (this) {
      if (alert.firing()) {
        firing.put(alert.fingerprint(), alert);
      } else {
        firing.remove(alert.fingerprint());
      }
    }
    for (AlertmanagerSender s : senders) {
      s.offer(alert);
    }
  }

  private synchronized Collection<Alert> firingNow() {
    return List.copyOf(firing.values());
  }

  /** Alerts firing now, as last published. */
  public synchronized int firingCount() {
    return firing.size();
  }

  @Override
  public List<SinkStatus> status() {
    return List.copyOf(senders);
  }

  /**
   * Delivers what is queued (within the close timeout) and stops. Firing alerts are not resolved:
   * a restarting specwatch re-posts them; a stopped one lets them expire at their {@code endsAt}.
   */
  @Override
  public void close() {
    long timeout = config.delivery().closeTimeout().toNanos();
    for (AlertmanagerSender s : senders) {
      s.startClosing(timeout);
    }
    try {
      for (AlertmanagerSender s : senders) {
        s.awaitClosed(config.delivery().closeTimeout().toMillis() + 1000);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
