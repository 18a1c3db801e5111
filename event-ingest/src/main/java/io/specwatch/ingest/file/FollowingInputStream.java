package io.specwatch.ingest.file;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;

/**
 * A file read like {@code tail -f}: at its end, instead of returning end-of-stream, it waits for
 * the file to grow and goes on, until {@code stopped} says otherwise. {@link #atEnd()} tells a
 * reader that every byte written so far has been read (the source is caught up).
 *
 * <p>Growth is polled rather than watched: a WatchService does not report appends on every
 * platform or file system (NFS, overlay), and polling a file's size every few milliseconds costs
 * nothing measurable. If the file shrinks (truncated or replaced by rotation), reading starts
 * again from its beginning and {@link #truncations()} counts it.
 */
public final class FollowingInputStream extends InputStream {
  private final Path path;
  private final boolean follow;
  private final long pollNanos;
  private final BooleanSupplier stopped;
  private FileChannel channel;
  private long position;
  private volatile boolean atEnd;
  private volatile long truncations;

  /**
   * @param follow whether to wait for more data at the end; false reads the file once
   * @param pollNanos how long to wait between checks for growth
   * @param stopped checked while waiting; once true, the end of the data is end-of-stream
   */
  public FollowingInputStream(Path path, boolean follow, long pollNanos, BooleanSupplier stopped)
      throws IOException {
    this.path = path;
    this.follow = follow;
    this.pollNanos = pollNanos;
    this.stopped = stopped;
    this.channel = FileChannel.open(path, StandardOpenOption.READ);
  }

  @Override
  public int read() throws IOException {
    byte[] one = new byte[1];
    int n = read(one, 0, 1);
    return n < 0 ? -1 : one[0] & 0xff;
  }

  @Override
  public int read(byte[] b, int off, int len) throws IOException {
    if (len == 0) {
      return 0;
    }
    while (true) {
      int n = channel.read(ByteBuffer.wrap(b, off, len), position);
      if (n > 0) {
        position += n;
        atEnd = false;
        return n;
      }
      atEnd = true;
      if (!follow || stopped.getAsBoolean()) {
        return -1;
      }
      if (channel.size() < position) {
        // Truncated or rotated in place: what follows is a new file's content.
        truncations++;
        position = 0;
        continue;
      }
      LockSupport.parkNanos(pollNanos);
      if (Thread.interrupted()) {
        Thread.currentThread().interrupt();
        return -1;
      }
    }
  }

  /** Whether the last read found no more data: everything written so far has been consumed. */
  public boolean atEnd() {
    return atEnd;
  }

  public long truncations() {
    return truncations;
  }

  /** Bytes read from the file so far. */
  public long position() {
    return position;
  }

  public Path path() {
    return path;
  }

  @Override
  public void close() throws IOException {
    channel.close();
  }
}
