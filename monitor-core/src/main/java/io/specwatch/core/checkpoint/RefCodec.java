package io.specwatch.core.checkpoint;

import java.util.HashSet;
import java.util.Set;
import java.util.function.IntSupplier;

/**
 * A state variable's reference value (what lives in an instance's {@code refs}: null, a
 * {@code String}, a set of {@code Long} or of {@code String}) in both state forms: a one-byte tag,
 * then the value through the form's own {@link StateWriter} methods. One place, so that the
 * fixed-width and the compact form cannot drift apart in what a reference can be.
 */
final class RefCodec {
  static final byte NULL = 0;
  static final byte STRING = 1;
  static final byte SET_LONG = 2;
  static final byte SET_STRING = 3;

  /** Writes one raw tag byte, outside the form's number encoding. */
  interface TagWriter {
    void tag(byte tag);
  }

  private RefCodec() {}

  static void write(Object ref, TagWriter tags, StateWriter w) {
    if (ref == null) {
      tags.tag(NULL);
    } else if (ref instanceof String s) {
      tags.tag(STRING);
      w.writeString(s);
    } else if (ref instanceof Set<?> set) {
      boolean strings = set.stream().anyMatch(x -> x instanceof String);
      tags.tag(strings ? SET_STRING : SET_LONG);
      w.writeInt(set.size());
      for (Object x : set) {
        if (strings) {
          w.writeString((String) x);
        } else {
          w.writeLong((Long) x);
        }
      }
    } else {
      throw new IllegalArgumentException("cannot checkpoint a " + ref.getClass().getName());
    }
  }

  /**
   * Reads the value that follows {@code tag}.
   *
   * @param remaining the bytes left, asked once a set's size is read: every element takes at
   *     least one, so a larger size is corrupt (refused before anything is allocated for it)
   */
  static Object read(byte tag, StateReader r, IntSupplier remaining) {
    switch (tag) {
      case NULL:
        return null;
      case STRING:
        return r.readString();
      case SET_LONG:
      case SET_STRING: {
        int n = r.readInt();
        if (n < 0 || n > remaining.getAsInt()) {
          throw new CheckpointFormatException("checkpoint corrupt: set of size " + n);
        }
        // The capacity is a hint: bounded, so a corrupt size cannot overflow it.
        Set<Object> set = new HashSet<>(Math.max(4, Math.min(n, 1 << 16) * 2));
        for (int i = 0; i < n; i++) {
          set.add(tag == SET_LONG ? (Object) r.readLong() : r.readString());
        }
        return set;
      }
      default:
        throw new CheckpointFormatException("checkpoint corrupt: reference tag " + tag);
    }
  }
}
