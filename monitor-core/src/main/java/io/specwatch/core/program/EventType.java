package io.specwatch.core.program;

import java.util.List;

/**
 * An event declaration: which documents it matches, how they decode (key, fields), which handlers
 * run it, and which of its entity's deadlines it disarms and arms (entity deadline indexes).
 */
public final class EventType {
  private final String name;
  private final int index;
  private final EntityType entity;
  private final int keyPath;
  private final String keyPathText;
  private final Predicate when;
  private final List<EventField> fields;
  private final int longSlots;
  private final int refSlots;
  private final List<Handler> handlers;
  private final int[] disarms;
  private final int[] arms;
  private final String doc;

  public EventType(String name, int index, EntityType entity, int keyPath, String keyPathText,
      Predicate when, List<EventField> fields, int longSlots, int refSlots, List<Handler> handlers,
      int[] disarms, int[] arms, String doc) {
    this.name = name;
    this.index = index;
    this.entity = entity;
    this.keyPath = keyPath;
    this.keyPathText = keyPathText;
    this.when = when;
    this.fields = List.copyOf(fields);
    this.longSlots = longSlots;
    this.refSlots = refSlots;
    this.handlers = List.copyOf(handlers);
    this.disarms = disarms.clone();
    this.arms = arms.clone();
    this.doc = doc;
  }

  public String name() {
    return name;
  }

  public int index() {
    return index;
  }

  public EntityType entity() {
    return entity;
  }

  public int keyPath() {
    return keyPath;
  }

  public String keyPathText() {
    return keyPathText;
  }

  public Predicate when() {
    return when;
  }

  public List<EventField> fields() {
    return fields;
  }

  public int longSlots() {
    return longSlots;
  }

  public int refSlots() {
    return refSlots;
  }

  public List<Handler> handlers() {
    return handlers;
  }

  public int[] disarms() {
    return disarms;
  }

  public int[] arms() {
    return arms;
  }

  public String doc() {
    return doc;
  }
}
