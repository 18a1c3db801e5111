package io.specwatch.core.checkpoint;

import java.util.Optional;

/**
 * Where checkpoints are kept, by id (for example {@code topic-partition}, or a source's name).
 * A save replaces the previous checkpoint of that id atomically: after a crash, a load returns
 * either the old or the new checkpoint, never a torn one.
 */
public interface CheckpointStore {
  void save(String id, byte[] checkpoint);

  Optional<byte[]> load(String id);
}
