package io.specwatch.core.pipeline;

import io.specwatch.core.Position;
import java.util.concurrent.atomic.AtomicLong;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Counts documents whose processing threw (a bug, never a bad document: bad documents are
 * malformed violations) and logs the first ten and every 1000th after, so that a recurring bug
 * cannot flood the log. Shared by the stage threads and, when decoding on publish, the sources.
 */
final class StageFailures {
  private static final Logger LOG = Logger.getLogger(Pipeline.class.getName());
  private final AtomicLong count = new AtomicLong();

  void record(Throwable ex, Position pos, long sequence) {
    long n = count.incrementAndGet();
    if (n <= 10 || n % 1000 == 0) {
      LOG.log(Level.SEVERE, "internal error on the document at " + describe(pos)
          + " (sequence " + sequence + "); the pipeline goes on", ex);
    }
  }

  long count() {
    return count.get();
  }

  private static String describe(Position pos) {
    if (pos == null) {
      return "an unknown position";
    }
    StringBuilder sb = new StringBuilder();
    pos.appendJsonMembers(sb);
    return sb.toString();
  }
}
