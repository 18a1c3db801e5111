package io.specwatch.core.engine;

/**
 * Counters of one spec's runtime, read for the {@code check} summary and (later) metrics.
 * Mutated only by the runtime's own thread.
 */
public final class RuntimeStats {
  public long documents;
  public long duplicates;
  public long ignored;
  public long events;
  public long violations;
  public long malformed;
  public long transitionViolations;
  public long invariantViolations;
  public long invariantResolutions;
  public long deadlineViolations;
  public long errors;
  public long forgotten;
  public long liveInstances;
  public long armedDeadlines;
  public long rememberedIds;
  public long evictedIds;
  public long watermark;
}
