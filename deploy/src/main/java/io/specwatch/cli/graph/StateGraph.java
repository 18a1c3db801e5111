package io.specwatch.cli.graph;

import java.util.List;

/** The state machines of one spec, in entity order (and, within an entity, variable order). */
public record StateGraph(String specName, List<StateMachine> machines) {

  public StateGraph {
    machines = List.copyOf(machines);
  }
}
