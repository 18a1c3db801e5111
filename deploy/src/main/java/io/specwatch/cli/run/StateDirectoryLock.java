package io.specwatch.cli.run;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * One daemon per state directory, enforced: an exclusive OS lock on {@code specwatch.lock} in the
 * directory, held for the daemon's whole run. Two daemons writing one directory would overwrite
 * each other's checkpoints and cut back each other's JSONL files, and with a Kafka source share
 * one transactional id and fence each other in turn; the second one refuses to start instead.
 *
 * <p>The lock is the kernel's ({@code fcntl}), so it is released when the process ends however it
 * ends, SIGKILL included: a stale lock file never blocks a restart. The holder writes its process
 * id into the file, for the refusal's message.
 */
final class StateDirectoryLock implements AutoCloseable {
  static final String FILE_NAME = "specwatch.lock";
  /**
   * Lock files this process holds. The kernel's lock belongs to the process, and closing any
   * descriptor of the file drops it: a second daemon in this JVM (tests run daemons in threads)
   * that opened and closed the file to find it locked would release the first one's lock for
   * every other process. So this process looks here first and never opens a file it holds.
   */
  private static final Set<Path> HELD = ConcurrentHashMap.newKeySet();

  private final FileChannel channel;
  private final Path file;

  private StateDirectoryLock(FileChannel channel, Path file) {
    this.channel = channel;
    this.file = file;
  }

  /**
   * Takes the directory (created if missing), or fails at once: never waits for another daemon.
   *
   * @throws IOException naming the holder's process id when another daemon holds it
   */
  static StateDirectoryLock acquire(Path directory) throws IOException {
    Files.createDirectories(directory);
    Path file = directory.toRealPath().resolve(FILE_NAME);
    if (!HELD.add(file)) {
      throw refusal(String.valueOf(ProcessHandle.current().pid()), file);
    }
    FileChannel channel = null;
    try {
      channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.READ,
          StandardOpenOption.WRITE);
      FileLock lock = channel.tryLock();
      if (lock == null) {
        throw refusal(holder(channel), file);
      }
      channel.truncate(0);
      channel.write(ByteBuffer.wrap((ProcessHandle.current().pid() + "\n")
          .getBytes(StandardCharsets.US_ASCII)), 0);
      return new StateDirectoryLock(channel, file);
    } catch (IOException | RuntimeException e) {
      if (channel != null) {
        channel.close(); // releases the lock if it was taken
      }
      HELD.remove(file);
      throw e;
    }
  }

  private static IOException refusal(String holder, Path file) {
    return new IOException("another specwatch run is using it"
        + (holder.isEmpty() ? "" : " (process " + holder + ")")
        + "; one daemon per state directory (" + file + " is locked)");
  }

  /** The process id the holder wrote, or empty when unreadable (it may not have written it yet). */
  private static String holder(FileChannel channel) {
    try {
      ByteBuffer buf = ByteBuffer.allocate(32);
      int n = channel.read(buf, 0);
      String text = n <= 0 ? "" : new String(buf.array(), 0, n, StandardCharsets.US_ASCII).trim();
      return text.matches("\\d{1,19}") ? text : "";
    } catch (IOException e) {
      return "";
    }
  }

  /** Releases the directory. The file stays: deleting it would race a daemon starting now. */
  @Override
  public void close() {
    try {
      channel.close(); // releases the lock
    } catch (IOException e) {
      // Nothing to do: the run is over, and the kernel drops the lock with the process anyway.
    } finally {
      HELD.remove(file);
    }
  }
}
