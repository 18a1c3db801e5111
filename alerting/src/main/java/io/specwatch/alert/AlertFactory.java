package io.specwatch.alert;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.specwatch.core.Position;
import io.specwatch.core.Violation;
import io.specwatch.core.json.Rfc3339;
import java.io.IOException;
import java.time.Instant;
import java.util.List;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * Builds alerts from violations: the labels that identify them and the annotations that explain
 * them, with the evidence a violation carries (failing clause, state, offending event, position,
 * trace link) and a {@code specwatch check} command that reproduces it. Stateless.
 *
 * <p>A violation carries no copy of the offending document, only its position: the reproduce
 * command points at the recorded log instead.
 */
public final class AlertFactory {
  private static final ObjectMapper JSON = new ObjectMapper();
  /**
   * The longest annotation, in chars. A state with a large set, or a long message, would otherwise
   * make requests of megabytes that Alertmanager and chat tools choke on; the full evidence stays
   * in the violation's JSON line (webhook, JSONL and Kafka destinations carry it).
   */
  public static final int MAX_ANNOTATION_CHARS = 4096;

  private final RuleCatalog rules;
  private final AlertSettings settings;

  public AlertFactory(RuleCatalog rules, AlertSettings settings) {
    this.rules = rules;
    this.settings = settings;
  }

  /** The rule name used as {@code alertname}: malformed documents have no rule. */
  public static String ruleOf(Violation v) {
    return v.rule() != null ? v.rule() : v.kind().label();
  }

  /** The firing alert for one violation of one key. */
  public Alert alertFor(Violation v, Instant startsAt, long occurrences) {
    SortedMap<String, String> labels = ruleLabels(v);
    labels.put("key", v.key() == null ? "" : v.key());
    SortedMap<String, String> annotations = new TreeMap<>();
    String summary = summaryOf(v);
    annotations.put("summary", summary);
    String position = positionJson(v.position());
    annotations.put("position", position);
    if (v.time() != null) {
      annotations.put("event_time", Rfc3339.format(v.time()));
    }
    if (v.state() != null) {
      StringBuilder state = new StringBuilder();
      v.state().appendJson(state);
      annotations.put("state", state.toString());
    }
    annotations.put("event", offendingEvent(v));
    if (v.armedAt() != null) {
      annotations.put("armed_at", positionJson(v.armedAt()));
    }
    putTraceContext(v, annotations);
    annotations.put("reproduce", reproduceCommand(v.spec(), v.position()));
    annotations.put("occurrences", Long.toString(occurrences));
    annotations.put("description", description(v, annotations));
    annotations.replaceAll((name, value) -> truncate(value));
    return new Alert(labels, annotations, startsAt, null, settings.generatorUrl(), v.toJson());
  }

  /**
   * The one alert that stands for many keys of a rule once more than the threshold fire: it
   * counts them and lists a few, so a million violating instances make one page.
   */
  public Alert groupAlertFor(Violation first, Instant startsAt, long violations, List<String> examples,
      Violation latest) {
    SortedMap<String, String> labels = ruleLabels(first);
    labels.put("grouped", "true");
    SortedMap<String, String> annotations = new TreeMap<>();
    annotations.put("summary", summaryOf(first));
    annotations.put("grouped_violations", Long.toString(violations));
    annotations.put("example_keys", String.join(", ", examples));
    annotations.put("reproduce", reproduceCommand(latest.spec(), latest.position()));
    annotations.put("description", violations + " more violation(s) of " + first.kind().label()
        + " rule `" + ruleOf(first) + "` in spec `" + first.spec() + "` beyond the first "
        + settings.groupThreshold() + " keys, which have alerts of their own. Example keys: "
        + String.join(", ", examples) + ". Latest: " + latest.message() + " at "
        + positionJson(latest.position()) + ".\nReproduce: "
        + annotations.get("reproduce"));
    annotations.replaceAll((name, value) -> truncate(value));
    return new Alert(labels, annotations, startsAt, null, settings.generatorUrl(), latest.toJson());
  }

  /**
   * {@code alert} with the evidence that its invariant holds again: {@code held_again_at} (the
   * repairing document's position) and {@code held_again_time} (its event time), each only when
   * known. Labels are unchanged, so it still names the same alert.
   */
  public Alert heldAgain(Alert alert, Position pos, Long eventTime) {
    SortedMap<String, String> annotations = new TreeMap<>(alert.annotations());
    if (pos != null) {
      annotations.put("held_again_at", truncate(positionJson(pos)));
    }
    if (eventTime != null) {
      annotations.put("held_again_time", Rfc3339.format(eventTime));
    }
    return new Alert(alert.labels(), annotations, alert.startsAt(), alert.endsAt(),
        alert.generatorUrl(), alert.violationJson());
  }

  private SortedMap<String, String> ruleLabels(Violation v) {
    SortedMap<String, String> labels = new TreeMap<>();
    String rule = ruleOf(v);
    labels.put("alertname", rule);
    labels.put("spec", v.spec());
    labels.put("kind", v.kind().label());
    if (v.entity() != null) {
      labels.put("entity", v.entity());
    }
    labels.put("severity", settings.severityOf(v.spec(), rule));
    return labels;
  }

  private String summaryOf(Violation v) {
    String doc = v.rule() == null ? null : rules.doc(v.spec(), v.kind(), v.rule());
    if (doc != null) {
      return doc;
    }
    return v.message() != null ? v.message() : v.kind().label() + " violation of spec " + v.spec();
  }

