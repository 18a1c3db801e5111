package io.specwatch.core;

/**
 * Where a document came from: a line of a file, or (later) a Kafka topic, partition and offset.
 * Every violation carries the position of the document that raised it, so it can be reproduced.
 */
public interface Position {
  /** Appends this position's JSON members, e.g. {@code "line":5}, with no surrounding braces. */
  void appendJsonMembers(StringBuilder sb);
}
