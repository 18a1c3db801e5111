package io.specwatch.cli.run;

import io.specwatch.core.checkpoint.DurableFiles;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.UUID;

/**
 * The daemon's Kafka transactional id when {@code sources.kafka.transactional_id} is not set:
 * {@code <group>-<uuid>}, the uuid made once and kept in the state directory
 * ({@value #FILE_NAME}).
 *
 * <p>Why kept: a transactional id must be unique among live members and should be the same
 * across restarts of one member. Then a restarted daemon's {@code initTransactions} fences its
 * crashed predecessor and aborts its open transaction at once; with a fresh id each start, that
 * transaction would hold back the {@code read_committed} readers of its partitions (the
 * violations topic, the changelog, the new owner's restore) until the broker's transaction
 * timeout. Kafka Streams keeps its process id in its state directory for the same reason. The
 * state directory is one daemon's alone ({@link StateDirectoryLock}), so the id is unique as long
 * as directories are not copied between machines; give {@code transactional_id} (e.g. the pod
 * name) where state directories do not survive restarts.
 */
final class KafkaMemberId {
  static final String FILE_NAME = "kafka-member-id";

  private KafkaMemberId() {}

  /** The id for {@code groupId}, making and saving the directory's uuid on first use. */
  static String of(Path stateDirectory, String groupId) throws IOException {
    Path file = stateDirectory.resolve(FILE_NAME);
    String uuid = null;
    try {
      String text = Files.readString(file, StandardCharsets.US_ASCII).trim();
      UUID.fromString(text); // a torn or edited file is made again, not used
      uuid = text;
    } catch (NoSuchFileException e) {
      // first start with this directory
    } catch (IllegalArgumentException | java.nio.charset.MalformedInputException e) {
      // unreadable: replaced below (a new id only costs the fencing of one predecessor)
    }
    if (uuid == null) {
      uuid = UUID.randomUUID().toString();
      Files.createDirectories(stateDirectory);
      DurableFiles.replace(file, (uuid + "\n").getBytes(StandardCharsets.US_ASCII));
    }
    return groupId + "-" + uuid;
  }
}
