package io.specwatch.core;

/**
 * Where sources put the documents they read: the pipeline's ring (or, in tests, anything else).
 * Each document is a byte range holding one JSON value, with the position it came from.
 * Implementations copy the bytes, so callers may reuse their buffers at once, and are thread-safe:
 * several sources may publish concurrently.
 */
public interface DocumentPublisher {
  /** Publishes one document, blocking while there is no room (backpressure). */
  void publish(byte[] buf, int off, int len, Position pos);

  /**
   * Publishes one document if there is room now, without blocking. A source that must answer at
   * once (an HTTP receiver) uses this and tells its client to retry later when it returns false.
   */
  boolean tryPublish(byte[] buf, int off, int len, Position pos);

  /** Records a document that cannot be parsed at all (e.g. over the size limit), with why. */
  void publishRejected(Position pos, String reason);

  /**
   * Publishes the batch's documents in order, as {@link #publish} would one by one (the batch is
   * left as it is). Their bytes must stay unchanged until this returns: an implementation may
   * read ahead in the batch.
   */
  default void publishAll(DocumentBatch batch) {
    for (int i = 0; i < batch.size(); i++) {
      publish(batch.buf(i), batch.offset(i), batch.length(i), batch.position(i));
    }
  }
}
