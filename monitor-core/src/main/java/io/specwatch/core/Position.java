package io.specwatch.core;

/**
 * Where a document came from: a line of a file, or (later) a Kafka topic, partition and offset.
 * Every violation carries the position of the document that raised it, so it can be reproduced.
 */
public interface Position {
  /** Appends this position's JSON members, e.g. {@code "line":5}, with no surrounding braces. */
  void appendJsonMembers(StringBuilder sb);

  /**
   * Whether this position links to a trace (OTLP: trace and span ids). The engine keeps such a
   * position for each deadline the document arms, so the deadline's violation can carry it as
   * {@link Violation#armedAt()}; other positions are not retained, which keeps memory flat for
   * file and Kafka sources.
   */
  default boolean carriesTraceContext() {
    return false;
  }
}
