package io.specwatch.core.checkpoint;

/**
 * Reads back, in the same order, what a {@link StateWriter} wrote. A reader fails with
 * {@link CheckpointFormatException} on bytes that were not written by the matching writer.
 */
public interface StateReader {
  long readLong();

  int readInt();

  boolean readBoolean();

  String readString();

  /** A reference value as {@link StateWriter#writeRef} wrote it; sets come back mutable-free. */
  Object readRef();
}
