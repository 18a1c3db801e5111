package io.specwatch.cli.run;

import io.specwatch.alert.AlertSink;
import io.specwatch.alert.delivery.DeliveryConfig;
import io.specwatch.alert.delivery.DeliveryQueue;
import io.specwatch.alert.webhook.WebhookConfig;
import io.specwatch.alert.webhook.WebhookTransport;
import io.specwatch.alert.AlertTracker;
import io.specwatch.alert.SinkStatus;
import io.specwatch.alert.alertmanager.AlertmanagerConfig;
import io.specwatch.alert.alertmanager.AlertmanagerSink;
import io.specwatch.alert.kafka.KafkaViolationSink;
import io.specwatch.cli.config.DaemonConfig;
import io.specwatch.cli.config.SinksConfig;
import io.specwatch.core.Violation;
import io.specwatch.core.ViolationSink;
import io.specwatch.core.program.Program;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The sinks of the alerting module, as configured: violations become alerts (alerting's
 * {@link AlertTracker}: identity, grouping, resolution) posted to Alertmanager and to webhooks
 * (HMAC-signed when a secret is set), and, for
 * violations of non-Kafka sources, records on the Kafka violations topic. Each of these queues
 * and retries on its own thread, so {@link #accept} never blocks the monitor thread for long.
 */
final class AlertRouting implements ViolationSink, AutoCloseable {
  private AlertTracker tracker;
  private AlertSink alertSinks;
  private KafkaViolationSink kafka;

  /**
   * @throws org.apache.kafka.common.KafkaException when the Kafka sink's producer refuses its
   *     settings; thrown before any other sink has started a thread
   */
  AlertRouting(DaemonConfig config, List<Program> programs) {
    SinksConfig.KafkaSink k = config.sinks().kafka();
    if (k != null) {
      kafka = new KafkaViolationSink(k.bootstrapServers(), k.topic(), k.properties());
    }
    try {
      startAlertSinks(config, programs);
    } catch (RuntimeException e) {
      if (kafka != null) {
        kafka.close(); // its producer and thread, which nobody else would close
      }
      throw e;
    }
  }

  private void startAlertSinks(DaemonConfig config, List<Program> programs) {
    List<AlertSink> destinations = new ArrayList<>();
    SinksConfig.AlertmanagerSink am = config.sinks().alertmanager();
    if (am != null) {
      Duration resend = am.resendInterval();
      AlertmanagerConfig c = AlertmanagerConfig.of(am.urls()).withResend(resend, resend.multipliedBy(4));
      destinations.add(new AlertmanagerSink(new AlertmanagerConfig(c.urls(), c.resendInterval(),
          c.firingValidFor(), am.timeout(), c.delivery()), Clock.systemUTC()));
    }
    for (SinksConfig.WebhookSink w : config.sinks().webhooks()) {
      WebhookConfig c = WebhookConfig.of(w.url());
      destinations.add(new DeliveryQueue(new WebhookTransport(w.hmacSecret() == null ? c : c.withSecret(w.hmacSecret())),
          DeliveryConfig.defaults()));
    }
    if (!destinations.isEmpty()) {
      alertSinks = AlertSink.fanOut(destinations);
      tracker = AlertTracker.forPrograms(programs, config.alerts(), alertSinks, Clock.systemUTC());
      tracker.startTicking(Duration.ofSeconds(5));
    }
  }

  /** Alerts only: for violations already written to Kafka by the Kafka source's transactions. */
  ViolationSink alertsOnly() {
    return new ViolationSink() {
      @Override
      public void accept(Violation v) {
        if (tracker != null) {
          tracker.accept(v);
        }
      }

      @Override
      public void invariantHolds(String spec, String rule, String entity, String key,
          io.specwatch.core.Position pos, long time) {
        AlertRouting.this.invariantHolds(spec, rule, entity, key, pos, time);
      }
    };
  }

  /** Resolves the invariant's alert at once (alerting's tracker decides what that means). */
  @Override
  public void invariantHolds(String spec, String rule, String entity, String key,
      io.specwatch.core.Position pos, long time) {
    if (tracker != null) {
      tracker.invariantHolds(spec, rule, entity, key, pos, time);
    }
  }

  /** Everything configured: alerts, and the Kafka topic (for violations of other sources). */
  @Override
  public void accept(Violation v) {
    if (tracker != null) {
      tracker.accept(v);
    }
    if (kafka != null) {
      kafka.accept(v);
    }
  }

  /**
   * Every delivery destination, for the per-sink meters: the alert sinks' queues and the Kafka
   * violation sink; empty when none is configured.
   */
  List<SinkStatus> status() {
    List<SinkStatus> all = new ArrayList<>(alertSinks == null ? List.of() : alertSinks.status());
    if (kafka != null) {
      all.add(kafka);
    }
    return all;
  }

  /** After a spec reload: alerts from now on take their texts from the new specs. */
  void reloadSpecs(List<Program> programs) {
    if (tracker != null) {
      tracker.reloadSpecs(programs);
    }
  }

  /** The tracker, or null when no alert sink is configured. */
  AlertTracker tracker() {
    return tracker;
  }

  boolean any() {
    return tracker != null || kafka != null;
  }

  @Override
  public void close() {
    if (tracker != null) {
      tracker.close();
    }
    if (alertSinks != null) {
      alertSinks.close();
    }
    if (kafka != null) {
      kafka.close();
    }
  }
}
