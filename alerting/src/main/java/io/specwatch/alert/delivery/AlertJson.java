package io.specwatch.alert.delivery;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.specwatch.alert.Alert;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * The JSON forms of alerts. One shape for all sinks, Alertmanager's API v2 alert
 * ({@code labels, annotations, startsAt, endsAt, generatorURL}), plus {@code status} and the
 * violation's own contract line for the event-stream sinks, so a webhook or Kafka consumer gets
 * the evidence as data.
 */
public final class AlertJson {
  public static final ObjectMapper MAPPER = new ObjectMapper();

  private AlertJson() {}

  /**
   * Alertmanager's form. A firing alert gets {@code endsAt = now + validFor}: if specwatch stops
   * re-posting it (crashed, partitioned), Alertmanager resolves it by itself then.
   */
  public static ObjectNode alertmanager(Alert a, Instant now, java.time.Duration validFor) {
    ObjectNode n = base(a);
    n.put("endsAt", (a.firing() ? now.plus(validFor) : a.endsAt()).toString());
    return n;
  }

  public static ArrayNode alertmanagerBatch(List<Alert> batch, Instant now, java.time.Duration validFor) {
    ArrayNode arr = MAPPER.createArrayNode();
    for (Alert a : batch) {
      arr.add(alertmanager(a, now, validFor));
    }
    return arr;
  }

  /** The event form: status firing/resolved, endsAt only when resolved, and the violation. */
  public static ObjectNode event(Alert a) {
    ObjectNode n = MAPPER.createObjectNode();
    n.put("status", a.firing() ? "firing" : "resolved");
    n.setAll(base(a));
    if (!a.firing()) {
      n.put("endsAt", a.endsAt().toString());
    }
    if (a.violationJson() != null) {
      try {
        n.set("violation", MAPPER.readTree(a.violationJson()));
      } catch (java.io.IOException e) {
        n.put("violation", a.violationJson()); // Violation.toJson is ours and valid; never expected
      }
    }
    return n;
  }

  private static ObjectNode base(Alert a) {
    ObjectNode n = MAPPER.createObjectNode();
    n.set("labels", object(a.labels()));
    n.set("annotations", object(a.annotations()));
    n.put("startsAt", a.startsAt().toString());
    if (a.generatorUrl() != null) {
      n.put("generatorURL", a.generatorUrl());
    }
    return n;
  }

  private static ObjectNode object(Map<String, String> m) {
    ObjectNode o = MAPPER.createObjectNode();
    m.forEach(o::put);
    return o;
  }
}
