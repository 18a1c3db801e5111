package io.specwatch.cli.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.specwatch.core.LinePosition;
import io.specwatch.core.Violation;
import io.specwatch.core.ViolationKind;
import io.specwatch.ingest.kafka.KafkaPosition;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The JSONL sink's half of exactly-once with a Kafka source, without a broker: the source's
 * protocol (a batch written ahead, then either confirmed or, after an abort, raised again) is
 * played by hand, including the crashes between its steps. The process test
 * ({@link DaemonKafkaCrashTest}) plays it with a real broker and a real kill -9.
 */
class KafkaWriteAheadTest {
  @TempDir
  Path dir;

  private Path file() {
    return dir.resolve("violations.jsonl");
  }

  private Path state() throws IOException {
    return Files.createDirectories(dir.resolve("state"));
  }

  private static Violation kafka(int partition, long offset, String key) {
    return new Violation("orders", ViolationKind.TRANSITION, "shipped", "Order", key,
        new KafkaPosition("audit", partition, offset), 1000L, "not allowed", null);
  }

  private static Violation file(long line, String key) {
    return new Violation("orders", ViolationKind.INVARIANT, "no_overpayment", "Order", key,
        new LinePosition(line), 1000L, "broken", null);
  }

  private JsonlSinkFile open(long checkpointedLength) throws IOException {
    String key = JsonlSinkFile.key(file());
    return JsonlSinkFile.open(file(), checkpointedLength, KafkaWriteAhead.keepFile(state(), key));
  }

  private KafkaWriteAhead ahead(JsonlSinkFile sink, long checkpointedLength) throws IOException {
    return new KafkaWriteAhead(List.of(sink), state(),
        checkpointedLength < 0 ? Map.of() : Map.of(sink.checkpointKey(), checkpointedLength), false);
  }

  private List<String> lines() throws IOException {
    return Files.readAllLines(file());
  }

  @Test
  void aConfirmedBatchIsWrittenOnceAndAnAbortedOneIsNotWrittenTwice() throws IOException {
    JsonlSinkFile sink = open(-1);
    KafkaWriteAhead ahead = ahead(sink, -1);
    List<Violation> first = List.of(kafka(0, 5, "a"), kafka(0, 5, "b"), kafka(1, 9, "c"));
    ahead.accept(first);
    first.forEach(ahead.confirmations()::accept);
    // The next batch is written, then its transaction aborts (no confirmation); the member
    // rebuilds and its records raise the same violations again, plus one more record's.
    List<Violation> aborted = List.of(kafka(0, 7, "d"), kafka(1, 12, "e"));
    ahead.accept(aborted);
    assertEquals(5, lines().size(), "written ahead: the file has them before the commit");
    List<Violation> replay = List.of(kafka(0, 7, "d"), kafka(1, 12, "e"), kafka(1, 13, "f"));
    ahead.accept(replay);
    replay.forEach(ahead.confirmations()::accept);
    sink.close();
    List<String> expected = new ArrayList<>();
    for (Violation v : List.of(kafka(0, 5, "a"), kafka(0, 5, "b"), kafka(1, 9, "c"), kafka(0, 7, "d"),
        kafka(1, 12, "e"), kafka(1, 13, "f"))) {
      expected.add(v.toJson());
    }
    assertEquals(expected, lines());
  }

  @Test
  void afterACrashBetweenTheWriteAndTheCommitTheReplayedViolationsAreSkipped() throws IOException {
    JsonlSinkFile sink = open(-1);
    KafkaWriteAhead ahead = ahead(sink, -1);
    ahead.accept(List.of(kafka(0, 1, "a")));
    ahead.confirmations().accept(kafka(0, 1, "a"));
    ahead.accept(List.of(kafka(0, 2, "b"), kafka(0, 3, "c"))); // crash before the commit
    sink.flush(true);
    // Restart (no daemon checkpoint cut-back here: only Kafka lines). The restore re-applies
    // offsets 2 and 3 and raises their violations again, then offset 4's.
    JsonlSinkFile again = open(lines().stream().mapToLong(l -> l.length() + 1).sum());
    KafkaWriteAhead restarted = ahead(again, Files.size(file()));
    assertEquals(2, restarted.uncertain(0), "the two lines of the unconfirmed batch");
    List<Violation> replay = List.of(kafka(0, 2, "b"), kafka(0, 3, "c"), kafka(0, 4, "d"));
    restarted.accept(replay);
    replay.forEach(restarted.confirmations()::accept);
    again.close();
    assertEquals(List.of(kafka(0, 1, "a").toJson(), kafka(0, 2, "b").toJson(), kafka(0, 3, "c").toJson(),
        kafka(0, 4, "d").toJson()), lines());
  }

