package io.specwatch.core.checkpoint;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;

/**
 * Replacing a small file so that a crash or a power loss at any point leaves either the old
 * content or the new one: write a temporary sibling, fsync it, rename it over the target
 * atomically, then fsync the directory so the rename itself is on disk. Checkpoints and the
 * daemon's crash-recovery records use it; each step is there because dropping it loses that
 * guarantee on some file system.
 */
public final class DurableFiles {
  private DurableFiles() {}

  /** Makes {@code bytes} the content of {@code target}, durably and atomically. */
  public static void replace(Path target, byte[] bytes) throws IOException {
    Path tmp = target.resolveSibling(target.getFileName() + ".tmp");
    try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.CREATE,
        StandardOpenOption.TRUNCATE_EXISTING, StandardOpenOption.WRITE)) {
      ByteBuffer buf = ByteBuffer.wrap(bytes);
      while (buf.hasRemaining()) {
        ch.write(buf);
      }
      ch.force(true); // the bytes are on disk before the rename makes them the file
    }
    try {
      Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    } catch (AtomicMoveNotSupportedException e) {
      throw new IOException("the directory of " + target + " does not support atomic rename", e);
    }
    forceDirectory(target.toAbsolutePath().getParent());
  }

  /** Makes a rename in {@code dir} durable (best effort: not every platform syncs a directory). */
  private static void forceDirectory(Path dir) {
    try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
      ch.force(true);
    } catch (IOException e) {
      // Some platforms cannot open a directory; the rename is still atomic, only less durable.
    }
  }
}
