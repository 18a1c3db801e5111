package io.specwatch.cli.graph;

import java.util.ArrayList;
import java.util.List;

/**
 * A transition drawn for one handler: from a state its {@code requires} allow to a state its body
 * can leave the variable in.
 *
 * @param from source state
 * @param to target state ({@code from} itself for a path that does not assign the variable)
 * @param event the handler's event
 * @param guards the handler's other {@code requires} clauses, in short form
 * @param otherwise true when an earlier handler of the same event also allows {@code from}: this
 *     one runs only when that one cannot
 * @param condition the {@code if} conditions under which the body reaches {@code to}, in short
 *     form; null when every path through the body reaches it
 */
public record Edge(String from, String to, String event, List<String> guards, boolean otherwise,
    String condition) {

  public Edge {
    guards = List.copyOf(guards);
  }

  /** The label's parts: the event, then {@code [guards]}, {@code [otherwise]}, {@code [if ...]}. */
  public List<String> labelParts() {
    List<String> parts = new ArrayList<>();
    parts.add(event);
    if (!guards.isEmpty()) {
      parts.add("[" + String.join(", ", guards) + "]");
    }
    if (otherwise) {
      parts.add("[otherwise]");
    }
    if (condition != null) {
      parts.add("[if " + condition + "]");
    }
    return parts;
  }

  /**
   * The label on several lines, for DOT: the event, then each part on a line of its own, and
   * several guards one a line.
   */
  public String multiLineLabel() {
    List<String> lines = new ArrayList<>();
    lines.add(event);
    if (!guards.isEmpty()) {
      lines.add("[" + String.join(",\n", guards) + "]");
    }
    if (otherwise) {
      lines.add("[otherwise]");
    }
    if (condition != null) {
      lines.add("[if " + condition + "]");
    }
    return String.join("\n", lines);
  }

  /** The label on one line, e.g. {@code refunded [e.amount > 0] [if refunded == captured]}. */
  public String label() {
    return String.join(" ", labelParts());
  }

  /** {@code from -> to : label}, for tests and debugging. */
  @Override
  public String toString() {
    return from + " -> " + to + " : " + label();
  }
}