  private static String offendingEvent(Violation v) {
    return switch (v.kind()) {
      case TRANSITION, ERROR -> "event `" + v.rule() + "` on " + v.entity() + " `" + v.key() + "`";
      case INVARIANT -> "the event applied to " + v.entity() + " `" + v.key()
          + "` just before the invariant broke";
      case DEADLINE -> "the document that moved the watermark past the deadline of "
          + v.entity() + " `" + v.key() + "`";
      case MALFORMED -> "a document that cannot be decoded";
    };
  }

  private static String description(Violation v, SortedMap<String, String> a) {
    StringBuilder sb = new StringBuilder();
    sb.append(v.kind().label()).append(" violation of `").append(ruleOf(v)).append("` in spec `")
        .append(v.spec()).append("`");
    if (v.key() != null) {
      sb.append(" for ").append(v.entity()).append(" `").append(v.key()).append('`');
    }
    sb.append(": ").append(v.message()).append('\n');
    sb.append("Offending event: ").append(a.get("event")).append('\n');
    if (a.containsKey("state")) {
      sb.append("State: ").append(a.get("state")).append('\n');
    }
    sb.append("Position: ").append(a.get("position"));
    if (a.containsKey("event_time")) {
      sb.append(", event time ").append(a.get("event_time"));
    }
    sb.append('\n');
    if (a.containsKey("armed_at")) {
      sb.append("Deadline armed by the document at ").append(a.get("armed_at")).append('\n');
    }
    if (a.containsKey("trace_url")) {
      sb.append("Trace: ").append(a.get("trace_url")).append('\n');
    } else if (a.containsKey("trace_id")) {
      sb.append("Trace id: ").append(a.get("trace_id")).append('\n');
    }
    sb.append("Reproduce: ").append(a.get("reproduce"));
    return sb.toString();
  }

  /**
   * {@code specwatch check SPEC --events LOG}: the whole log, since state builds up from earlier
   * documents; the position says which document raised it.
   */
  String reproduceCommand(String spec, Position position) {
    String source = rules.sourceOf(spec);
    String cmd = "specwatch check " + (source == null ? spec + ".sw" : source) + " --events "
        + settings.eventsHint();
    JsonNode pos = parse(positionJson(position));
    if (pos == null || pos.isEmpty()) {
      return cmd;
    }
    if (pos.size() == 1 && pos.path("line").isIntegralNumber()) {
      return cmd + "  # the violation is at line " + pos.get("line").asLong();
    }
    if (pos.path("topic").isTextual() && pos.path("offset").isIntegralNumber()) {
      String topic = pos.get("topic").asText();
      long partition = pos.path("partition").asLong();
      long offset = pos.get("offset").asLong();
      return "kcat -C -t " + topic + " -p " + partition + " -o beginning -c " + (offset + 1)
          + " -e > " + settings.eventsHint() + " && " + cmd
          + "  # the violation is at the last line (the record at offset " + offset
          + "; other partitions' records for the same key are not included)";
    }
    return cmd + "  # after exporting the documents up to " + positionJson(position)
        + " as JSON lines";
  }

  private static JsonNode parse(String json) {
    try {
      return JSON.readTree(json);
    } catch (IOException e) {
      return null; // a position is written by our own code; a bad one just gives less detail
    }
  }

  /**
   * {@code trace_id}, {@code span_id} and {@code trace_url} from the violation's own position
   * when it has a trace id; else, for a deadline armed by a traced document, from
   * {@code armed_at}: the document that moved the watermark past the expiry is usually unrelated
   * to the missing step, while the trace that armed the deadline is the request that never
   * completed.
   */
  private void putTraceContext(Violation v, SortedMap<String, String> annotations) {
    // A deadline's own position is whatever document moved time past the expiry: an unrelated
    // trace. The trace worth opening is the one that armed it (the request that never finished).
    JsonNode traced = parse(positionJson(v.armedAt() != null ? v.armedAt() : v.position()));
    String traceId = textMember(traced, "trace_id");
    if (traceId == null) {
      return;
    }
    annotations.put("trace_id", traceId);
    String spanId = textMember(traced, "span_id");
    if (spanId != null) {
      annotations.put("span_id", spanId);
    }
    if (settings.traceUrlTemplate() != null) {
      annotations.put("trace_url", settings.traceUrlTemplate().replace("{trace_id}", traceId));
    }
  }

  /** A non-empty string member of a position, or null. */
  private static String textMember(JsonNode position, String name) {
    JsonNode m = position == null ? null : position.get(name);
    return m != null && m.isTextual() && !m.asText().isEmpty() ? m.asText() : null;
  }

  static String truncate(String s) {
    if (s.length() <= MAX_ANNOTATION_CHARS) {
      return s;
    }
    int cut = MAX_ANNOTATION_CHARS - 64;
    if (Character.isHighSurrogate(s.charAt(cut - 1))) {
      cut--; // never split a surrogate pair
    }
    return s.substring(0, cut) + "... (truncated; " + s.length() + " chars in all)";
  }

  static String positionJson(Position p) {
    if (p == null) {
      return "{}";
    }
    StringBuilder sb = new StringBuilder("{");
    p.appendJsonMembers(sb);
    return sb.append('}').toString();
  }

}
