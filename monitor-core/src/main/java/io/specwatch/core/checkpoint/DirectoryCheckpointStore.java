package io.specwatch.core.checkpoint;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
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
    try {
      DurableFiles.replace(target, checkpoint);
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
}
