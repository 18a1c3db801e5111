package io.specwatch.cli.demo;

import io.specwatch.core.ViolationKind;
import java.util.Locale;

/**
 * The faults the payment simulator injects, and the verdict the demo spec gives each: the first
 * two are the noise a real pipeline delivers and the spec tolerates (no violation), the others are
 * bugs it catches.
 */
public enum Fault {
  /** The same document resent with the same {@code event_id}: dropped by dedupe. */
  DUPLICATE(null, null),
  /** A document delivered up to 25 seconds of event time late, within the spec's 30s lateness. */
  LATE(null, null),
  /** A capture above the authorized amount. */
  OVER_CAPTURE(ViolationKind.INVARIANT, "capture_within_authorization"),
  /** A capture for a payment that was never authorized. */
  CAPTURE_WITHOUT_AUTHORIZATION(ViolationKind.TRANSITION, "captured"),
  /** A refund for a payment that failed. */
  REFUND_AFTER_FAILURE(ViolationKind.TRANSITION, "refunded"),
  /** An authorized payment left unsettled: voided only 20 to 60 minutes later. */
  NEVER_SETTLED(ViolationKind.DEADLINE, "settle"),
  /** A truncated line (a torn write), followed by the complete document. */
  MALFORMED(ViolationKind.MALFORMED, null);

  private final ViolationKind expectedKind;
  private final String expectedRule;

  Fault(ViolationKind expectedKind, String expectedRule) {
    this.expectedKind = expectedKind;
    this.expectedRule = expectedRule;
  }

  /** The name used in summaries and metrics: {@code over_capture}, ... */
  public String label() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** The kind of violation the demo spec raises for this fault, or null when it raises none. */
  public ViolationKind expectedKind() {
    return expectedKind;
  }

  /** The rule of that violation (null for a malformed line, which has no rule). */
  public String expectedRule() {
    return expectedRule;
  }
}
