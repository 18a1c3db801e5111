package io.specwatch.core;

import io.specwatch.core.json.JsonText;
import io.specwatch.core.json.Rfc3339;

/**
 * One violation, with its evidence. Fields follow the contract: {@code rule}, {@code entity},
 * {@code key}, {@code position}, {@code time} and {@code state} are null where unknown.
 *
 * @param time event time in epoch ms (for a deadline: its expiry), or null
 * @param armedAt for a deadline: the position of the document that armed it, when that position
 *     carries trace context ({@link Position#carriesTraceContext()}), so an alert links to the
 *     trace that started the wait; else null. {@code position} stays, as the contract says, the
 *     document that moved the watermark past the expiry.
 */
public record Violation(String spec, ViolationKind kind, String rule, String entity, String key,
    Position position, Long time, String message, StateSnapshot state, Position armedAt) {

  /** A violation with no arming position (every kind but some deadlines). */
  public Violation(String spec, ViolationKind kind, String rule, String entity, String key,
      Position position, Long time, String message, StateSnapshot state) {
    this(spec, kind, rule, entity, key, position, time, message, state, null);
  }

  /** The contract's JSON line: spec, kind, rule, entity, key, line, time, message, state. */
  public String toJson() {
    StringBuilder sb = new StringBuilder(256);
    appendJson(sb);
    return sb.toString();
  }

  public void appendJson(StringBuilder sb) {
    sb.append("{\"spec\":");
    JsonText.appendString(sb, spec);
    sb.append(",\"kind\":\"").append(kind.label()).append("\",\"rule\":");
    JsonText.appendString(sb, rule);
    sb.append(",\"entity\":");
    JsonText.appendString(sb, entity);
    sb.append(",\"key\":");
    JsonText.appendString(sb, key);
    sb.append(',');
    if (position == null) {
      sb.append("\"line\":null");
    } else {
      position.appendJsonMembers(sb);
    }
    sb.append(",\"time\":");
    JsonText.appendString(sb, time == null ? null : Rfc3339.format(time));
    sb.append(",\"message\":");
    JsonText.appendString(sb, message);
    sb.append(",\"state\":");
    if (state == null) {
      sb.append("null");
    } else {
      state.appendJson(sb);
    }
    if (armedAt != null) {
      sb.append(",\"armed_at\":{");
      armedAt.appendJsonMembers(sb);
      sb.append('}');
    }
    sb.append('}');
  }
}
