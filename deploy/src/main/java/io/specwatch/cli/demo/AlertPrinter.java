package io.specwatch.cli.demo;

import io.specwatch.core.Violation;
import io.specwatch.core.ViolationSink;
import java.io.PrintStream;
import java.util.Locale;
import java.util.function.Consumer;

/**
 * Prints each violation as it happens: one human-readable line, or the contract's JSON line
 * ({@code --json}, the same as {@code specwatch check} prints). Runs on one sink queue's thread.
 *
 * <pre>
 * 09:14:02.120 DEADLINE   settle                       Payment p-004211  line 18231  An authorized payment is ... state={status:Authorized,...}
 * </pre>
 *
 * The time is the violation's event time (a deadline's expiry), UTC; a malformed line has none.
 */
public final class AlertPrinter implements ViolationSink {
  private static final long MILLIS_PER_DAY = 86_400_000L;

  private final PrintStream out;
  private final boolean json;
  private final Consumer<Runnable> guard;
  private final Runnable onClosed;
  private final StringBuilder line = new StringBuilder(512);
  private boolean closed;

  /**
   * @param guard runs each print, so that a status line sharing the terminal can step aside
   * @param onClosed called once when {@code out} fails (e.g. {@code specwatch demo | head} ended)
   */
  public AlertPrinter(PrintStream out, boolean json, Consumer<Runnable> guard, Runnable onClosed) {
    this.out = out;
    this.json = json;
    this.guard = guard;
    this.onClosed = onClosed;
  }

  @Override
  public void accept(Violation v) {
    line.setLength(0);
    if (json) {
      v.appendJson(line);
    } else {
      appendHuman(line, v);
    }
    String text = line.toString();
    guard.accept(() -> {
      out.println(text);
      out.flush();
    });
    // A PrintStream swallows write errors; without this check a closed pipe would go unnoticed.
    if (!closed && out.checkError()) {
      closed = true;
      onClosed.run();
    }
  }

  /** The human form of one violation, without a line end. */
  public static String human(Violation v) {
    StringBuilder sb = new StringBuilder(256);
    appendHuman(sb, v);
    return sb.toString();
  }

  private static void appendHuman(StringBuilder sb, Violation v) {
    if (v.time() == null) {
      sb.append("--:--:--.---");
    } else {
      long ms = Math.floorMod(v.time(), MILLIS_PER_DAY);
      sb.append(String.format(Locale.ROOT, "%02d:%02d:%02d.%03d", ms / 3_600_000, ms / 60_000 % 60,
          ms / 1000 % 60, ms % 1000));
    }
    sb.append(' ');
    // Fixed columns, wide enough for the demo's names, so that a stream of alerts reads as a table.
    column(sb, v.kind().name(), 10, 1);
    column(sb, v.rule() == null ? "-" : v.rule(), 28, 1);
    column(sb, v.entity() == null ? "-" : v.entity() + " " + v.key(), 16, 2);
    String position = "at end";
    if (v.position() != null) {
      // Positions print as JSON members ("line":5); the human form drops the punctuation.
      StringBuilder pos = new StringBuilder();
      v.position().appendJsonMembers(pos);
      position = pos.toString().replace("\"", "").replace(':', ' ').replace(',', ' ');
    }
    column(sb, position, 10, 2);
    sb.append(v.message());
    if (v.state() != null) {
      StringBuilder state = new StringBuilder();
      v.state().appendJson(state);
      sb.append(" state=");
      appendCompact(sb, state);
    }
  }

  private static void column(StringBuilder sb, String s, int width, int gap) {
    sb.append(s);
    for (int i = s.length(); i < width + gap; i++) {
      sb.append(' ');
    }
  }

  /**
   * Copies a JSON value without the quotes of object keys and of strings that need none, e.g.
   * {@code {status:Authorized,authorized:4200}}: easier to read in a terminal.
   */
  static void appendCompact(StringBuilder sb, CharSequence json) {
    int i = 0;
    while (i < json.length()) {
      char c = json.charAt(i);
      if (c != '"') {
        sb.append(c);
        i++;
        continue;
      }
      int end = i + 1;
      boolean plain = true;
      while (json.charAt(end) != '"') {
        char d = json.charAt(end);
        if (d == '\\') {
          plain = false;
          end++;
        } else if (!(Character.isLetterOrDigit(d) || d == '_' || d == '-' || d == '.' || d == ':')) {
          plain = false;
        }
        end++;
      }
      if (plain && end > i + 1) {
        sb.append(json, i + 1, end);
      } else {
        sb.append(json, i, end + 1);
      }
      i = end + 1;
    }
  }
}
