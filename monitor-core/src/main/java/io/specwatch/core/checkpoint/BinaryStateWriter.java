package io.specwatch.core.checkpoint;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Set;

/**
 * The binary form of a {@link StateWriter}: big-endian fixed-width numbers, strings as a length
 * (-1 for null) and UTF-8 bytes, references as a one-byte tag then their value.
 */
public final class BinaryStateWriter implements StateWriter {
  static final byte REF_NULL = 0;
  static final byte REF_STRING = 1;
  static final byte REF_SET_LONG = 2;
  static final byte REF_SET_STRING = 3;

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
    if (ref == null) {
      bytes.write(REF_NULL);
    } else if (ref instanceof String s) {
      bytes.write(REF_STRING);
      writeString(s);
    } else if (ref instanceof Set<?> set) {
      boolean strings = set.stream().anyMatch(x -> x instanceof String);
      bytes.write(strings ? REF_SET_STRING : REF_SET_LONG);
      writeInt(set.size());
      for (Object x : set) {
        if (strings) {
          writeString((String) x);
        } else {
          writeLong((Long) x);
        }
      }
    } else {
      throw new IllegalArgumentException("cannot checkpoint a " + ref.getClass().getName());
    }
  }

  /** Everything written so far. */
  public byte[] toByteArray() {
    return bytes.toByteArray();
  }
}
