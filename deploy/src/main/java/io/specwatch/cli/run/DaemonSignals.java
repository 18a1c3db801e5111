package io.specwatch.cli.run;

import java.util.ArrayList;
import java.util.List;
import sun.misc.Signal;
import sun.misc.SignalHandler;

/**
 * SIGTERM and SIGINT ask the daemon to stop cleanly; SIGHUP asks it to reload its specs.
 *
 * <p>A shutdown hook cannot do the stop: once the JVM shuts down, the exit status is the
 * signal's and the orderly drain-then-checkpoint never reaches its {@code return 0}. So, as the
 * demo's InterruptSignal does, this installs handlers with {@code sun.misc.Signal} (the JDK's
 * supported way, module jdk.unsupported) and restores the previous ones on {@link #close()}. A
 * second SIGTERM or SIGINT while stopping exits at once with 143 or 130.
 */
final class DaemonSignals implements AutoCloseable {
  private final List<Signal> signals = new ArrayList<>();
  private final List<SignalHandler> previous = new ArrayList<>();
  private volatile boolean stopping;

  DaemonSignals(Runnable onStop, Runnable onReload) {
    install("TERM", s -> stop(onStop, 143));
    install("INT", s -> stop(onStop, 130));
    install("HUP", s -> onReload.run());
  }

  private void stop(Runnable onStop, int exitIfRepeated) {
    if (stopping) {
      Runtime.getRuntime().halt(exitIfRepeated);
    }
    stopping = true;
    onStop.run();
  }

  private void install(String name, SignalHandler handler) {
    try {
      Signal s = new Signal(name);
      previous.add(Signal.handle(s, handler));
      signals.add(s);
    } catch (IllegalArgumentException | UnsupportedOperationException e) {
      // Not available here (e.g. -Xrs, or HUP on Windows): the default behaviour stays.
    }
  }

  @Override
  public void close() {
    for (int i = 0; i < signals.size(); i++) {
      Signal.handle(signals.get(i), previous.get(i));
    }
  }
}
