package io.specwatch.core;

import java.util.Locale;

/** The five kinds of violation of the contract. */
public enum ViolationKind {
  TRANSITION, INVARIANT, DEADLINE, MALFORMED, ERROR;

  /** The name as written in violations: {@code transition}, {@code invariant}, ... */
  public String label() {
    return name().toLowerCase(Locale.ROOT);
  }
}
