package io.specwatch.alert;

import java.util.ArrayList;
import java.util.List;

/** Keeps what it is given, in order: the stand-in destination for unit tests of one class. */
public final class RecordingSink implements AlertSink {
  public final List<Alert> published = new ArrayList<>();

  @Override
  public synchronized void publish(Alert alert) {
    published.add(alert);
  }

  public synchronized List<Alert> takeAll() {
    List<Alert> all = List.copyOf(published);
    published.clear();
    return all;
  }

  @Override
  public List<SinkStatus> status() {
    return List.of();
  }

  @Override
  public void close() {}
}
