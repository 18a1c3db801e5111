package io.specwatch.core.checkpoint;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The local checkpoint store (for sources without Kafka) and the binary state codec. */
class DirectoryCheckpointStoreTest {
  @TempDir
  Path dir;

  @Test
  void aSaveReplacesTheCheckpointAndLeavesNoTemporaryFile() throws Exception {
    DirectoryCheckpointStore store = new DirectoryCheckpointStore(dir.resolve("ckpt"));
    assertTrue(store.load("events.jsonl").isEmpty());
    store.save("events.jsonl", new byte[] {1, 2, 3});
    store.save("events.jsonl", new byte[] {4, 5});
    assertArrayEquals(new byte[] {4, 5}, store.load("events.jsonl").orElseThrow());
    try (Stream<Path> files = Files.list(dir.resolve("ckpt"))) {
      List<Path> all = files.toList();
      assertEquals(1, all.size(), all.toString());
      assertTrue(all.get(0).toString().endsWith(".ckpt"));
    }
  }

  @Test
  void anyIdStaysInsideTheDirectory() {
    DirectoryCheckpointStore store = new DirectoryCheckpointStore(dir);
    store.save("../../etc/passwd", new byte[] {9});
    store.save("topic/0", new byte[] {8});
    assertArrayEquals(new byte[] {9}, store.load("../../etc/passwd").orElseThrow());
    assertArrayEquals(new byte[] {8}, store.load("topic/0").orElseThrow());
    assertEquals(2, dir.toFile().list().length, "both ids are files directly in the directory");
  }

  @Test
  void stateValuesRoundTripAndCorruptionIsReportedNotMisread() {
    BinaryStateWriter w = new BinaryStateWriter();
    w.writeLong(Long.MIN_VALUE);
    w.writeInt(-7);
    w.writeBoolean(true);
    w.writeString(null);
    w.writeString("naïve 🚀");
    w.writeRef(null);
    w.writeRef("s");
    w.writeRef(Set.of(1L, 2L));
    w.writeRef(Set.of("a", "b"));
    byte[] bytes = w.toByteArray();
    BinaryStateReader r = new BinaryStateReader(bytes);
    assertEquals(Long.MIN_VALUE, r.readLong());
    assertEquals(-7, r.readInt());
    assertTrue(r.readBoolean());
    assertEquals(null, r.readString());
    assertEquals("naïve 🚀", r.readString());
    assertEquals(null, r.readRef());
    assertEquals("s", r.readRef());
    assertEquals(Set.of(1L, 2L), r.readRef());
    assertEquals(Set.of("a", "b"), r.readRef());
    assertTrue(r.atEnd());

    BinaryStateReader truncated = new BinaryStateReader(bytes, 0, 10);
    truncated.readLong();
    assertThrows(CheckpointFormatException.class, truncated::readInt);
    byte[] badTag = {42};
    assertThrows(CheckpointFormatException.class, () -> new BinaryStateReader(badTag).readRef());
    byte[] hugeString = {0x10, 0, 0, 0};
    assertThrows(CheckpointFormatException.class, () -> new BinaryStateReader(hugeString).readString());
  }
}
