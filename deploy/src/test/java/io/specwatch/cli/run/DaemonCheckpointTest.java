package io.specwatch.cli.run;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.specwatch.core.LinePosition;
import io.specwatch.core.Violation;
import io.specwatch.core.checkpoint.BinaryStateWriter;
import io.specwatch.core.checkpoint.CheckpointFormatException;
import io.specwatch.core.checkpoint.StateLayout;
import io.specwatch.core.engine.Monitor;
import io.specwatch.core.engine.SpecRuntime;
import io.specwatch.core.program.Program;
import io.specwatch.spec.CompileResult;
import io.specwatch.spec.SourceFile;
import io.specwatch.spec.SpecCompiler;
import io.specwatch.cli.config.ConfigReader;
import io.specwatch.cli.config.DaemonConfig;
import io.specwatch.core.checkpoint.DirectoryCheckpointStore;
import io.specwatch.testkit.FreePorts;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The daemon's checkpoint file: what is saved comes back, a file written by an earlier build
 * (version 1, fixed-width) still resumes the daemon where it was, and damaged files fail clearly.
 */
class DaemonCheckpointTest {
  private static final String ORDERS = """
      spec orders
      input {
        time at
        id event_id
        dedupe within 1h
      }
      entity Order key order_id {
        paid: bool = false
        total: int
      }
      event placed for Order when type == "placed" { total: int }
      event paid for Order when type == "paid"
      /// An order is paid once.
      on paid requires not paid { paid = true }
      on placed(e) { total = e.total }
      /// A placed order is paid within an hour.
      deadline payment: after placed expect paid within 1h
      """;

  private static List<Program> programs() {
    CompileResult r = SpecCompiler.compile(List.of(new SourceFile("orders.sw", ORDERS)));
    assertTrue(r.ok(), r.diagnostics().toString());
    return r.programs();
  }

  /** A document written with single quotes, for legibility. */
  private static String doc(String singleQuoted) {
    return singleQuoted.replace('\'', '"');
  }

  private static List<String> feed(Monitor m, String doc) {
    List<String> rules = new ArrayList<>();
    byte[] b = doc.getBytes(StandardCharsets.UTF_8);
    m.accept(b, 0, b.length, new LinePosition(1), (Violation v) -> rules.add(v.rule()));
    return rules;
  }

  /** o-1 placed and paid, o-2 placed: state with a variable, a deadline armed and ids. */
  private static Monitor played() {
    Monitor m = new Monitor(programs());
    feed(m, doc("{'type':'placed','at':1000,'event_id':'e1','order_id':'o-1','total':7}"));
    feed(m, doc("{'type':'paid','at':2000,'event_id':'e2','order_id':'o-1'}"));
    feed(m, doc("{'type':'placed','at':3000,'event_id':'e3','order_id':'o-2','total':9}"));
    return m;
  }

  /** What the restored state says: e2 is a duplicate, o-1 is paid already, o-2's deadline fires. */
  private static List<String> probe(Monitor m) {
    List<String> rules = new ArrayList<>();
    rules.addAll(feed(m, doc("{'type':'paid','at':2000,'event_id':'e2','order_id':'o-1'}")));
    rules.addAll(feed(m, doc("{'type':'paid','at':4000,'event_id':'e4','order_id':'o-1'}")));
    rules.addAll(feed(m,
        doc("{'type':'placed','at':7200000,'event_id':'e5','order_id':'o-3','total':1}")));
    return rules;
  }

  private static DaemonCheckpoint checkpointOf(Monitor m) {
    Map<String, Long> sources = new LinkedHashMap<>();
    sources.put("events.jsonl", 3L);
    sources.put("otlp", 0L);
    return new DaemonCheckpoint(sources, Map.of("/var/log/violations.jsonl", 4096L),
        SpecStates.export(m));
  }

