package io.specwatch.ingest.kafka;

import io.specwatch.core.checkpoint.StateLayout;
import io.specwatch.core.checkpoint.CheckpointFormatException;
import io.specwatch.core.checkpoint.SpecStateBytes;
import io.specwatch.core.checkpoint.MonitorCheckpoint;
import io.specwatch.core.engine.Monitor;
import io.specwatch.core.engine.SpecRuntime;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * The changelog's value for one input partition: the next offset, and per spec its name, its
 * {@link StateLayout} fingerprint and its state as a length-prefixed block. Restoring is spec by spec, as a
 * reload is: a spec whose layout is the running spec's gets its state back, a spec whose layout
 * changed starts afresh, a running spec absent from the checkpoint starts afresh, and a
 * checkpointed spec that no longer runs is dropped. That is what makes a changelog written
 * before a reload (or by a member still running the previous specs) usable after it.
 *
 * <p>Why not {@link MonitorCheckpoint}: it is all or nothing (any spec changed, the whole
 * checkpoint is refused) and its spec states are not delimited, so one cannot be skipped.
 * Checkpoints written in its format by earlier versions are still read: wholly when the specs
 * match, else as if there were no state (with the position kept, so nothing is re-emitted).
 */
final class PartitionCheckpoint {
  /** "SWKP": distinct from {@link MonitorCheckpoint}'s "SWCK", so both formats can be read. */
  private static final int MAGIC = 0x53574B50;
  private static final int MONITOR_CHECKPOINT_MAGIC = 0x5357434B;
  /**
   * 2: spec states in {@link io.specwatch.core.checkpoint.CompactStateWriter}'s form (about 1.66
   * times smaller than 1's on the payments-load spec). 1: in
   * {@link io.specwatch.core.checkpoint.BinaryStateWriter}'s fixed-width form; still read, so a
   * changelog written by an earlier build restores. The framing around the states is the same in
   * both ({@link SpecStateBytes} reads either).
   */
  private static final int VERSION = 2;
  private static final int FIXED_WIDTH_VERSION = 1;

  /** What happened to one running spec on restore. */
  enum Outcome { RESTORED, LAYOUT_CHANGED, NOT_IN_CHECKPOINT }

  /**
   * @param monitor the restored monitor
   * @param position the next offset to apply
   * @param outcomes per running spec, in the monitor's order
   * @param dropped checkpointed specs that no longer run
   */
  record Restored(Monitor monitor, long position, Map<String, Outcome> outcomes,
      List<String> dropped) {
    /** Specs that start afresh although the checkpoint had state for them (their layout changed). */
    List<String> restarted() {
      List<String> out = new ArrayList<>();
      outcomes.forEach((spec, o) -> {
        if (o == Outcome.LAYOUT_CHANGED) {
          out.add(spec);
        }
      });
      return out;
    }
  }

  private PartitionCheckpoint() {}

  static byte[] encode(Monitor monitor, long position) {
    List<SpecRuntime> runtimes = monitor.runtimes();
    // The states first, so that the checkpoint's array is allocated once at about its size: a
    // growing one is copied at each doubling, and these arrays are megabytes.
    List<byte[]> states = new ArrayList<>(runtimes.size());
    long total = 64;
    for (SpecRuntime rt : runtimes) {
      byte[] state = SpecStateBytes.export(rt);
      states.add(state);
      total += state.length + 1024;
    }
    ByteArrayOutputStream bytes = new ByteArrayOutputStream((int) Math.min(total, 1 << 30));
    try (DataOutputStream out = new DataOutputStream(bytes)) {
      out.writeInt(MAGIC);
      out.writeInt(VERSION);
      out.writeLong(position);
      out.writeInt(runtimes.size());
      for (int i = 0; i < runtimes.size(); i++) {
        SpecRuntime rt = runtimes.get(i);
        byte[] state = states.get(i);
        states.set(i, null); // let it go once copied
        out.writeUTF(rt.program().name());
        writeLongString(out, StateLayout.fingerprint(rt.program()));
        out.writeInt(state.length);
        out.write(state);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e); // in memory: cannot happen
    }
    return bytes.toByteArray();
  }

