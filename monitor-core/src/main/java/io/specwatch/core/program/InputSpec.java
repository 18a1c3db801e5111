package io.specwatch.core.program;

/**
 * The {@code input} block. Path indexes are -1 when the clause is absent. Without {@code id} there
 * is no dedupe; with it, {@code dedupeWindowMillis} defaults to one hour.
 */
public record InputSpec(int timePath, String timePathText, int idPath, long dedupeWindowMillis,
    long latenessMillis) {

  public static final long DEFAULT_DEDUPE_WINDOW_MILLIS = 3_600_000L;

  public static InputSpec none() {
    return new InputSpec(-1, null, -1, DEFAULT_DEDUPE_WINDOW_MILLIS, 0);
  }

  public boolean hasTime() {
    return timePath >= 0;
  }

  public boolean hasId() {
    return idPath >= 0;
  }
}
