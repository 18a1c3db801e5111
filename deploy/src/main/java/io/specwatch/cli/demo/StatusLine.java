package io.specwatch.cli.demo;

import io.specwatch.core.json.Rfc3339;
import java.io.PrintStream;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

/**
 * The demo's live one-line status on standard error: events/s, total events, event time, live
 * instances, ring backlog and the five rules with the most violations.
 *
 * <p>On a terminal the line is redrawn in place with {@code \r} every second, and alerts printed
 * on the same terminal go through {@link #printAbove}, which wipes the line, prints, and redraws
 * it; otherwise (a file, a pipe, a CI log) a new line is written every five seconds.
 */
public final class StatusLine implements AutoCloseable {
  private final PrintStream err;
  private final boolean inPlace;
  private final Supplier<DemoSnapshot> source;
  private final LongSupplier nanoTime;
  private final long periodMillis;
  private ScheduledExecutorService timer;
  private String shown = "";
  private long startNanos;
  private long lastDocuments;
  private long lastNanos;

  /**
   * @param inPlace redraw one line with {@code \r} (on a terminal), rather than append lines
   */
  public StatusLine(PrintStream err, boolean inPlace, Supplier<DemoSnapshot> source,
      LongSupplier nanoTime) {
    this.err = err;
    this.inPlace = inPlace;
    this.source = source;
    this.nanoTime = nanoTime;
    this.periodMillis = inPlace ? 1_000 : 5_000;
    this.startNanos = nanoTime.getAsLong();
    this.lastNanos = startNanos;
  }

  /** Starts refreshing on a daemon timer thread; rates count from now. */
  public synchronized void start() {
    startNanos = nanoTime.getAsLong();
    lastNanos = startNanos;
    timer = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, "specwatch-status");
      t.setDaemon(true);
      return t;
    });
    timer.scheduleAtFixedRate(this::refresh, periodMillis, periodMillis, TimeUnit.MILLISECONDS);
  }

  /** Computes and shows the current status, with the rate since the previous refresh. */
  public synchronized void refresh() {
    DemoSnapshot s = source.get();
    long now = nanoTime.getAsLong();
    double rate = (s.documents() - lastDocuments) / (Math.max(now - lastNanos, 1) / 1e9);
    lastDocuments = s.documents();
    lastNanos = now;
    show(format(s, rate));
  }

  /** Runs {@code print} (which writes to a stream sharing the terminal) with the line out of the way. */
  public synchronized void printAbove(Runnable print) {
    boolean wipe = inPlace && !shown.isEmpty();
    if (wipe) {
      err.print("\r" + " ".repeat(shown.length()) + "\r");
      err.flush();
    }
    print.run();
    if (wipe) {
      err.print(shown);
      err.flush();
    }
  }

  private void show(String text) {
    if (inPlace) {
      // Blanks cover what is left of a longer previous line.
      int excess = Math.max(0, shown.length() - text.length());
      err.print("\r" + text + " ".repeat(excess));
      if (excess > 0) {
        err.print("\r" + text);
      }
    } else {
      err.println(text);
    }
    err.flush();
    shown = text;
  }

  /** Stops refreshing, shows the final status (with the average rate) and ends the line. */
  @Override
  public void close() {
    ScheduledExecutorService t;
    synchronized (this) {
      t = timer;
      timer = null;
    }
    if (t != null) {
      t.shutdownNow();
      try {
        t.awaitTermination(10, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt(); // the final refresh below still holds the lock
      }
    }
    synchronized (this) {
      // The last interval is a fragment (the source stopped part way): show the whole run's rate.
      DemoSnapshot s = source.get();
      double rate = s.documents() / (Math.max(nanoTime.getAsLong() - startNanos, 1) / 1e9);
      show(format(s, rate).replaceFirst(" ev/s", " ev/s average"));
      if (inPlace) {
        err.println();
        shown = "";
      }
    }
  }

  /** The status text, e.g. {@code 5,002 ev/s | 125,050 events | ... | violations 312: settle 80, ...}. */
  public static String format(DemoSnapshot s, double eventsPerSecond) {
    StringBuilder sb = new StringBuilder(200);
    sb.append(String.format(Locale.ROOT, "%,.0f ev/s | %,d events | event time %s | %,d live | "
            + "backlog %,d | violations %,d", eventsPerSecond, s.documents(),
        Rfc3339.format(s.eventTime()).substring(0, 16) + "Z", s.liveInstances(), s.backlog(),
        s.totalViolations()));
    List<ViolationCounter.Count> top = s.violations();
    for (int i = 0; i < Math.min(5, top.size()) && top.get(i).count() > 0; i++) {
      ViolationCounter.Count c = top.get(i);
      sb.append(i == 0 ? ": " : ", ").append(c.rule().label()).append(' ')
          .append(String.format(Locale.ROOT, "%,d", c.count()));
    }
    return sb.toString();
  }
}
