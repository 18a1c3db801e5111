package io.specwatch.ingest.file;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.specwatch.core.DocumentPublisher;
import io.specwatch.core.Position;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class JsonlSourceTest {
  @TempDir
  Path dir;

  private final Recorder published = new Recorder();
  private JsonlSource source;

  /** Keeps what was published as "line:text" (or "line:rejected:reason"). */
  static final class Recorder implements DocumentPublisher {
    final List<String> docs = new CopyOnWriteArrayList<>();

    @Override
    public void publish(byte[] buf, int off, int len, Position pos) {
      docs.add(((FileLinePosition) pos).line() + ":" + new String(buf, off, len, StandardCharsets.UTF_8));
    }

    @Override
    public boolean tryPublish(byte[] buf, int off, int len, Position pos) {
      publish(buf, off, len, pos);
      return true;
    }

    @Override
    public void publishRejected(Position pos, String reason) {
      docs.add(((FileLinePosition) pos).line() + ":rejected:" + reason);
    }
  }

  @AfterEach
  void stop() throws InterruptedException {
    if (source != null) {
      source.stop(5000);
    }
  }

  private static void await(BooleanSupplier condition, String what) throws InterruptedException {
    long deadline = System.nanoTime() + 10_000_000_000L;
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("timed out waiting for " + what);
      }
      java.util.concurrent.locks.LockSupport.parkNanos(5_000_000); // poll again shortly
    }
  }

  private Path file(String content) throws Exception {
    Path f = dir.resolve("events.jsonl");
    Files.writeString(f, content);
    return f;
  }

  private static void append(Path f, String text) throws Exception {
    Files.writeString(f, text, StandardOpenOption.APPEND);
  }

  @Test
  void aFileReadOnceIsPublishedLineByLineAndTheSourceFinishes() throws Exception {
    source = JsonlSource.file(file("{\"a\":1}\n\n{\"a\":2}\n" + "x".repeat(20) + "\n{\"a\":3}"), false, 10, 0);
    source.start(published);
    await(source::finished, "the end of the file");
    assertEquals(List.of("1:{\"a\":1}", "3:{\"a\":2}",
        "4:rejected:document of 20 bytes exceeds the limit of 10 bytes (limits.max_document_bytes)",
        "5:{\"a\":3}"), published.docs);
    assertTrue(source.caughtUp());
    assertEquals(5, source.lastLine());
    assertNull(source.failure());
  }

  @Test
  void aFollowedFileIsReadAsItGrowsAndAHalfWrittenLineWaitsForItsEnd() throws Exception {
    Path f = file("{\"n\":1}\n");
    source = JsonlSource.file(f, true, 1 << 20, 0);
    source.start(published);
    await(() -> published.docs.size() == 1 && source.caughtUp(), "the first line");
    append(f, "{\"n\":2}\n{\"n\":");
    await(() -> published.docs.size() == 2, "the appended line");
    await(source::caughtUp, "catching up again");
    assertEquals(List.of("1:{\"n\":1}", "2:{\"n\":2}"), published.docs, "half a line is not a document");
    append(f, "3}\n");
    await(() -> published.docs.size() == 3, "the completed line");
    assertEquals("3:{\"n\":3}", published.docs.get(2));
    assertFalse(source.finished(), "a followed file never ends by itself");
  }

  @Test
  void stoppingPublishesNothingAfterwardsAndNeverHalfALine() throws Exception {
    Path f = file("{\"n\":1}\n{\"n\":");
    source = JsonlSource.file(f, true, 1 << 20, 0);
    source.start(published);
    await(() -> published.docs.size() == 1 && source.caughtUp(), "the first line");
    source.stop(5000);
    assertTrue(source.finished());
    append(f, "2}\n{\"n\":3}\n");
    assertEquals(List.of("1:{\"n\":1}"), published.docs);
    assertEquals(1, source.lastLine(), "the checkpoint position is the last whole line published");
  }

  @Test
  void resumingSkipsTheCheckpointedLinesAndKeepsTheFilesLineNumbers() throws Exception {
    source = JsonlSource.file(file("{\"n\":1}\n{\"n\":2}\n{\"n\":3}\n"), false, 1 << 20, 2);
    source.start(published);
    await(source::finished, "the end of the file");
    assertEquals(List.of("3:{\"n\":3}"), published.docs);
  }

  @Test
  void aStreamIsReadToItsEnd() throws Exception {
    source = JsonlSource.stream("stdin", new ByteArrayInputStream("{\"n\":1}\n{\"n\":2}\n".getBytes(StandardCharsets.UTF_8)), 100);
    source.start(published);
    await(source::finished, "the end of the stream");
    assertEquals(List.of("1:{\"n\":1}", "2:{\"n\":2}"), published.docs);
    assertEquals("stdin", source.name());
  }

  @Test
  void aMissingFileIsAFailureThatSaysWhy() throws Exception {
    source = JsonlSource.file(dir.resolve("nope.jsonl"), true, 100, 0);
    source.start(published);
    await(source::finished, "the failure");
    assertTrue(source.failure().contains("nope.jsonl"), source.failure());
    assertTrue(published.docs.isEmpty());
  }
}
