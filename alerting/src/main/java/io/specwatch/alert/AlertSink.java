package io.specwatch.alert;

import java.util.List;

/**
 * A destination for alerts: Alertmanager, a webhook, a Kafka topic, a JSONL file. {@link #publish}
 * never blocks and never throws: each sink queues what it is given, delivers it on its own
 * thread with retries, and counts what it could not deliver ({@link #status()}).
 */
public interface AlertSink extends AutoCloseable {
  /** Queues one alert (firing, or resolved when {@link Alert#endsAt()} is set). */
  void publish(Alert alert);

  /** The delivery counters of this sink; one entry per destination (e.g. per Alertmanager). */
  List<SinkStatus> status();

  /** Delivers what is queued, within the sink's close timeout, then stops; counts the rest as dropped. */
  @Override
  void close();

  /** A sink that hands each alert to several sinks. */
  static AlertSink fanOut(List<? extends AlertSink> sinks) {
    List<AlertSink> all = List.copyOf(sinks);
    return new AlertSink() {
      @Override
      public void publish(Alert alert) {
        for (AlertSink s : all) {
          s.publish(alert);
        }
      }

      @Override
      public List<SinkStatus> status() {
        return all.stream().flatMap(s -> s.status().stream()).toList();
      }

      @Override
      public void close() {
        for (AlertSink s : all) {
          s.close();
        }
      }
    };
  }
}
