package io.specwatch.core.engine;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Counters of one spec: admission's (documents, duplicates, ignored, malformed) and the sum over
 * its evaluators. A snapshot: read it on the thread that runs the spec, or after it stopped.
 */
public final class RuntimeStats {
  public String spec;
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
  /** Ids the dedupe memory evicted, oldest first, at its cap (specs without event time). */
  public long evictedIds;
  /**
   * New ids the dedupe memory did not record because it held its cap ({@link
   * DedupeLimits#maxIds}; specs with event time): their documents were applied, but a copy of one
   * would not be recognised.
   */
  public long unrecordedIds;
  /**
   * Whether the dedupe memory was to remember ids exactly ({@code check}) and held more than its
   * {@link DedupeLimits#exactIds}: from then on ids were forgotten a horizon past their window.
   */
  public boolean dedupeExactnessLost;
  public long watermark;
  /** New instances refused because the spec reached its live-instance cap (each an `error`). */
  public long instancesRefused;
  private Map<String, Long> malformedByEvent = Map.of();
  private Map<String, Long> duplicatesByEvent = Map.of();

  /**
   * Malformed documents by event name, in declaration order, then {@code ""} for documents no
   * event declaration matched (a line that is not JSON). Events with none are left out.
   */
  public Map<String, Long> malformedByEvent() {
    return malformedByEvent;
  }

  /** Duplicates by the first event declaration they match, then {@code ""} for none. */
  public Map<String, Long> duplicatesByEvent() {
    return duplicatesByEvent;
  }

  private static Map<String, Long> byEvent(Admission a, long[] counts) {
    Map<String, Long> out = new LinkedHashMap<>();
    for (int i = 0; i < counts.length; i++) {
      if (counts[i] != 0) {
        out.put(i < a.program().events().size() ? a.program().events().get(i).name() : "",
            counts[i]);
      }
    }
    return Collections.unmodifiableMap(out);
  }

  /** A spec's counters from its admission stage and all its evaluators (one per shard). */
  public static RuntimeStats of(Admission a, List<Evaluator> evaluators) {
    return of(a, evaluators, new RuntimeStats());
  }

  /** Fills {@code into} from an admission stage and its evaluators, and returns it. */
  static RuntimeStats of(Admission a, List<Evaluator> evaluators, RuntimeStats into) {
    into.spec = a.program().name();
    into.documents = a.documents;
    into.duplicates = a.duplicates;
    into.ignored = a.ignored;
    into.malformed = a.malformed;
    into.rememberedIds = a.rememberedIds();
    into.evictedIds = a.evictedIds();
    into.unrecordedIds = a.unrecordedIds();
    into.dedupeExactnessLost = a.dedupeExactnessLost();
    into.watermark = a.watermark();
    into.malformedByEvent = byEvent(a, a.malformedByEvent);
    into.duplicatesByEvent = byEvent(a, a.duplicatesByEvent);
    into.instancesRefused = 0;
    into.events = 0;
    into.violations = 0;
    into.transitionViolations = 0;
    into.invariantViolations = 0;
    into.invariantResolutions = 0;
    into.deadlineViolations = 0;
    into.errors = 0;
    into.forgotten = 0;
    into.liveInstances = 0;
    into.armedDeadlines = 0;
    for (Evaluator e : evaluators) {
      into.events += e.events;
      // Malformed violations are emitted by shard 0 and counted in its `violations`.
      into.violations += e.violations;
      into.transitionViolations += e.transitionViolations;
      into.invariantViolations += e.invariantViolations;
      into.invariantResolutions += e.invariantResolutions;
      into.deadlineViolations += e.deadlineViolations;
      into.errors += e.errors;
      into.forgotten += e.forgotten;
      into.liveInstances += e.liveInstances();
      into.armedDeadlines += e.armedDeadlines();
      into.instancesRefused += e.instancesRefused;
    }
    return into;
  }
}
