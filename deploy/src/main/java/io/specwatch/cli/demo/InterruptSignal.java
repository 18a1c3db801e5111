package io.specwatch.cli.demo;

import java.io.PrintStream;
import sun.misc.Signal;
import sun.misc.SignalHandler;

/**
 * Turns Ctrl-C (SIGINT) into a clean stop: the first one calls {@code onInterrupt} and the demo
 * drains, prints its summary and exits 0; a second one exits at once with status 130.
 *
 * <p>A shutdown hook could not do this: once the JVM is shutting down, the exit status is the
 * signal's and the command's own return is never reached. So this installs a signal handler
 * ({@code sun.misc.Signal}, in the {@code jdk.unsupported} module, the supported way to do it on
 * the JDK), and restores the previous handler on {@link #close()}.
 */
public final class InterruptSignal implements AutoCloseable {
  private static final Signal INT = new Signal("INT");

  private final SignalHandler previous;
  private volatile boolean interrupted;

  private InterruptSignal(Runnable onInterrupt, PrintStream err) {
    this.previous = Signal.handle(INT, signal -> {
      if (interrupted) {
        err.println();
        err.println("specwatch demo: interrupted again, exiting without a summary");
        Runtime.getRuntime().halt(130);
      }
      interrupted = true;
      onInterrupt.run();
    });
  }

  /**
   * Installs the handler, or returns null where the JVM does not allow it (e.g. {@code -Xrs}):
   * Ctrl-C then ends the process the usual way.
   */
  public static InterruptSignal install(Runnable onInterrupt, PrintStream err) {
    try {
      return new InterruptSignal(onInterrupt, err);
    } catch (IllegalArgumentException | UnsupportedOperationException e) {
      return null;
    }
  }

  @Override
  public void close() {
    Signal.handle(INT, previous);
  }
}
