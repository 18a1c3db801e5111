package io.specwatch.cli.graph;

import java.util.List;
import java.util.Set;

/**
 * One state machine: the constants of one enum state variable of an entity, or, for an entity
 * without one, the single state {@link #ANY}.
 *
 * @param entity the entity's name
 * @param variable the enum variable's name; null for an entity without enum variables
 * @param states the states in declaration order
 * @param initial the variable's initial value
 * @param finals the states in which the entity has ended (empty when unknown, see {@code notes})
 * @param edges transitions in handler order, then source state order, then target order
 * @param notes legend lines: events without handler, {@code ends when} that is not drawn, ...
 * @param deadlines the entity's deadlines, in source order
 */
public record StateMachine(String entity, String variable, List<String> states, String initial,
    Set<String> finals, List<Edge> edges, List<String> notes, List<DeadlineNote> deadlines) {

  /** The single state of an entity without enum state variables. */
  public static final String ANY = "(any)";

  public StateMachine {
    states = List.copyOf(states);
    finals = Set.copyOf(finals);
    edges = List.copyOf(edges);
    notes = List.copyOf(notes);
    deadlines = List.copyOf(deadlines);
  }

  /** {@code Payment.status}, or {@code Payment} for an entity without enum variables. */
  public String title() {
    return variable == null ? entity : entity + "." + variable;
  }

  public boolean isFinal(String state) {
    return finals.contains(state);
  }
}
