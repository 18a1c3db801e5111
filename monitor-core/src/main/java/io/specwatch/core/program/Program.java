package io.specwatch.core.program;

import java.util.List;

/**
 * A compiled spec: what {@code spec-compiler} produces and the runtime executes. It is immutable
 * and holds no runtime state, so one program can drive any number of monitors.
 *
 * <p>{@code paths} lists every document path the spec reads; predicates, keys, fields and the
 * input clauses refer to them by index, so a document is parsed once for all of them.
 */
public record Program(String name, String sourceName, InputSpec input, List<DocPath> paths,
    List<EntityType> entities, List<EventType> events) {

  public Program {
    paths = List.copyOf(paths);
    entities = List.copyOf(entities);
    events = List.copyOf(events);
  }
}
