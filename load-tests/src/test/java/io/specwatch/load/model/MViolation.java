package io.specwatch.load.model;

/**
 * One violation as the differential tests compare it: the contract's
 * {@code (spec, kind, rule, entity, key, line)} plus the event time (RFC 3339 text, see
 * {@link MTime#format}) and the state (canonical JSON text, or null).
 */
public record MViolation(String spec, String kind, String rule, String entity, String key,
    Long line, String time, String state) {

  /** One line for failure messages. */
  public String show() {
    return kind + " " + rule + " " + entity + " key=" + (key == null ? "null" : "\"" + key + "\"")
        + " line=" + line + " time=" + time + " state=" + state;
  }

  /** The contract's tuple alone. */
  public String tuple() {
    return "(" + spec + ", " + kind + ", " + rule + ", " + entity + ", " + key + ", " + line + ")";
  }
}
