package io.specwatch.cli.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class KafkaMemberIdTest {
  @TempDir
  Path dir;

  @Test
  void oneDirectoryKeepsOneIdAcrossStartsAndTheGroupPrefixesIt() throws Exception {
    Path state = dir.resolve("state");
    String first = KafkaMemberId.of(state, "payments");
    assertTrue(first.matches("payments-[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}"), first);
    assertEquals(first, KafkaMemberId.of(state, "payments"), "the same id on the next start");
    assertEquals(first.replace("payments-", "audit-"), KafkaMemberId.of(state, "audit"));
  }

  @Test
  void anotherDirectoryIsAnotherMember() throws Exception {
    assertNotEquals(KafkaMemberId.of(dir.resolve("a"), "g"), KafkaMemberId.of(dir.resolve("b"), "g"));
  }

  @Test
  void aTornOrEditedFileIsReplacedNotUsed() throws Exception {
    Path state = dir.resolve("state");
    Files.createDirectories(state);
    Files.writeString(state.resolve(KafkaMemberId.FILE_NAME), "not-a-uuid; rm -rf /\n");
    String id = KafkaMemberId.of(state, "g");
    assertTrue(id.matches("g-[0-9a-f-]{36}"), id);
    assertEquals(id, KafkaMemberId.of(state, "g"), "the replacement is kept");
  }
}