  /**
   * Restores a checkpoint into a monitor built by {@code newMonitor} (of the running specs),
   * spec by spec where the layout matches.
   *
   * @throws CheckpointFormatException if the bytes are corrupt
   */
  static Restored restore(byte[] checkpoint, Supplier<Monitor> newMonitor) {
    if (checkpoint.length >= 4 && ByteBuffer.wrap(checkpoint).getInt() == MONITOR_CHECKPOINT_MAGIC) {
      return restoreMonitorCheckpoint(checkpoint, newMonitor);
    }
    Monitor fresh = newMonitor.get();
    Map<String, byte[]> states = new HashMap<>();
    Map<String, String> layouts = new LinkedHashMap<>();
    long position;
    int version;
    try (DataInputStream in = new DataInputStream(new java.io.ByteArrayInputStream(checkpoint))) {
      if (in.readInt() != MAGIC) {
        throw new CheckpointFormatException("not a specwatch partition checkpoint");
      }
      version = in.readInt();
      if (version != VERSION && version != FIXED_WIDTH_VERSION) {
        throw new CheckpointFormatException("partition checkpoint format version " + version
            + " is not supported (this build reads " + FIXED_WIDTH_VERSION + " and " + VERSION
            + ")");
      }
      position = in.readLong();
      int n = in.readInt();
      for (int i = 0; i < n; i++) {
        String name = in.readUTF();
        layouts.put(name, readLongString(in));
        int len = in.readInt();
        if (len < 0 || len > in.available()) {
          throw new CheckpointFormatException("spec `" + name + "`'s state is torn");
        }
        states.put(name, in.readNBytes(len));
      }
      if (in.available() != 0) {
        throw new CheckpointFormatException("partition checkpoint has trailing bytes");
      }
    } catch (IOException e) {
      throw new CheckpointFormatException("partition checkpoint is torn: " + e);
    }
    Map<String, Outcome> outcomes = new LinkedHashMap<>();
    for (SpecRuntime rt : fresh.runtimes()) {
      String name = rt.program().name();
      String layout = layouts.remove(name);
      if (layout == null) {
        outcomes.put(name, Outcome.NOT_IN_CHECKPOINT);
      } else if (!layout.equals(StateLayout.fingerprint(rt.program()))) {
        outcomes.put(name, Outcome.LAYOUT_CHANGED);
      } else {
        SpecStateBytes.importInto(rt, states.get(name), version == FIXED_WIDTH_VERSION);
        outcomes.put(name, Outcome.RESTORED);
      }
    }
    return new Restored(fresh, position, outcomes, List.copyOf(layouts.keySet()));
  }

  /** A checkpoint of an earlier version: all specs or none (its states are not delimited). */
  private static Restored restoreMonitorCheckpoint(byte[] checkpoint, Supplier<Monitor> newMonitor) {
    long position = MonitorCheckpoint.position(checkpoint);
    Map<String, Outcome> outcomes = new LinkedHashMap<>();
    Monitor fresh = newMonitor.get();
    try {
      MonitorCheckpoint.restore(checkpoint, fresh);
      fresh.runtimes().forEach(rt -> outcomes.put(rt.program().name(), Outcome.RESTORED));
    } catch (CheckpointFormatException e) {
      // Written for other specs; the refused monitor may be half imported, so take a new one.
      fresh = newMonitor.get();
      fresh.runtimes().forEach(rt -> outcomes.put(rt.program().name(), Outcome.LAYOUT_CHANGED));
    }
    return new Restored(fresh, position, outcomes, List.of());
  }

  /** writeUTF is limited to 64 KiB; a layout of a large spec may be longer. */
  private static void writeLongString(DataOutputStream out, String s) throws IOException {
    byte[] b = s.getBytes(java.nio.charset.StandardCharsets.UTF_8);
    out.writeInt(b.length);
    out.write(b);
  }

  private static String readLongString(DataInputStream in) throws IOException {
    int len = in.readInt();
    if (len < 0 || len > in.available()) {
      throw new CheckpointFormatException("a spec layout is torn");
    }
    return new String(in.readNBytes(len), java.nio.charset.StandardCharsets.UTF_8);
  }
}
