package io.specwatch.core.checkpoint;

import io.specwatch.core.engine.Monitor;
import io.specwatch.core.engine.SpecRuntime;
import io.specwatch.core.program.EntityType;
import io.specwatch.core.program.Program;
import io.specwatch.core.program.StateVar;
import java.util.List;

/**
 * The binary codec of one {@link Monitor}'s state plus the source position it is consistent
 * with (the next Kafka offset, or the number of lines consumed from a file): a checkpoint is
 * "the state after every document before {@code position}, and none after".
 *
 * <p>Layout: magic {@code SWCK}, format version, position, number of specs, then per spec its
 * name, a layout fingerprint and the state its runtime writes through {@link StateWriter}. The
 * fingerprint makes a checkpoint written for other specs (or an edited spec whose slot layout
 * changed) fail with a clear error instead of restoring garbage.
 */
public final class MonitorCheckpoint {
  private static final int MAGIC = 0x5357434B; // "SWCK"
  private static final int VERSION = 1;

  private MonitorCheckpoint() {}

  /** Encodes the monitor's state and the position it is consistent with. */
  public static byte[] encode(Monitor monitor, long position) {
    BinaryStateWriter w = new BinaryStateWriter();
    w.writeInt(MAGIC);
    w.writeInt(VERSION);
    w.writeLong(position);
    List<SpecRuntime> runtimes = monitor.runtimes();
    w.writeInt(runtimes.size());
    for (SpecRuntime rt : runtimes) {
      w.writeString(rt.program().name());
      w.writeString(fingerprint(rt.program()));
      rt.exportState(w);
    }
    return w.toByteArray();
  }

  /** Just the position of a checkpoint, without restoring anything. */
  public static long position(byte[] checkpoint) {
    BinaryStateReader r = new BinaryStateReader(checkpoint);
    readHeader(r);
    return r.readLong();
  }

  /**
   * Restores a checkpoint into a freshly built monitor of the same specs, in the same order, and
   * returns its position.
   *
   * @throws CheckpointFormatException if the bytes are corrupt or were written for other specs
   */
  public static long restore(byte[] checkpoint, Monitor fresh) {
    BinaryStateReader r = new BinaryStateReader(checkpoint);
    readHeader(r);
    long position = r.readLong();
    List<SpecRuntime> runtimes = fresh.runtimes();
    int n = r.readInt();
    if (n != runtimes.size()) {
      throw new CheckpointFormatException(
          "checkpoint holds " + n + " specs, the monitor runs " + runtimes.size());
    }
    for (SpecRuntime rt : runtimes) {
      String name = r.readString();
      String fp = r.readString();
      if (!rt.program().name().equals(name) || !fingerprint(rt.program()).equals(fp)) {
        throw new CheckpointFormatException("checkpoint was written for spec `" + name
            + "` with another layout; the monitor runs `" + rt.program().name() + "`");
      }
      rt.importState(r);
    }
    if (!r.atEnd()) {
      throw new CheckpointFormatException("checkpoint has trailing bytes");
    }
    return position;
  }

  private static void readHeader(BinaryStateReader r) {
    if (r.readInt() != MAGIC) {
      throw new CheckpointFormatException("not a specwatch checkpoint");
    }
    int version = r.readInt();
    if (version != VERSION) {
      throw new CheckpointFormatException("checkpoint format version " + version
          + " is not supported (this build reads " + VERSION + ")");
    }
  }

  /**
   * What a checkpoint's layout depends on: entities, their variables and slot counts. Frozen
   * with the {@code SWCK} format (checkpoints in it are still read); new code decides layouts
   * with {@link StateLayout}.
   */
  static String fingerprint(Program p) {
    StringBuilder sb = new StringBuilder();
    sb.append(p.events().size()).append(';');
    for (EntityType t : p.entities()) {
      sb.append(t.name()).append('(').append(t.longSlots()).append(',').append(t.refSlots())
          .append(',').append(t.invariants().size()).append(',').append(t.deadlines().size());
      for (StateVar v : t.vars()) {
        sb.append(',').append(v.name()).append(':').append(v.type());
      }
      sb.append(')');
    }
    return Integer.toHexString(sb.toString().hashCode()) + ":" + sb.length();
  }
}
