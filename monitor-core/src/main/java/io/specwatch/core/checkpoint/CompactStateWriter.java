package io.specwatch.core.checkpoint;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * The compact binary form of a {@link StateWriter}, for checkpoints that are written often and
 * are large (a Kafka partition's, every checkpoint interval). Numbers are zigzag varints (seven
 * bits a byte, low bits first, so -1 and 1 take one byte): the counts, amounts, enum ordinals
 * and flags of an instance take one or two bytes, an epoch-millisecond time six, where
 * {@link BinaryStateWriter} takes eight for every one of them. Strings are a varint header (their
 * length and form, 0 for null) and their UTF-8 bytes, or UTF-16 for the rare string with a lone
 * surrogate, which UTF-8 cannot carry (see {@link #writeString}); references are
 * {@link RefCodec}'s one-byte tag, then their value in this form.
 *
 * <p>On the payments-load spec a partition's state is about 1.6 times smaller than in the
 * fixed-width form (docs/kafka.md, section 9, session 7). The bytes go into one array that this
 * class grows itself: {@link java.io.ByteArrayOutputStream} takes a lock on every write.
 */
public final class CompactStateWriter implements StateWriter {
  private byte[] buf;
  private int size;

  public CompactStateWriter() {
    this(256);
  }

  /** @param capacity the bytes to reserve at first (it grows as needed) */
  public CompactStateWriter(int capacity) {
    buf = new byte[Math.max(16, capacity)];
  }

  @Override
  public void writeLong(long v) {
    writeUnsigned((v << 1) ^ (v >> 63));
  }

  @Override
  public void writeInt(int v) {
    writeLong(v);
  }

  @Override
  public void writeBoolean(boolean v) {
    ensure(1);
    buf[size++] = (byte) (v ? 1 : 0);
  }

  /**
   * A string comes back exactly as it was, lone surrogates included: JSON may carry one
   * ({@code "\ud800"}), an entity key or event id can be one, and UTF-8 would turn it into
   * {@code ?}, so two such keys would become one after a restore. The header is a varint of
   * {@code (length << 1 | form) + 1}, 0 for null: form 0 is UTF-8 (length in bytes), form 1,
   * only for a string with a lone surrogate, is UTF-16 (length in chars, two bytes each).
   */
  @Override
  public void writeString(String s) {
    if (s == null) {
      writeUnsigned(0);
      return;
    }
    int n = s.length();
    boolean ascii = true;
    for (int i = 0; i < n && ascii; i++) {
      ascii = s.charAt(i) < 0x80;
    }
    if (ascii) { // the usual case (ids, keys, codes): one byte a char, no intermediate array
      writeUnsigned(((long) n << 1) + 1);
      ensure(n);
      for (int i = 0; i < n; i++) {
        buf[size++] = (byte) s.charAt(i);
      }
      return;
    }
    if (hasLoneSurrogate(s)) {
      writeUnsigned(((long) n << 1 | 1) + 1);
      ensure(2 * n);
      for (int i = 0; i < n; i++) {
        char c = s.charAt(i);
        buf[size++] = (byte) (c >>> 8);
        buf[size++] = (byte) c;
      }
      return;
    }
    byte[] utf8 = s.getBytes(StandardCharsets.UTF_8);
    writeUnsigned(((long) utf8.length << 1) + 1);
    ensure(utf8.length);
    System.arraycopy(utf8, 0, buf, size, utf8.length);
    size += utf8.length;
  }

  private static boolean hasLoneSurrogate(String s) {
    for (int i = 0, n = s.length(); i < n; i++) {
      char c = s.charAt(i);
      if (Character.isHighSurrogate(c) && i + 1 < n && Character.isLowSurrogate(s.charAt(i + 1))) {
        i++; // a pair: valid UTF-16, and UTF-8 carries it
      } else if (Character.isSurrogate(c)) {
        return true;
      }
    }
    return false;
  }

  @Override
  public void writeRef(Object ref) {
    RefCodec.write(ref, this::writeTag, this);
  }

  /**
   * Bytes as they are, after a varint of their count: for a block written by another writer
   * (a spec's state inside a checkpoint). Not part of {@link StateWriter}: the engine writes
   * its own fields, never raw bytes.
   */
  public void writeBytes(byte[] b) {
    writeUnsigned(b.length);
    ensure(b.length);
    System.arraycopy(b, 0, buf, size, b.length);
    size += b.length;
  }

  /** The bytes written so far. */
  public int size() {
    return size;
  }

  /** Everything written so far, in a new array of exactly that length. */
  public byte[] toByteArray() {
    return Arrays.copyOf(buf, size);
  }

  /** Copies everything written so far into {@code dst} at {@code off}; returns the bytes copied. */
  public int copyTo(byte[] dst, int off) {
    System.arraycopy(buf, 0, dst, off, size);
    return size;
  }

  private void writeTag(byte tag) {
    ensure(1);
    buf[size++] = tag;
  }

  /** Seven bits a byte, low bits first; the high bit says another byte follows. */
  private void writeUnsigned(long v) {
    ensure(10);
    while ((v & ~0x7FL) != 0) {
      buf[size++] = (byte) ((v & 0x7F) | 0x80);
      v >>>= 7;
    }
    buf[size++] = (byte) v;
  }

  private void ensure(int more) {
    if (buf.length - size < more) {
      long wanted = Math.max((long) buf.length * 2, (long) size + more);
      if (wanted > Integer.MAX_VALUE - 8) {
        if ((long) size + more > Integer.MAX_VALUE - 8) {
          throw new IllegalStateException("state larger than 2 GiB cannot be checkpointed");
        }
        wanted = Integer.MAX_VALUE - 8;
      }
      buf = Arrays.copyOf(buf, (int) wanted);
    }
  }
}
