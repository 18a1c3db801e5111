package io.specwatch.cli.run;

import io.specwatch.core.checkpoint.BinaryStateReader;
import io.specwatch.core.checkpoint.BinaryStateWriter;
import io.specwatch.core.checkpoint.CheckpointFormatException;
import io.specwatch.core.checkpoint.CompactStateReader;
import io.specwatch.core.checkpoint.CompactStateWriter;
import java.nio.ByteBuffer;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One consistent cut of the daemon: every spec's state after exactly the documents up to each
 * source's position, and how long each JSONL sink file was at that moment (everything raised
 * before the cut was written to it; nothing after). Taken on the monitor thread between two
 * documents, so no barrier is needed.
 *
 * <p>Layout: magic {@code SWDC} and the version as four-byte integers, then, in
 * {@link CompactStateWriter}'s form, counted maps of source name to position, sink file to
 * length, spec name to fingerprint, state encoding and state bytes. Version 1 (before session 7)
 * wrote everything in {@link BinaryStateWriter}'s fixed-width form, spec states too, packed
 * eight bytes to a long; it is still read, so a daemon upgraded in place resumes.
 *
 * @param sourcePositions per source, the last line (or offset) whose document is in the state
 * @param sinkLengths per JSONL sink file, its length in bytes at the cut
 */
record DaemonCheckpoint(Map<String, Long> sourcePositions, Map<String, Long> sinkLengths,
    Map<String, SpecStates.Saved> specs) {
  private static final int MAGIC = 0x53574443; // "SWDC"
  private static final int VERSION = 2;
  private static final int FIXED_WIDTH_VERSION = 1;
  /** The id under which the daemon's checkpoint is kept in its directory. */
  static final String ID = "daemon";

  static DaemonCheckpoint empty() {
    return new DaemonCheckpoint(Map.of(), Map.of(), Map.of());
  }

  byte[] encode() {
    long stateBytes = 0;
    for (SpecStates.Saved saved : specs.values()) {
      stateBytes += saved.state().length;
    }
    CompactStateWriter w = new CompactStateWriter((int) Math.min(stateBytes + 4096, 1 << 30));
    w.writeInt(sourcePositions.size());
    sourcePositions.forEach((name, position) -> {
      w.writeString(name);
      w.writeLong(position);
    });
    w.writeInt(sinkLengths.size());
    sinkLengths.forEach((file, length) -> {
      w.writeString(file);
      w.writeLong(length);
    });
    w.writeInt(specs.size());
    for (Map.Entry<String, SpecStates.Saved> e : specs.entrySet()) {
      w.writeString(e.getKey());
      w.writeString(e.getValue().fingerprint());
      w.writeBoolean(e.getValue().fixedWidth());
      w.writeBytes(e.getValue().state());
    }
    byte[] out = new byte[8 + w.size()];
    ByteBuffer.wrap(out).putInt(MAGIC).putInt(VERSION);
    w.copyTo(out, 8);
    return out;
  }

  static DaemonCheckpoint decode(byte[] bytes) {
    if (bytes.length < 8 || ByteBuffer.wrap(bytes).getInt() != MAGIC) {
      throw new CheckpointFormatException("not a specwatch daemon checkpoint");
    }
    int version = ByteBuffer.wrap(bytes).getInt(4);
    if (version == FIXED_WIDTH_VERSION) {
      return decodeFixedWidth(bytes);
    }
    if (version != VERSION) {
      throw new CheckpointFormatException("daemon checkpoint version " + version
          + " is not supported (this build reads " + FIXED_WIDTH_VERSION + " and " + VERSION
          + ")");
    }
    CompactStateReader r = new CompactStateReader(bytes, 8, bytes.length - 8);
    Map<String, Long> sources = new LinkedHashMap<>();
    for (int i = 0, n = count(r.readInt()); i < n; i++) {
      sources.put(r.readString(), r.readLong());
    }
    Map<String, Long> sinks = new LinkedHashMap<>();
    for (int i = 0, n = count(r.readInt()); i < n; i++) {
      sinks.put(r.readString(), r.readLong());
    }
    Map<String, SpecStates.Saved> specs = new LinkedHashMap<>();
    for (int i = 0, n = count(r.readInt()); i < n; i++) {
      String name = r.readString();
      String fingerprint = r.readString();
      boolean fixedWidth = r.readBoolean();
      specs.put(name, new SpecStates.Saved(fingerprint, r.readBytes(), fixedWidth));
    }
    if (!r.atEnd()) {
      throw new CheckpointFormatException("daemon checkpoint has trailing bytes");
    }
    return new DaemonCheckpoint(sources, sinks, specs);
  }

  /** Version 1: everything fixed-width, spec states packed eight bytes to a long. */
  private static DaemonCheckpoint decodeFixedWidth(byte[] bytes) {
    BinaryStateReader r = new BinaryStateReader(bytes);
    r.readInt(); // magic
    r.readInt(); // version
    Map<String, Long> sources = readLongs(r);
    Map<String, Long> sinks = readLongs(r);
    int n = count(r);
    Map<String, SpecStates.Saved> specs = new LinkedHashMap<>();
    for (int s = 0; s < n; s++) {
      String name = r.readString();
      String fingerprint = r.readString();
      int len = count(r);
      if ((len + 7L) / 8 * 8 > bytes.length) { // before allocating what a corrupt count claims
        throw new CheckpointFormatException("daemon checkpoint corrupt: a state of " + len
            + " bytes in a file of " + bytes.length);
      }
      byte[] state = new byte[len];
      for (int i = 0; i < len; i += 8) {
        long v = r.readLong();
        for (int j = 7; j >= 0; j--) {
          if (i + j < len) {
            state[i + j] = (byte) v;
          }
          v >>>= 8;
        }
      }
      specs.put(name, new SpecStates.Saved(fingerprint, state, true));
    }
    if (!r.atEnd()) {
      throw new CheckpointFormatException("daemon checkpoint has trailing bytes");
    }
    return new DaemonCheckpoint(sources, sinks, specs);
  }

  private static Map<String, Long> readLongs(BinaryStateReader r) {
    int n = count(r);
    Map<String, Long> m = new LinkedHashMap<>();
    for (int i = 0; i < n; i++) {
      m.put(r.readString(), r.readLong());
    }
    return m;
  }

  private static int count(BinaryStateReader r) {
    return count(r.readInt());
  }

  private static int count(int n) {
    if (n < 0) {
      throw new CheckpointFormatException("daemon checkpoint corrupt: negative count " + n);
    }
    return n;
  }
}
