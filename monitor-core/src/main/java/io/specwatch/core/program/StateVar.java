package io.specwatch.core.program;

/**
 * A state variable of an entity type. {@code slot} indexes the instance's long slots when the type
 * {@link ValueType#isLongSlot() lives in a long}, its reference slots otherwise.
 */
public record StateVar(String name, ValueType type, int slot) {}
