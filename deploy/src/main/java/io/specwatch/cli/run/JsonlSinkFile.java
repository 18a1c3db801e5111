package io.specwatch.cli.run;

import io.specwatch.alert.SinkStatus;
import io.specwatch.alert.jsonl.JsonlViolationWriter;
import io.specwatch.core.Violation;
import io.specwatch.core.ViolationSink;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongConsumer;

/**
 * A JSONL violations sink on a file or standard output, written on the monitor thread (a
 * buffered append costs far less than a queue hand-off). For a file, {@link #length()} is part
 * of each checkpoint, and on start the daemon's own lines past the checkpointed length are cut
 * off ({@link JsonlSinkRecovery}): violations written after the last checkpoint, before a crash,
 * are raised again on replay, so keeping them would repeat them. The Kafka source's lines are
 * written ahead of each of its commits ({@link #writeAhead}) and made idempotent by
 * {@link KafkaWriteAhead}. That makes a file sink exactly-once across crashes; standard output
 * cannot be cut back and is at-least-once after a crash (exactly-once after SIGTERM).
 *
 * <p>Synchronized: the Kafka source writes its batches from its own thread.
 *
 * <p>As a {@link SinkStatus} (label {@code jsonl-stdout} or {@code jsonl-/abs/path}) it counts
 * violations written and flushes that failed; it has no queue of its own (depth and capacity 0):
 * the monitor thread writes directly, so the document queue is its backlog.
 */
final class JsonlSinkFile implements ViolationSink, SinkStatus, AutoCloseable {
  private final String name;
  private final FileChannel channel;
  private final OutputStream stream;
  private final JsonlViolationWriter writer;
  private long length;
  private final AtomicLong sent = new AtomicLong();
  private final AtomicLong failedFlushes = new AtomicLong();

  private JsonlSinkFile(String name, FileChannel channel, OutputStream stream, long length) {
    this.name = name;
    this.channel = channel;
    this.stream = stream;
    this.writer = new JsonlViolationWriter(stream);
    this.length = length;
  }

  static JsonlSinkFile stdout(OutputStream out) {
    return new JsonlSinkFile("stdout", null, new BufferedOutputStream(out, 1 << 16), 0);
  }

  /**
   * Opens a file for appending, first cutting the daemon's lines past {@code checkpointedLength}
   * off (-1: no checkpoint, keep everything); see {@link JsonlSinkRecovery}.
   *
   * @param keepFile the side file of a crash-safe cut-back, in the state directory
   */
  static JsonlSinkFile open(Path path, long checkpointedLength, Path keepFile) throws IOException {
    if (checkpointedLength >= 0) {
      JsonlSinkRecovery.cutBack(path, checkpointedLength, keepFile);
    }
    FileChannel ch = FileChannel.open(path, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
    try {
      long size = ch.size();
      ch.position(size);
      OutputStream counted = new BufferedOutputStream(Channels.newOutputStream(ch), 1 << 16);
      return new JsonlSinkFile(key(path), ch, counted, size);
    } catch (IOException e) {
      ch.close();
      throw e;
    }
  }

  /** The name a file sink has in checkpoints: its absolute, normalized path. */
  static String key(Path path) {
    return path.toAbsolutePath().normalize().toString();
  }

  /** The name this sink has in checkpoints: {@code stdout} or the file's absolute path. */
  String checkpointKey() {
    return name;
  }

  boolean isFile() {
    return channel != null;
  }

  @Override
  public synchronized void accept(Violation v) {
    writer.accept(v);
    sent.incrementAndGet();
  }

  /**
   * Writes a batch of lines (the Kafka source's, before its commit) and forces them to disk
   * before returning. {@code beforeWrite} gets the offset the batch starts at, once the monitor's
   * buffered lines are out, and runs before any of the batch is written (to record the batch as
   * uncertain first). Standard output gets the lines and a flush.
   */
  synchronized void writeAhead(List<String> lines, LongConsumer beforeWrite) throws IOException {
    try {
      writer.flush();
      beforeWrite.accept(channel == null ? -1 : channel.position());
      for (String line : lines) {
        stream.write((line + "\n").getBytes(StandardCharsets.UTF_8));
      }
      stream.flush();
      if (channel != null) {
        length = channel.position();
        channel.force(false);
      }
      sent.addAndGet(lines.size());
    } catch (IOException e) {
      failedFlushes.incrementAndGet();
      throw e;
    }
  }

  /** Writes out the buffer; with {@code sync}, forces a file's bytes to disk (for checkpoints). */
  synchronized void flush(boolean sync) throws IOException {
    try {
      writer.flush();
      if (channel != null) {
        length = channel.position();
        if (sync) {
          channel.force(false);
        }
      }
    } catch (IOException e) {
      failedFlushes.incrementAndGet();
      throw e;
    }
  }

  /** The sink's metric label: {@code jsonl-} and the file's absolute path, or {@code jsonl-stdout}. */
  @Override
  public String name() {
    return "jsonl-" + name;
  }

  @Override
  public long sent() {
    return sent.get();
  }

  @Override
  public long failed() {
    return failedFlushes.get();
  }

  @Override
  public long dropped() {
    return 0;
  }

  @Override
  public int queueDepth() {
    return 0;
  }

  @Override
  public int queueCapacity() {
    return 0;
  }

  /** The file's length after the last flush. */
  synchronized long length() {
    return length;
  }

  synchronized long written() {
    return writer.written();
  }

  @Override
  public synchronized void close() throws IOException {
    flush(true);
    if (channel != null) {
      stream.close();
    }
  }
}