  @Test
  void whatIsSavedComesBackAndRestoresTheMonitor() {
    List<String> expected = probe(played());
    assertEquals(List.of("paid", "payment"), expected, "the probe must see the state to be a test");

    DaemonCheckpoint saved = checkpointOf(played());
    DaemonCheckpoint back = DaemonCheckpoint.decode(saved.encode());
    assertEquals(saved.sourcePositions(), back.sourcePositions());
    assertEquals(saved.sinkLengths(), back.sinkLengths());
    assertEquals(saved.specs().keySet(), back.specs().keySet());
    SpecStates.Saved orders = back.specs().get("orders");
    assertArrayEquals(saved.specs().get("orders").state(), orders.state());
    assertFalse(orders.fixedWidth());

    Monitor restored = new Monitor(programs());
    SpecStates.restore(back.specs(), restored);
    assertEquals(expected, probe(restored));
  }

  @Test
  void aVersion1FileStillResumesTheDaemonWhereItWas() {
    DaemonCheckpoint same = checkpointOf(played());
    byte[] v1 = encodeVersion1(same.sourcePositions(), same.sinkLengths(), played());
    DaemonCheckpoint back = DaemonCheckpoint.decode(v1);
    assertEquals(same.sourcePositions(), back.sourcePositions());
    assertEquals(same.sinkLengths(), back.sinkLengths());
    assertTrue(back.specs().get("orders").fixedWidth());
    Monitor restored = new Monitor(programs());
    SpecStates.restore(back.specs(), restored);
    assertEquals(probe(played()), probe(restored));

    byte[] v2 = same.encode(); // the same content, in the compact form
    assertTrue(v2.length < v1.length, v2.length + " bytes against " + v1.length);
    // Saved again after resuming, a state still in the old form is written with its form.
    DaemonCheckpoint resaved = DaemonCheckpoint.decode(
        new DaemonCheckpoint(back.sourcePositions(), back.sinkLengths(), back.specs()).encode());
    Monitor again = new Monitor(programs());
    SpecStates.restore(resaved.specs(), again);
    assertEquals(probe(played()), probe(again));
  }

