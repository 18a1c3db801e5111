package io.specwatch.alert.alertmanager;

import io.specwatch.alert.delivery.DeliveryConfig;
import java.net.URI;
import java.time.Duration;
import java.util.List;

/**
 * Where and how to post to Alertmanager, checked when built.
 *
 * @param urls base URLs of every Alertmanager of an HA cluster (e.g. {@code http://am-0:9093});
 *     each gets every alert, as Alertmanager's HA design expects, through its own queue
 * @param resendInterval how often firing alerts are posted again; must be well under
 *     {@code firingValidFor}
 * @param firingValidFor the {@code endsAt} horizon of a firing alert: if specwatch stops re-posting
 *     it, Alertmanager resolves it this long after the last post
 * @param requestTimeout per HTTP request
 * @param delivery queue capacity (distinct alerts waiting per Alertmanager), batch size, backoff and
 *     close timeout; the linger is unused, since updates of one alert replace each other in the queue
 */
public record AlertmanagerConfig(List<URI> urls, Duration resendInterval, Duration firingValidFor,
    Duration requestTimeout, DeliveryConfig delivery) {

  public AlertmanagerConfig {
    urls = List.copyOf(urls);
    if (urls.isEmpty()) {
      throw new IllegalArgumentException("at least one Alertmanager URL is needed");
    }
    for (URI u : urls) {
      if (u.getScheme() == null || !(u.getScheme().equals("http") || u.getScheme().equals("https"))
          || u.getHost() == null) {
        throw new IllegalArgumentException("an Alertmanager URL must be http(s)://host[:port][/prefix], was " + u);
      }
    }
    if (resendInterval.isNegative() || resendInterval.isZero()) {
      throw new IllegalArgumentException("resendInterval must be positive, was " + resendInterval);
    }
    if (firingValidFor.compareTo(resendInterval.multipliedBy(2)) < 0) {
      throw new IllegalArgumentException("firingValidFor (" + firingValidFor
          + ") must be at least twice resendInterval (" + resendInterval
          + "), or alerts would flap resolved between re-posts");
    }
    if (requestTimeout.isNegative() || requestTimeout.isZero()) {
      throw new IllegalArgumentException("requestTimeout must be positive, was " + requestTimeout);
    }
  }

  /** Re-post every minute, valid for 4 minutes (Prometheus' habit), 10 s per request. */
  public static AlertmanagerConfig of(List<URI> urls) {
    return new AlertmanagerConfig(urls, Duration.ofMinutes(1), Duration.ofMinutes(4),
        Duration.ofSeconds(10), DeliveryConfig.defaults());
  }

  public AlertmanagerConfig withResend(Duration resendInterval, Duration firingValidFor) {
    return new AlertmanagerConfig(urls, resendInterval, firingValidFor, requestTimeout, delivery);
  }

  public AlertmanagerConfig withDelivery(DeliveryConfig delivery) {
    return new AlertmanagerConfig(urls, resendInterval, firingValidFor, requestTimeout, delivery);
  }
}
