package io.specwatch.core.program;

/**
 * A field of an event declaration: read from document path {@code path} (a spec path index),
 * converted to {@code type} and stored in the event's long or reference {@code slot}.
 * {@code defaultValue} is a Long or a String, or null when there is no default.
 */
public record EventField(String name, ValueType type, int path, String pathText, int slot,
    Object defaultValue) {}
