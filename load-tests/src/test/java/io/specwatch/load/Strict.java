package io.specwatch.load;

/**
 * {@code -Dspecwatch.diff.strict=true}: hold the engine to the contract's text where it knowingly
 * deviates (load-tests/README.md, "Known deviations": the bounded dedupe memory of
 * docs/language.md choice 4, and times of exactly {@code Long.MAX_VALUE}). Off by default, so that
 * the build stays green and the differential tests keep finding new disagreements; on, the models
 * follow the contract there, the traces include such times, and {@link ContractDeviationsTest}
 * runs (and fails until the engine or the contract changes).
 */
final class Strict {
  static final boolean ON = Boolean.getBoolean("specwatch.diff.strict");

  private Strict() {}
}
