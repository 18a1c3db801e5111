package io.specwatch.ingest.file;

import io.specwatch.core.DocumentPublisher;
import io.specwatch.core.OversizedDocument;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * A JSONL file (read once or followed as it grows) or standard input, read on its own thread
 * and published document by document, each with a {@link FileLinePosition}.
 *
 * <p>Lifecycle: {@link #start} once, then {@link #stop} (returns when the thread has published
 * its last document: never half a line, never a line after). {@link #caughtUp()} is true once
 * everything written so far has been read, which is what makes a daemon ready.
 *
 * <p>Resuming: lines up to {@code resumeAfterLine} (from a checkpoint) are read and skipped
 * without being published, so line numbers stay those of the file. A file that turns out shorter
 * than that was truncated or replaced since the checkpoint: that is logged, and reading goes on
 * with what is there.
 */
public final class JsonlSource {
  private static final Logger LOG = Logger.getLogger(JsonlSource.class.getName());
  private static final long POLL_NANOS = TimeUnit.MILLISECONDS.toNanos(20);

  /** Opens the input; called on the source's thread. */
  @FunctionalInterface
  public interface Opener {
    InputStream open(JsonlSource source) throws IOException;
  }

  private final String name;
  private final Opener opener;
  private final int maxDocumentBytes;
  private final long resumeAfterLine;
  private volatile boolean stopping;
  private volatile boolean caughtUp;
  private volatile boolean finished;
  private volatile long lastLine;
  private volatile String failure;
  private volatile FollowingInputStream following;
  private Thread thread;

  private JsonlSource(String name, Opener opener, int maxDocumentBytes, long resumeAfterLine) {
    if (resumeAfterLine < 0) {
      throw new IllegalArgumentException("resumeAfterLine must not be negative, was " + resumeAfterLine);
    }
    this.name = name;
    this.opener = opener;
    this.maxDocumentBytes = maxDocumentBytes;
    this.resumeAfterLine = resumeAfterLine;
    this.lastLine = resumeAfterLine;
  }

  /** A file; with {@code follow}, read as it grows until stopped. */
  public static JsonlSource file(Path path, boolean follow, int maxDocumentBytes, long resumeAfterLine) {
    return new JsonlSource("file:" + path.toAbsolutePath().normalize(), s -> {
      FollowingInputStream in = new FollowingInputStream(path, follow, POLL_NANOS, () -> s.stopping);
      s.following = in;
      return in;
    }, maxDocumentBytes, resumeAfterLine);
  }

  /** Standard input (or any stream): read to its end; cannot resume, since it cannot be re-read. */
  public static JsonlSource stream(String name, InputStream in, int maxDocumentBytes) {
    return new JsonlSource(name, s -> in, maxDocumentBytes, 0);
  }

  /** The source's name, e.g. {@code file:/var/log/audit.jsonl}: its key in checkpoints. */
  public String name() {
    return name;
  }

  /** Starts reading on a new thread and publishing into {@code publisher}. */
  public synchronized void start(DocumentPublisher publisher) {
    if (thread != null) {
      throw new IllegalStateException("source " + name + " already started");
    }
    thread = new Thread(() -> run(publisher), "specwatch-source-" + name);
    thread.setDaemon(true);
    thread.start();
  }

  private void run(DocumentPublisher publisher) {
    try (InputStream in = opener.open(this)) {
      JsonlReader reader = new JsonlReader(in, maxDocumentBytes);
      reader.readAll(new JsonlReader.Handler() {
        @Override
        public void document(byte[] buf, int off, int len, long line) {
          if (admit(line)) {
            publisher.publish(buf, off, len, new FileLinePosition(name, line));
            lastLine = line;
          }
        }

        @Override
        public void oversized(long line, long size) {
          if (admit(line)) {
            publisher.publishRejected(new FileLinePosition(name, line),
                OversizedDocument.reason(size, maxDocumentBytes, "limits.max_document_bytes"));
            lastLine = line;
          }
        }
      });
      if (reader.lines() < resumeAfterLine) {
        LOG.warning("source " + name + " has " + reader.lines() + " lines, fewer than the "
            + resumeAfterLine + " already checkpointed: it was truncated or replaced");
      }
    } catch (StopReading e) {
      // stop() asked for it; the last published line is the one before
    } catch (IOException | RuntimeException e) {
      failure = e.toString();
      LOG.log(Level.SEVERE, "source " + name + " failed; its documents so far were published", e);
    } finally {
      caughtUp = true;
      finished = true;
    }
  }

  /** Whether a line is published: not one already checkpointed, and not once stopping. */
  private boolean admit(long line) {
    if (stopping) {
      throw StopReading.INSTANCE;
    }
    FollowingInputStream f = following;
    if (f != null && f.atEnd()) {
      caughtUp = true;
    }
    return line > resumeAfterLine;
  }

  /** Whether everything the input holds so far was read (a followed file at its end, a finished stream). */
  public boolean caughtUp() {
    if (caughtUp) {
      return true;
    }
    FollowingInputStream f = following;
    return f != null && f.atEnd();
  }

  /** Whether the thread has ended: end of a file read once, of a stream, or after a stop. */
  public boolean finished() {
    return finished;
  }

  /** The last line published (or skipped as already checkpointed). */
  public long lastLine() {
    return lastLine;
  }

  /** Why the source failed, or null. */
  public String failure() {
    return failure;
  }

  /**
   * Stops reading and waits up to {@code timeoutMillis} for the thread to publish its last
   * document. A stream blocked in a read (standard input) cannot be interrupted portably: it is
   * left behind (a daemon thread) and whatever it reads is never published.
   */
  public void stop(long timeoutMillis) throws InterruptedException {
    stopping = true;
    Thread t;
    synchronized (this) {
      t = thread;
    }
    if (t != null) {
      t.join(timeoutMillis);
    }
  }

  /** Unwinds the reader from inside its handler without a stack trace. */
  private static final class StopReading extends RuntimeException {
    static final StopReading INSTANCE = new StopReading();

    private StopReading() {
      super("stopped", null, false, false);
    }
  }
}
