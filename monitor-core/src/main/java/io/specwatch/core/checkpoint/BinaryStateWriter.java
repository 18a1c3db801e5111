package io.specwatch.core.checkpoint;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/**
 * The binary form of a {@link StateWriter}: big-endian fixed-width numbers, strings as a length
 * (-1 for null) and UTF-8 bytes, references as a one-byte tag then their value.
 */
public final class BinaryStateWriter implements StateWriter {
  private final ByteArrayOutputStream bytes = new ByteArrayOutputStream(256);
  private final DataOutputStream out = new DataOutputStream(bytes);

  @Override
  public void writeLong(long v) {
    try {
      out.writeLong(v);
    } catch (IOException e) {
      throw new UncheckedIOException(e); // a ByteArrayOutputStream does not fail
    }
  }

  @Override
  public void writeInt(int v) {
    try {
      out.writeInt(v);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Override
  public void writeBoolean(boolean v) {
    try {
      out.writeBoolean(v);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Override
  public void writeString(String s) {
    if (s == null) {
      writeInt(-1);
      return;
    }
    byte[] utf8 = s.getBytes(StandardCharsets.UTF_8);
    writeInt(utf8.length);
    bytes.write(utf8, 0, utf8.length);
  }

  @Override
  public void writeRef(Object ref) {
    RefCodec.write(ref, bytes::write, this);
  }

  /** Everything written so far. */
  public byte[] toByteArray() {
    return bytes.toByteArray();
  }
}
