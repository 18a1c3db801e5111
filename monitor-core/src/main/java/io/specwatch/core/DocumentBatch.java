package io.specwatch.core;

/**
 * Documents to publish together ({@link DocumentPublisher#publishAll}): byte ranges with their
 * positions, in order. A source that holds many documents in stable buffers at once (the lines of
 * a file chunk, the records of a Kafka poll) hands them over as a batch, so that the publisher
 * may read ahead: parse a few documents before it admits the first and start their cache misses
 * early (see {@code DecodingIntake}). The batch only refers to the bytes; it copies nothing.
 * Not thread-safe: one source's.
 */
public final class DocumentBatch {
  private final byte[][] bufs;
  private final int[] offsets;
  private final int[] lengths;
  private final Position[] positions;
  private int size;

  public DocumentBatch(int capacity) {
    if (capacity < 1) {
      throw new IllegalArgumentException("capacity must be positive, was " + capacity);
    }
    bufs = new byte[capacity][];
    offsets = new int[capacity];
    lengths = new int[capacity];
    positions = new Position[capacity];
  }

  /**
   * Adds a document: {@code len} bytes of {@code buf} from {@code off}, which must stay unchanged
   * until the batch has been published. Returns whether the batch is now full.
   */
  public boolean add(byte[] buf, int off, int len, Position pos) {
    if (size == bufs.length) {
      throw new IllegalStateException("the batch is full (" + size + " documents)");
    }
    bufs[size] = buf;
    offsets[size] = off;
    lengths[size] = len;
    positions[size] = pos;
    return ++size == bufs.length;
  }

  public int size() {
    return size;
  }

  public byte[] buf(int i) {
    return bufs[i];
  }

  public int offset(int i) {
    return offsets[i];
  }

  public int length(int i) {
    return lengths[i];
  }

  public Position position(int i) {
    return positions[i];
  }

  /** Empties the batch and lets go of its buffers and positions. */
  public void clear() {
    java.util.Arrays.fill(bufs, 0, size, null);
    java.util.Arrays.fill(positions, 0, size, null);
    size = 0;
  }
}
