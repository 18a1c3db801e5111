package io.specwatch.cli.run;

import io.specwatch.core.checkpoint.BinaryStateReader;
import io.specwatch.core.checkpoint.BinaryStateWriter;
import io.specwatch.core.checkpoint.CheckpointFormatException;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One consistent cut of the daemon: every spec's state after exactly the documents up to each
 * source's position, and how long each JSONL sink file was at that moment (everything raised
 * before the cut was written to it; nothing after). Taken on the monitor thread between two
 * documents, so no barrier is needed.
 *
 * <p>Layout ({@link BinaryStateWriter} encoding): magic {@code SWDC}, version, then counted maps
 * of source name to position, sink file to length, spec name to fingerprint and state bytes.
 *
 * @param sourcePositions per source, the last line (or offset) whose document is in the state
 * @param sinkLengths per JSONL sink file, its length in bytes at the cut
 */
record DaemonCheckpoint(Map<String, Long> sourcePositions, Map<String, Long> sinkLengths,
    Map<String, SpecStates.Saved> specs) {
  private static final int MAGIC = 0x53574443; // "SWDC"
  private static final int VERSION = 1;
  /** The id under which the daemon's checkpoint is kept in its directory. */
  static final String ID = "daemon";

  static DaemonCheckpoint empty() {
    return new DaemonCheckpoint(Map.of(), Map.of(), Map.of());
  }

  byte[] encode() {
    BinaryStateWriter w = new BinaryStateWriter();
    w.writeInt(MAGIC);
    w.writeInt(VERSION);
    writeLongs(w, sourcePositions);
    writeLongs(w, sinkLengths);
    w.writeInt(specs.size());
    for (Map.Entry<String, SpecStates.Saved> e : specs.entrySet()) {
      w.writeString(e.getKey());
      w.writeString(e.getValue().fingerprint());
      byte[] state = e.getValue().state();
      w.writeInt(state.length);
      // StateWriter has no byte-array method: pack eight bytes per long.
      for (int i = 0; i < state.length; i += 8) {
        long v = 0;
        for (int j = 0; j < 8; j++) {
          v = (v << 8) | (i + j < state.length ? state[i + j] & 0xff : 0);
        }
        w.writeLong(v);
      }
    }
    return w.toByteArray();
  }

  static DaemonCheckpoint decode(byte[] bytes) {
    BinaryStateReader r = new BinaryStateReader(bytes);
    if (r.readInt() != MAGIC) {
      throw new CheckpointFormatException("not a specwatch daemon checkpoint");
    }
    int version = r.readInt();
    if (version != VERSION) {
      throw new CheckpointFormatException("daemon checkpoint version " + version
          + " is not supported (this build reads " + VERSION + ")");
    }
    Map<String, Long> sources = readLongs(r);
    Map<String, Long> sinks = readLongs(r);
    int n = count(r);
    Map<String, SpecStates.Saved> specs = new LinkedHashMap<>();
    for (int s = 0; s < n; s++) {
      String name = r.readString();
      String fingerprint = r.readString();
      int len = count(r);
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
      specs.put(name, new SpecStates.Saved(fingerprint, state));
    }
    if (!r.atEnd()) {
      throw new CheckpointFormatException("daemon checkpoint has trailing bytes");
    }
    return new DaemonCheckpoint(sources, sinks, specs);
  }

  private static void writeLongs(BinaryStateWriter w, Map<String, Long> m) {
    w.writeInt(m.size());
    for (Map.Entry<String, Long> e : m.entrySet()) {
      w.writeString(e.getKey());
      w.writeLong(e.getValue());
    }
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
    int n = r.readInt();
    if (n < 0) {
      throw new CheckpointFormatException("daemon checkpoint corrupt: negative count " + n);
    }
    return n;
  }
}