  @Test
  void aBatchTornByTheCrashIsCompletedNotSkippedWhole() throws IOException {
    JsonlSinkFile sink = open(-1);
    KafkaWriteAhead ahead = ahead(sink, -1);
    ahead.accept(List.of(kafka(0, 2, "b"), kafka(0, 3, "c")));
    sink.close();
    // The crash came while the batch was being written: only the first line, and half the second.
    String first = kafka(0, 2, "b").toJson() + "\n";
    String torn = kafka(0, 3, "c").toJson().substring(0, 20);
    Files.writeString(file(), first + torn);
    JsonlSinkFile again = open(0); // a daemon checkpoint taken before any line
    assertEquals(List.of(kafka(0, 2, "b").toJson()), lines(), "the torn line is gone, the Kafka line stays");
    KafkaWriteAhead restarted = ahead(again, 0);
    assertEquals(1, restarted.uncertain(0), "only what the file really holds may be skipped");
    restarted.accept(List.of(kafka(0, 2, "b"), kafka(0, 3, "c")));
    again.close();
    assertEquals(List.of(kafka(0, 2, "b").toJson(), kafka(0, 3, "c").toJson()), lines());
  }

  @Test
  void theCutBackDropsTheDaemonsLinesPastTheCheckpointAndKeepsTheKafkaSourcesLines() throws IOException {
    String before = file(1, "x").toJson() + "\n" + kafka(0, 1, "a").toJson() + "\n";
    String after = file(2, "y").toJson() + "\n" + kafka(0, 2, "b").toJson() + "\n" + file(3, "z").toJson()
        + "\n" + "{\"spec\":\"orders\",\"topic\":\"half a li";
    Files.writeString(file(), before + after);
    JsonlSinkFile sink = open(before.getBytes(StandardCharsets.UTF_8).length);
    sink.close();
    assertEquals(List.of(file(1, "x").toJson(), kafka(0, 1, "a").toJson(), kafka(0, 2, "b").toJson()), lines());
    assertFalse(Files.exists(KafkaWriteAhead.keepFile(state(), JsonlSinkFile.key(file()))), "the side file is gone");
  }

  @Test
  void aCrashDuringTheCutBackIsFinishedByTheNextStart() throws IOException {
    String before = file(1, "x").toJson() + "\n";
    String kept = kafka(0, 2, "b").toJson() + "\n";
    // As the cut-back leaves things when it dies after saving the kept lines and cutting the
    // file, before appending them.
    Files.writeString(file(), before);
    Path keep = KafkaWriteAhead.keepFile(state(), JsonlSinkFile.key(file()));
    Files.writeString(keep, kept);
    JsonlSinkFile sink = open(before.length());
    sink.close();
    assertEquals(List.of(file(1, "x").toJson(), kafka(0, 2, "b").toJson()), lines());
    assertFalse(Files.exists(keep));
    // And when it died before cutting: the same result, the daemon's line past the checkpoint gone.
    Files.writeString(file(), before + kept + file(2, "y").toJson() + "\n");
    Files.writeString(keep, kept);
    open(before.length()).close();
    assertEquals(List.of(file(1, "x").toJson(), kafka(0, 2, "b").toJson()), lines());
  }

  @Test
  void kafkaLinesAreToldApartByTheirPositionMembersNotByTheirText() {
    assertTrue(JsonlSinkRecovery.raisedByKafka(kafka(3, 44, "k").toJson()));
    assertFalse(JsonlSinkRecovery.raisedByKafka(file(7, "k").toJson()));
    Violation tricky = new Violation("orders", ViolationKind.MALFORMED, null, null, null,
        new LinePosition(3), null, "unexpected \"topic\":\"x\",\"partition\":1", null);
    assertFalse(JsonlSinkRecovery.raisedByKafka(tricky.toJson()));
    assertFalse(JsonlSinkRecovery.raisedByKafka("{\"spec\":\"orders\",\"topic\":\"a\",\"parti"));
  }
}
