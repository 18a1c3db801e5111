package io.specwatch.cli.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.specwatch.cli.Main;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What {@code specwatch run} says and returns when it cannot start. */
class RunCommandTest {
  @TempDir
  Path dir;

  private Path config;

  @BeforeEach
  void files() throws Exception {
    Files.writeString(dir.resolve("orders.sw"), OrdersLog.SPEC);
    Files.writeString(dir.resolve("events.jsonl"), "");
    config = dir.resolve("specwatch.yaml");
  }

  private String[] run(String yaml) throws Exception {
    Files.writeString(config, yaml);
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int status = Main.run(new String[] {"run", "--config", config.toString()},
        new ByteArrayInputStream(new byte[0]), new PrintStream(out, true, StandardCharsets.UTF_8),
        new PrintStream(err, true, StandardCharsets.UTF_8));
    return new String[] {String.valueOf(status), out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8)};
  }

  @Test
  void anInvalidConfigurationExitsTwoWithItsErrors() throws Exception {
    String[] r = run("specs: [orders.sw]\nsources: {files: [{path: events.jsonl}]}\nadmin: {port: x}\n");
    assertEquals("2", r[0]);
    assertTrue(r[2].contains("specwatch.yaml:3:15: admin.port: `x` is not a whole number"), r[2]);
  }

  @Test
  void aSpecThatDoesNotCompileExitsTwoWithCheckDiagnostics() throws Exception {
    Files.writeString(dir.resolve("orders.sw"), OrdersLog.SPEC.replace("status == Paid", "status == Payd"));
    String[] r = run("specs: [orders.sw]\nsources: {files: [{path: events.jsonl}]}\nadmin: {port: 0}\n");
    assertEquals("2", r[0]);
    assertTrue(r[2].contains("orders.sw:"), r[2]);
    assertTrue(r[2].contains("unknown name `Payd`"), r[2]);
    assertTrue(r[2].endsWith("1 error\n"), r[2]);
  }

  @Test
  void aMissingSourceFileExitsOneAndSaysWhichFile() throws Exception {
    String[] r = run("specs: [orders.sw]\nsources: {files: [{path: missing.jsonl}]}\nadmin: {port: 0}\n"
        + "state: {directory: state}\nreload: {watch: false}\n");
    assertEquals("1", r[0]);
    assertTrue(r[2].contains("cannot read the file source " + dir.resolve("missing.jsonl")
        + " (sources.files): no such file"), r[2]);
  }
}
