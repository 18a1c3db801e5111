package io.specwatch.alert.delivery;

/** A batch could not be delivered: retriable (try again later) or rejected (drop it, counted). */
public final class DeliveryException extends Exception {
  private final boolean retriable;

  private DeliveryException(String message, Throwable cause, boolean retriable) {
    super(message, cause);
    this.retriable = retriable;
  }

  /** The destination is down, slow or overloaded: the same batch is sent again after a backoff. */
  public static DeliveryException retriable(String message, Throwable cause) {
    return new DeliveryException(message, cause, true);
  }

  /** The destination refused the batch for good (e.g. HTTP 400): retrying cannot help. */
  public static DeliveryException rejected(String message) {
    return new DeliveryException(message, null, false);
  }

  public boolean isRetriable() {
    return retriable;
  }
}
