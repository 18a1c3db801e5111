package io.specwatch.alert.jsonl;

import io.specwatch.alert.Alert;
import io.specwatch.alert.delivery.AlertJson;
import io.specwatch.alert.delivery.AlertTransport;
import io.specwatch.alert.delivery.DeliveryException;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;

/**
 * Appends alerts as JSON lines ({@link AlertJson#event} form) to a file or a stream such as
 * stdout, flushing after each batch. The {@code check} contract's violation lines are
 * {@link JsonlViolationWriter}'s; this is the alert stream of a running monitor.
 */
public final class JsonlAlertTransport implements AlertTransport {
  private final String name;
  private final OutputStream out;
  private final boolean owned;

  private JsonlAlertTransport(String name, OutputStream out, boolean owned) {
    this.name = name;
    this.out = out;
    this.owned = owned;
  }

  /** Appends to {@code file}, creating it; the transport closes it. */
  public static JsonlAlertTransport toFile(Path file) throws IOException {
    return new JsonlAlertTransport("jsonl-" + file.getFileName(), Files.newOutputStream(file,
        StandardOpenOption.CREATE, StandardOpenOption.APPEND, StandardOpenOption.WRITE), true);
  }

  /** Writes to a stream it does not own (e.g. System.out), never closing it. */
  public static JsonlAlertTransport toStream(String name, OutputStream out) {
    return new JsonlAlertTransport(name, out, false);
  }

  @Override
  public String name() {
    return name;
  }

  @Override
  public void send(List<Alert> batch) throws DeliveryException {
    StringBuilder sb = new StringBuilder(512 * batch.size());
    for (Alert a : batch) {
      sb.append(AlertJson.event(a)).append('\n');
    }
    try {
      out.write(sb.toString().getBytes(StandardCharsets.UTF_8));
      out.flush();
    } catch (IOException e) {
      // A full disk may recover: retried. (A partly written batch may then repeat some lines.)
      throw DeliveryException.retriable("cannot write alerts to " + name + ": " + e.getMessage(), e);
    }
  }

  @Override
  public void close() {
    if (owned) {
      try {
        out.close();
      } catch (IOException e) {
        java.util.logging.Logger.getLogger(JsonlAlertTransport.class.getName())
            .warning("closing " + name + " failed: " + e.getMessage());
      }
    }
  }
}