  /** The file as builds before session 7 wrote it (their encode, verbatim in substance). */
  private static byte[] encodeVersion1(Map<String, Long> sources, Map<String, Long> sinks,
      Monitor m) {
    BinaryStateWriter w = new BinaryStateWriter();
    w.writeInt(0x53574443);
    w.writeInt(1);
    for (Map<String, Long> map : List.of(sources, sinks)) {
      w.writeInt(map.size());
      map.forEach((k, v) -> {
        w.writeString(k);
        w.writeLong(v);
      });
    }
    w.writeInt(m.runtimes().size());
    for (SpecRuntime rt : m.runtimes()) {
      BinaryStateWriter sw = new BinaryStateWriter();
      rt.exportState(sw);
      byte[] state = sw.toByteArray();
      w.writeString(rt.program().name());
      w.writeString(StateLayout.fingerprint(rt.program()));
      w.writeInt(state.length);
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

  @Test
  void aStateWithTrailingBytesOrAStateLongerThanItsFileIsRefused() {
    SpecStates.Saved good = SpecStates.export(played()).get("orders");
    SpecStates.Saved longer = new SpecStates.Saved(good.fingerprint(),
        Arrays.copyOf(good.state(), good.state().length + 1));
    CheckpointFormatException e = assertThrows(CheckpointFormatException.class,
        () -> SpecStates.restore(Map.of("orders", longer), new Monitor(programs())));
    assertTrue(e.getMessage().contains("trailing bytes"), e.getMessage());

    byte[] v1 = encodeVersion1(Map.of(), Map.of(), played());
    // The state's length field of version 1 (after magic, version, two empty maps, the spec's
    // name and fingerprint): claim 2 GiB, which the file does not hold.
    int nameAndFingerprint = 4 + "orders".length() + 4
        + StateLayout.fingerprint(programs().get(0)).getBytes(StandardCharsets.UTF_8).length;
    ByteBuffer.wrap(v1).putInt(4 + 4 + 4 + 4 + 4 + nameAndFingerprint, Integer.MAX_VALUE);
    e = assertThrows(CheckpointFormatException.class, () -> DaemonCheckpoint.decode(v1));
    assertTrue(e.getMessage().contains("2147483647 bytes"), e.getMessage());
  }

  @Test
  void aDaemonWhoseSavedStateIsCorruptSaysSoAndExitsOne(@TempDir Path dir) throws Exception {
    Files.writeString(dir.resolve("orders.sw"), OrdersLog.SPEC);
    Files.writeString(dir.resolve("events.jsonl"), String.join("", OrdersLog.lines(5)));
    Path file = dir.resolve("specwatch.yaml");
    Files.writeString(file, "specs: [orders.sw]\nsources:\n  files: [{path: events.jsonl, follow:"
        + " false}]\nadmin: {port: " + FreePorts.next() + "}\nstate: {directory: state}\n"
        + "reload: {watch: false}\n");
    DaemonConfig config = new ConfigReader(Map.of()).read(file, Files.readString(file));
    CompileResult r = SpecCompiler.compile(List.of(new SourceFile("orders.sw", OrdersLog.SPEC)));
    SpecStates.Saved state = SpecStates.export(new Monitor(r.programs())).get("orders");
    SpecStates.Saved corrupt = new SpecStates.Saved(state.fingerprint(),
        Arrays.copyOf(state.state(), state.state().length + 3));
    new DirectoryCheckpointStore(dir.resolve("state")).save(DaemonCheckpoint.ID,
        new DaemonCheckpoint(Map.of(), Map.of(), Map.of("orders", corrupt)).encode());

    ByteArrayOutputStream err = new ByteArrayOutputStream();
    Daemon daemon = new Daemon(config, InputStream.nullInputStream(),
        new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8),
        new PrintStream(err, true, StandardCharsets.UTF_8));
    // Run it on a thread, bounded: a daemon that accepted the state would run until stopped.
    java.util.concurrent.CompletableFuture<Integer> exit =
        java.util.concurrent.CompletableFuture.supplyAsync(daemon::run);
    try {
      assertEquals(Daemon.FAILURE, exit.get(60, java.util.concurrent.TimeUnit.SECONDS));
    } catch (java.util.concurrent.TimeoutException e) {
      daemon.requestStop();
      throw new AssertionError("the daemon accepted a corrupt state and ran; said: "
          + err.toString(StandardCharsets.UTF_8), e);
    }
    String said = err.toString(StandardCharsets.UTF_8);
    assertTrue(said.contains("cannot use the state directory")
        && said.contains("spec `orders` has trailing bytes"), said);
  }

  @Test
  void damagedFilesFailClearly() {
    byte[] good = checkpointOf(played()).encode();
    for (int cut : new int[] {0, 3, 8, 9, good.length / 2, good.length - 1}) {
      byte[] torn = Arrays.copyOf(good, cut);
      assertThrows(CheckpointFormatException.class, () -> DaemonCheckpoint.decode(torn),
          "cut at " + cut);
    }
    byte[] trailing = Arrays.copyOf(good, good.length + 1);
    CheckpointFormatException e = assertThrows(CheckpointFormatException.class,
        () -> DaemonCheckpoint.decode(trailing));
    assertTrue(e.getMessage().contains("trailing"), e.getMessage());
    byte[] future = good.clone();
    ByteBuffer.wrap(future).putInt(4, 3);
    e = assertThrows(CheckpointFormatException.class, () -> DaemonCheckpoint.decode(future));
    assertTrue(e.getMessage().contains("version 3"), e.getMessage());
    byte[] other = good.clone();
    other[0] = 'X';
    e = assertThrows(CheckpointFormatException.class, () -> DaemonCheckpoint.decode(other));
    assertTrue(e.getMessage().contains("not a specwatch daemon checkpoint"), e.getMessage());
  }
}
