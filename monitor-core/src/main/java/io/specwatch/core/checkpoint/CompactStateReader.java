package io.specwatch.core.checkpoint;

import java.nio.charset.StandardCharsets;

/**
 * Reads what a {@link CompactStateWriter} wrote, in place (no copy of the bytes); fails with
 * {@link CheckpointFormatException} on truncated or corrupt bytes, never with another exception
 * and never by allocating more than the bytes could hold.
 */
public final class CompactStateReader implements StateReader {
  /** A varint of a 64-bit number has at most ten bytes. */
  private static final int MAX_VARINT_BYTES = 10;

  private final byte[] in;
  private final int end;
  private int pos;

  public CompactStateReader(byte[] bytes, int off, int len) {
    if (off < 0 || len < 0 || off > bytes.length - len) {
      throw new IndexOutOfBoundsException("range " + off + "+" + len + " of " + bytes.length);
    }
    this.in = bytes;
    this.pos = off;
    this.end = off + len;
  }

  public CompactStateReader(byte[] bytes) {
    this(bytes, 0, bytes.length);
  }

  @Override
  public long readLong() {
    long u = readUnsigned();
    return (u >>> 1) ^ -(u & 1);
  }

  @Override
  public int readInt() {
    long v = readLong();
    if (v != (int) v) {
      throw new CheckpointFormatException("checkpoint corrupt: " + v + " where an int was written");
    }
    return (int) v;
  }

  @Override
  public boolean readBoolean() {
    if (pos >= end) {
      throw truncated();
    }
    return in[pos++] != 0;
  }

  @Override
  public String readString() {
    long n = readUnsigned();
    if (n == 0) {
      return null;
    }
    long header = n - 1; // the length, shifted left by one, and the low bit: the form
    long len = header >>> 1;
    boolean utf16 = (header & 1) != 0;
    if (len > (end - pos) / (utf16 ? 2 : 1)) { // unsigned: a length past bit 62 is refused too
      throw new CheckpointFormatException("checkpoint corrupt: string of length " + len);
    }
    int chars = (int) len;
    if (!utf16) {
      String s = new String(in, pos, chars, StandardCharsets.UTF_8);
      pos += chars;
      return s;
    }
    char[] cs = new char[chars];
    for (int i = 0; i < chars; i++, pos += 2) {
      cs[i] = (char) (((in[pos] & 0xFF) << 8) | (in[pos + 1] & 0xFF));
    }
    return new String(cs);
  }

  @Override
  public Object readRef() {
    if (pos >= end) {
      throw truncated();
    }
    return RefCodec.read(in[pos++], this, () -> end - pos);
  }

  /** What {@link CompactStateWriter#writeBytes} wrote, in a new array. */
  public byte[] readBytes() {
    long len = readUnsigned();
    if (len < 0 || len > end - pos) { // negative: a 64-bit varint with its top bit set
      throw new CheckpointFormatException("checkpoint corrupt: a block of "
          + Long.toUnsignedString(len) + " bytes");
    }
    byte[] b = java.util.Arrays.copyOfRange(in, pos, pos + (int) len);
    pos += (int) len;
    return b;
  }

  /** True when every byte was read (a checkpoint must be consumed exactly). */
  public boolean atEnd() {
    return pos == end;
  }

  private long readUnsigned() {
    long v = 0;
    for (int shift = 0, i = 0; i < MAX_VARINT_BYTES; i++, shift += 7) {
      if (pos >= end) {
        throw truncated();
      }
      byte b = in[pos++];
      v |= (long) (b & 0x7F) << shift;
      if (b >= 0) {
        if (i == MAX_VARINT_BYTES - 1 && (b & 0x7E) != 0) {
          break; // the tenth byte may only carry the 64th bit
        }
        return v;
      }
    }
    throw new CheckpointFormatException("checkpoint corrupt: a number longer than 64 bits");
  }

  private static CheckpointFormatException truncated() {
    return new CheckpointFormatException("checkpoint truncated");
  }
}
