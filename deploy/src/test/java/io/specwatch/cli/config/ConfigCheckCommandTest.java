package io.specwatch.cli.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.specwatch.cli.Main;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConfigCheckCommandTest {
  @TempDir
  Path dir;

  private String[] run(String... args) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int status = Main.run(args, new ByteArrayInputStream(new byte[0]),
        new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
    return new String[] {String.valueOf(status), out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8)};
  }

  @Test
  void aValidFilePrintsOkAndExitsZero() throws Exception {
    Path f = dir.resolve("specwatch.yaml");
    Files.writeString(f, "specs: [a.sw]\nsources: {files: [{path: e.jsonl}]}\n");
    String[] r = run("config", "check", f.toString());
    assertEquals("0", r[0], r[2]);
    assertEquals("OK: " + f + " (1 spec(s), sources: 1 file(s))\n", r[1]);
    Files.writeString(f, "specs: [a.sw]\nsources: {kafka: {bootstrap_servers: b, topic_pattern: 'audit\\..*', "
        + "group_id: g, start_position: latest, properties: {security.protocol: SASL_SSL, "
        + "sasl.jaas.config: 'x required password=\"hunter2\";'}}}\n");
    String[] k = run("config", "check", f.toString());
    assertEquals("0", k[0], k[2]);
    assertFalse(k[1].contains("hunter2"), k[1]);
    assertEquals("OK: " + f + " (1 spec(s), sources: kafka (group g, topics matching audit\\..*, SASL_SSL, "
        + "start latest))\n", k[1]);
  }

  @Test
  void anInvalidFilePrintsEveryErrorAndExitsTwo() throws Exception {
    Path f = dir.resolve("specwatch.yaml");
    Files.writeString(f, "specs: [a.sw]\nsources: {files: [{path: e.jsonl}]}\nadmin: {prot: 1}\nstate: {interval: x}\n");
    String[] r = run("config", "check", f.toString());
    assertEquals("2", r[0]);
    assertTrue(r[2].contains(f + ":3:9: admin.prot: unknown key (did you mean `port`?)"), r[2]);
    assertTrue(r[2].contains(f + ":4:19: state.interval: `x` is not a duration"), r[2]);
    assertTrue(r[2].endsWith("2 errors\n"), r[2]);
  }

  @Test
  void aMissingFileIsAnErrorThatSaysSo() {
    String[] r = run("config", "check", dir.resolve("nope.yaml").toString());
    assertEquals("2", r[0]);
    assertTrue(r[2].contains("nope.yaml:1:1: cannot read: no such file"), r[2]);
  }
}
