package io.specwatch.core.program;

/**
 * {@code deadline NAME: after ... expect ... within DURATION}. {@code index} is its position among
 * its entity type's deadlines; the events that arm and disarm it point to it by that index.
 */
public record Deadline(String name, int index, long withinMillis, String doc) {}
