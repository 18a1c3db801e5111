package io.specwatch.cli.run;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The lock within one JVM (across processes: DaemonProcessTest). A refused second attempt must
 * leave the first one's kernel lock in place, which closing a descriptor of the file would drop.
 */
class StateDirectoryLockTest {
  @TempDir
  Path dir;

  @Test
  void aSecondAttemptIsRefusedAndLeavesTheFirstLockHeld() throws Exception {
    try (StateDirectoryLock first = StateDirectoryLock.acquire(dir)) {
      IOException e = assertThrows(IOException.class, () -> StateDirectoryLock.acquire(dir));
      assertTrue(e.getMessage().contains("another specwatch run is using it (process "
          + ProcessHandle.current().pid() + ")"), e.getMessage());
      assertTrue(kernelLockHeld(), "the refused attempt did not release the kernel's lock");
    }
    try (StateDirectoryLock again = StateDirectoryLock.acquire(dir)) {
      assertTrue(kernelLockHeld(), "taken again once released");
    }
  }

  /**
   * Whether the kernel's lock is held, asked the only way one JVM can: from a child process,
   * since inside this JVM the JDK answers from its own table.
   */
  private boolean kernelLockHeld() throws Exception {
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    Process p = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"),
        LockProbe.class.getName(), dir.resolve(StateDirectoryLock.FILE_NAME).toString())
        .redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes()).trim();
    p.waitFor();
    assertTrue(out.equals("held") || out.equals("free"), out);
    return out.equals("held");
  }

  /** Prints whether another process holds the lock on the file given. */
  public static final class LockProbe {
    public static void main(String[] args) throws IOException {
      try (FileChannel c = FileChannel.open(Path.of(args[0]), StandardOpenOption.WRITE)) {
        FileLock lock = c.tryLock();
        System.out.println(lock == null ? "held" : "free");
      }
    }
  }
}
