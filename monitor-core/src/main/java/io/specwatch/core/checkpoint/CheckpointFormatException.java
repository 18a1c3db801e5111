package io.specwatch.core.checkpoint;

/** A checkpoint that cannot be read: truncated, corrupt, or written for other specs. */
public final class CheckpointFormatException extends RuntimeException {
  public CheckpointFormatException(String message) {
    super(message);
  }

  public CheckpointFormatException(String message, Throwable cause) {
    super(message, cause);
  }
}
