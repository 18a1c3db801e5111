package io.specwatch.core.program;

import java.util.List;

/**
 * An entity type: its key path, its state layout (a fixed number of long and reference slots),
 * the initial state, {@code ends when}, its invariants and deadlines in source order.
 */
public final class EntityType {
  private final String name;
  private final int index;
  private final int keyPath;
  private final String keyPathText;
  private final List<StateVar> vars;
  private final long[] initialLongs;
  private final Object[] initialRefs;
  private final Expr endsWhen;
  private final List<Invariant> invariants;
  private final List<Deadline> deadlines;
  private final String doc;

  public EntityType(String name, int index, int keyPath, String keyPathText, List<StateVar> vars,
      long[] initialLongs, Object[] initialRefs, Expr endsWhen, List<Invariant> invariants,
      List<Deadline> deadlines, String doc) {
    this.name = name;
    this.index = index;
    this.keyPath = keyPath;
    this.keyPathText = keyPathText;
    this.vars = List.copyOf(vars);
    this.initialLongs = initialLongs.clone();
    this.initialRefs = initialRefs.clone();
    this.endsWhen = endsWhen;
    this.invariants = List.copyOf(invariants);
    this.deadlines = List.copyOf(deadlines);
    this.doc = doc;
  }

  public String name() {
    return name;
  }

  public int index() {
    return index;
  }

  public int keyPath() {
    return keyPath;
  }

  public String keyPathText() {
    return keyPathText;
  }

  public List<StateVar> vars() {
    return vars;
  }

  public int longSlots() {
    return initialLongs.length;
  }

  public int refSlots() {
    return initialRefs.length;
  }

  /** The initial long slots; callers copy, never write. */
  public long[] initialLongs() {
    return initialLongs;
  }

  /** The initial reference slots (strings and immutable empty or literal sets); callers copy. */
  public Object[] initialRefs() {
    return initialRefs;
  }

  /** Null when the entity never ends. */
  public Expr endsWhen() {
    return endsWhen;
  }

  public List<Invariant> invariants() {
    return invariants;
  }

  public List<Deadline> deadlines() {
    return deadlines;
  }

  public String doc() {
    return doc;
  }
}
