package io.specwatch.core.checkpoint;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.HexFormat;
import java.util.Optional;

/**
 * Checkpoints in a local directory, for sources without Kafka (files, stdin, HTTP): one file per
 * id, replaced by write-to-temporary, fsync, then atomic rename, so a crash at any point leaves
 * the previous checkpoint or the new one intact. Ids are hex-encoded into file names, so any id
 * is safe and none can escape the directory.
 */
public final class DirectoryCheckpointStore implements CheckpointStore {
  private final Path dir;

  public DirectoryCheckpointStore(Path dir) {
    this.dir = dir;
    try {
      Files.createDirectories(dir);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create checkpoint directory " + dir, e);
    }
  }

  @Override
  public void save(String id, byte[] checkpoint) {
    Path target = fileOf(id);
    Path tmp = dir.resolve(target.getFileName() + ".tmp");
    try {
      try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.CREATE,
          StandardOpenOption.TRUNCATE_EXISTING, StandardOpenOption.WRITE)) {
        ByteBuffer buf = ByteBuffer.wrap(checkpoint);
        while (buf.hasRemaining()) {
          ch.write(buf);
        }
        ch.force(true); // the bytes are on disk before the rename makes them the checkpoint
      }
      try {
        Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      } catch (AtomicMoveNotSupportedException e) {
        throw new IOException("the checkpoint directory " + dir + " does not support atomic rename", e);
      }
      forceDirectory();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write checkpoint " + target, e);
    }
  }

  @Override
  public Optional<byte[]> load(String id) {
    try {
      return Optional.of(Files.readAllBytes(fileOf(id)));
    } catch (NoSuchFileException e) {
      return Optional.empty();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read checkpoint of " + id, e);
    }
  }

  private Path fileOf(String id) {
    return dir.resolve(HexFormat.of().formatHex(id.getBytes(StandardCharsets.UTF_8)) + ".ckpt");
  }

  /** Makes the rename itself durable (best effort: not every file system lets a directory sync). */
  private void forceDirectory() {
    try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
      ch.force(true);
    } catch (IOException e) {
      // Some platforms cannot open a directory; the rename is still atomic, only less durable.
    }
  }
}
