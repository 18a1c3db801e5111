package io.specwatch.core.program;

import java.util.List;
import java.util.Objects;

/**
 * The static type of a state variable, event field or expression.
 *
 * <p>Values of {@link Kind#isLongSlot() long-slot} kinds (int, bool, time, duration, enum) are held
 * as a primitive {@code long} (bool as 0/1, enum as the constant's ordinal, time as epoch
 * milliseconds, duration as milliseconds); strings and sets are held as references. Each
 * {@code enum { ... }} declaration is its own type: two enum types are equal only if they are the
 * same object.
 */
public final class ValueType {
  public enum Kind {
    INT, BOOL, STRING, TIME, DURATION, ENUM, SET_INT, SET_STRING;

    public boolean isLongSlot() {
      return this != STRING && this != SET_INT && this != SET_STRING;
    }

    public boolean isSet() {
      return this == SET_INT || this == SET_STRING;
    }
  }

  public static final ValueType INT = new ValueType(Kind.INT, null, "int");
  public static final ValueType BOOL = new ValueType(Kind.BOOL, null, "bool");
  public static final ValueType STRING = new ValueType(Kind.STRING, null, "string");
  public static final ValueType TIME = new ValueType(Kind.TIME, null, "time");
  public static final ValueType DURATION = new ValueType(Kind.DURATION, null, "duration");
  public static final ValueType SET_INT = new ValueType(Kind.SET_INT, null, "set<int>");
  public static final ValueType SET_STRING = new ValueType(Kind.SET_STRING, null, "set<string>");

  private final Kind kind;
  private final List<String> constants;
  private final String display;

  private ValueType(Kind kind, List<String> constants, String display) {
    this.kind = kind;
    this.constants = constants;
    this.display = display;
  }

  /** A fresh enum type; {@code ownerName} (the variable's name) only serves error messages. */
  public static ValueType newEnum(List<String> constants, String ownerName) {
    return new ValueType(Kind.ENUM, List.copyOf(constants),
        "enum { " + String.join(", ", constants) + " } (of `" + ownerName + "`)");
  }

  public Kind kind() {
    return kind;
  }

  public boolean isLongSlot() {
    return kind.isLongSlot();
  }

  /** Enum constants in declaration order (ordinal = index); empty for other kinds. */
  public List<String> constants() {
    return constants == null ? List.of() : constants;
  }

  public int ordinalOf(String constant) {
    return constants().indexOf(constant);
  }

  /** The element type of a set type. */
  public ValueType elementType() {
    return switch (kind) {
      case SET_INT -> INT;
      case SET_STRING -> STRING;
      default -> throw new IllegalStateException(display + " is not a set type");
    };
  }

  @Override
  public String toString() {
    return display;
  }

  @Override
  public boolean equals(Object o) {
    // Enum types are compared by identity; the singletons are unique anyway.
    return this == o;
  }

  @Override
  public int hashCode() {
    return Objects.hash(kind, System.identityHashCode(this));
  }
}
