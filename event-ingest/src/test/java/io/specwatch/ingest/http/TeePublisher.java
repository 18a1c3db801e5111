package io.specwatch.ingest.http;

import io.specwatch.core.DocumentPublisher;
import io.specwatch.core.Position;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/** Passes documents on and keeps a copy of each one that went in, with its position. */
final class TeePublisher implements DocumentPublisher {
  record Published(String json, Position position) {}

  private final DocumentPublisher next;
  private final List<Published> published = new ArrayList<>();

  TeePublisher(DocumentPublisher next) {
    this.next = next;
  }

  @Override
  public synchronized void publish(byte[] buf, int off, int len, Position pos) {
    next.publish(buf, off, len, pos);
    published.add(new Published(new String(buf, off, len, StandardCharsets.UTF_8), pos));
  }

  @Override
  public synchronized boolean tryPublish(byte[] buf, int off, int len, Position pos) {
    if (!next.tryPublish(buf, off, len, pos)) {
      return false;
    }
    published.add(new Published(new String(buf, off, len, StandardCharsets.UTF_8), pos));
    return true;
  }

  @Override
  public void publishRejected(Position pos, String reason) {
    next.publishRejected(pos, reason);
  }

  synchronized List<Published> published() {
    return List.copyOf(published);
  }
}
