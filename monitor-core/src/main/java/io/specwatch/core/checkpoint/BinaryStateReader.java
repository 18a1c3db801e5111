package io.specwatch.core.checkpoint;

import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/** Reads what a {@link BinaryStateWriter} wrote; fails clearly on truncated or corrupt bytes. */
public final class BinaryStateReader implements StateReader {
  private final ByteBuffer in;

  public BinaryStateReader(byte[] bytes, int off, int len) {
    this.in = ByteBuffer.wrap(bytes, off, len);
  }

  public BinaryStateReader(byte[] bytes) {
    this(bytes, 0, bytes.length);
  }

  @Override
  public long readLong() {
    try {
      return in.getLong();
    } catch (BufferUnderflowException e) {
      throw truncated();
    }
  }

  @Override
  public int readInt() {
    try {
      return in.getInt();
    } catch (BufferUnderflowException e) {
      throw truncated();
    }
  }

  @Override
  public boolean readBoolean() {
    try {
      return in.get() != 0;
    } catch (BufferUnderflowException e) {
      throw truncated();
    }
  }

  @Override
  public String readString() {
    int len = readInt();
    if (len == -1) {
      return null;
    }
    if (len < 0 || len > in.remaining()) {
      throw new CheckpointFormatException("checkpoint corrupt: string of length " + len);
    }
    String s = new String(in.array(), in.arrayOffset() + in.position(), len, StandardCharsets.UTF_8);
    in.position(in.position() + len);
    return s;
  }

  @Override
  public Object readRef() {
    byte tag;
    try {
      tag = in.get();
    } catch (BufferUnderflowException e) {
      throw truncated();
    }
    return RefCodec.read(tag, this, in::remaining);
  }

  /** True when every byte was read (a checkpoint must be consumed exactly). */
  public boolean atEnd() {
    return !in.hasRemaining();
  }

  private static CheckpointFormatException truncated() {
    return new CheckpointFormatException("checkpoint truncated");
  }
}
