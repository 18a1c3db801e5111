package io.specwatch.core.program;

import io.specwatch.core.json.DocumentView;

/**
 * An event declaration's {@code when} predicate over document paths. A comparison with a missing
 * path, or with a value of another JSON type than the literal, is false for every operator.
 * Node classes are in {@link Predicates}.
 */
public abstract class Predicate {
  public abstract boolean test(DocumentView doc);
}
