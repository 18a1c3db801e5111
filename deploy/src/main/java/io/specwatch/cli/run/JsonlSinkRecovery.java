package io.specwatch.cli.run;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import io.specwatch.core.checkpoint.DurableFiles;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;

/**
 * Brings a JSONL sink file back to what the restored state has raised, on start, after a crash.
 *
 * <p>The file holds two kinds of lines. The daemon's own monitor (files, stdin, OTLP, HTTP)
 * raises again, on replay, every violation written after the last checkpoint: those lines are
 * cut off. The Kafka source's lines are committed on Kafka's schedule, not the checkpoint's: a
 * committed one is never raised again, so it must stay, wherever it is in the file (the Kafka
 * source's own re-raised ones are skipped by {@link KafkaWriteAhead}). So the part past the
 * checkpointed length keeps its Kafka lines (a {@code topic} and {@code partition} position) and
 * loses everything else, including a last line the crash cut in half.
 *
 * <p>Crash-safe: the kept lines are first written to a side file (fsynced, renamed into place);
 * then the file is cut back and they are appended; then the side file goes. A crash in between
 * finds the side file at the next start and finishes the job, which is idempotent (cut back to
 * the same length, append the same lines).
 */
final class JsonlSinkRecovery {
  private static final JsonFactory JSON = new JsonFactory();

  private JsonlSinkRecovery() {}

  /**
   * Cuts {@code file} back to {@code checkpointedLength}, keeping the Kafka source's lines past it.
   *
   * @param keepFile where the kept lines wait while the file is rewritten (in the state directory)
   * @return the number of lines dropped (the daemon's, raised again by the replay, and a torn one)
   */
  static int cutBack(Path file, long checkpointedLength, Path keepFile) throws IOException {
    if (Files.exists(keepFile)) {
      finish(file, checkpointedLength, Files.readAllBytes(keepFile));
      Files.delete(keepFile);
      return 0;
    }
    if (!Files.exists(file) || Files.size(file) <= checkpointedLength) {
      return 0;
    }
    List<String> tail = new ArrayList<>();
    boolean torn = readLines(file, checkpointedLength, tail);
    ByteArrayOutputStream kept = new ByteArrayOutputStream();
    int dropped = torn ? 1 : 0;
    for (String line : tail) {
      if (raisedByKafka(line)) {
        kept.writeBytes((line + "\n").getBytes(StandardCharsets.UTF_8));
      } else {
        dropped++;
      }
    }
    if (dropped == 0) {
      return 0; // only committed Kafka lines past the checkpoint: nothing to cut
    }
    DurableFiles.replace(keepFile, kept.toByteArray());
    finish(file, checkpointedLength, kept.toByteArray());
    Files.delete(keepFile);
    return dropped;
  }

  private static void finish(Path file, long length, byte[] kept) throws IOException {
    try (FileChannel ch = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE)) {
      if (ch.size() > length) {
        ch.truncate(length);
      }
      ch.position(ch.size());
      writeFully(ch, kept);
      ch.force(false);
    }
  }

  /**
   * The complete lines of {@code file} from byte {@code from} on, into {@code out}.
   *
   * @return whether the file ends in a torn line (no newline), which is left out
   */
  static boolean readLines(Path file, long from, List<String> out) throws IOException {
    byte[] bytes;
    try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
      long size = ch.size();
      if (from >= size) {
        return false;
      }
      if (size - from > Integer.MAX_VALUE - 16) {
        throw new IOException(file + ": more than 2 GiB to recover past the checkpoint");
      }
      ByteBuffer buf = ByteBuffer.allocate((int) (size - from));
      ch.position(from);
      while (buf.hasRemaining() && ch.read(buf) >= 0) {
        // read on until the buffer is full
      }
      bytes = buf.array();
    }
    int start = 0;
    for (int i = 0; i < bytes.length; i++) {
      if (bytes[i] == '\n') {
        if (i > start) {
          out.add(new String(bytes, start, i - start, StandardCharsets.UTF_8));
        }
        start = i + 1;
      }
    }
    return start < bytes.length;
  }

  /**
   * Whether a violation line was raised by the Kafka source: its position has top-level
   * {@code topic} and {@code partition} members (a record, or an idle partition's watermark).
   * Read with a parser, not by searching the text, since an event's values appear in the line.
   */
  static boolean raisedByKafka(String line) {
    boolean topic = false;
    boolean partition = false;
    try (JsonParser p = JSON.createParser(line)) {
      if (p.nextToken() != JsonToken.START_OBJECT) {
        return false;
      }
      while (p.nextToken() == JsonToken.FIELD_NAME) {
        String name = p.currentName();
        topic |= name.equals("topic");
        partition |= name.equals("partition");
        p.nextToken();
        p.skipChildren();
      }
    } catch (IOException e) {
      return false; // not a whole JSON object: not a line any source wrote completely
    }
    return topic && partition;
  }

  private static void writeFully(FileChannel ch, byte[] bytes) throws IOException {
    ByteBuffer buf = ByteBuffer.wrap(bytes);
    while (buf.hasRemaining()) {
      ch.write(buf);
    }
  }
}
