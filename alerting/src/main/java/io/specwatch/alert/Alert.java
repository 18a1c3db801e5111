package io.specwatch.alert;

import java.time.Instant;
import java.util.Collections;
import java.util.Objects;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * One alert as people see it in Alertmanager, Grafana or a chat room: labels that identify it,
 * annotations that explain it, and when it started and (once resolved) ended. The label set is the
 * alert's identity, as in Alertmanager: publishing an alert with the same labels again updates it.
 *
 * @param labels identity: {@code alertname} (the rule), {@code spec}, {@code kind},
 *     {@code entity}, {@code severity}, and {@code key} (one instance) or {@code grouped} (many)
 * @param annotations explanation: {@code summary}, {@code description} and the evidence members
 * @param startsAt wall-clock time the alert started firing
 * @param endsAt wall-clock time it resolved; null while it fires
 * @param generatorUrl a link back to specwatch (its admin endpoint), or null
 * @param violationJson the contract's JSON line of the latest violation behind it, or null (groups)
 */
public record Alert(SortedMap<String, String> labels, SortedMap<String, String> annotations,
    Instant startsAt, Instant endsAt, String generatorUrl, String violationJson) {

  public Alert {
    Objects.requireNonNull(startsAt, "startsAt");
    if (labels.isEmpty()) {
      throw new IllegalArgumentException("an alert needs at least one label");
    }
    labels = Collections.unmodifiableSortedMap(new TreeMap<>(labels));
    annotations = Collections.unmodifiableSortedMap(new TreeMap<>(annotations));
  }

  public boolean firing() {
    return endsAt == null;
  }

  /** The identity used to coalesce updates of one alert: its labels in sorted order. */
  public String fingerprint() {
    return labels.toString();
  }

  /** This alert, resolved at {@code time}. */
  public Alert resolvedAt(Instant time) {
    return new Alert(labels, annotations, startsAt, time, generatorUrl, violationJson);
  }

  public String label(String name) {
    return labels.get(name);
  }

  public String annotation(String name) {
    return annotations.get(name);
  }
}
