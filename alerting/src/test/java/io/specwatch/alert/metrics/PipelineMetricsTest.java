package io.specwatch.alert.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.specwatch.alert.TestSpecs;
import io.specwatch.core.LinePosition;
import io.specwatch.core.engine.Monitor;
import io.specwatch.core.engine.DedupeLimits;
import io.specwatch.core.engine.RuntimeStats;
import io.specwatch.core.pipeline.Pipeline;
import io.specwatch.core.pipeline.PipelineConfig;
import io.specwatch.core.program.Program;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The per-spec counters of a real pipeline as Prometheus series: malformed documents and
 * duplicates by spec and event, instances refused by the live-instance cap, and event ids the
 * dedupe memory did not record at its cap.
 */
class PipelineMetricsTest {
  private final List<Program> programs = TestSpecs.orders();

  private static String doc(String id, String type, String order, String more) {
    return "{\"event_id\":\"" + id + "\",\"type\":\"" + type + "\",\"at\":\"2026-05-04T10:00:00Z\","
        + "\"order_id\":\"" + order + "\"" + more + "}";
  }

  /** Malformed and duplicate documents of known events, of no event, and one refused instance. */
  private static final List<String> LOG = List.of(
      doc("e1", "order.placed", "o-1", ",\"total\":100"),
      doc("e1", "order.placed", "o-1", ",\"total\":100"), // duplicate of a placed
      doc("e2", "order.paid", "o-1", ""), // paid without its amount: malformed paid
      doc("e3", "order.paid", "o-1", ",\"amount\":\"ten\""), // malformed paid again
      "this line is not JSON", // malformed, no event
      doc("e4", "order.placed", "o-2", ",\"total\":100"),
      doc("e5", "order.placed", "o-3", ",\"total\":100"), // a third order: over the cap of 2
      doc("e1", "order.audit", "o-1", "")); // e1 again, matching no event: a duplicate of none

  @Test
  void malformedAndDuplicatesAreCountedBySpecAndEventAndRefusalsBySpec() throws Exception {
    Pipeline pipeline = new Pipeline(programs, PipelineConfig.defaults().withRingSize(256)
        .withMaxLiveInstances(2).withDedupeLimits(DedupeLimits.LIVE.withMaxIds(3)), v -> {}, null);
    PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    new PipelineMetrics(PipelineView.of(pipeline), Clock.systemUTC()).bindTo(registry);
    String before = registry.scrape();
    for (String event : List.of("placed", "paid", "shipped", "cancelled", "")) {
      assertEquals(0, sample(before, "specwatch_malformed_total{event=\"" + event + "\",spec=\"orders\"}"),
          "every event's series exists at 0 before the first document, so increase() sees it");
      assertEquals(0, sample(before, "specwatch_duplicates_total{event=\"" + event + "\",spec=\"orders\"}"));
    }
    assertEquals(0, sample(before, "specwatch_instances_refused_total{spec=\"orders\"}"));
    assertEquals(0, sample(before, "specwatch_dedupe_ids_unrecorded_total{spec=\"orders\"}"));

    long line = 0;
    for (String l : LOG) {
      byte[] b = l.getBytes(StandardCharsets.UTF_8);
      pipeline.publish(b, 0, b.length, new LinePosition(++line));
    }
    pipeline.publishRejected(new LinePosition(++line), "line over the size limit");
    pipeline.close(); // waits for every verdict: the counts are final

    String m = scrapeFresh(pipeline);
    assertEquals(2, sample(m, "specwatch_malformed_total{event=\"paid\",spec=\"orders\"}"));
    assertEquals(2, sample(m, "specwatch_malformed_total{event=\"\",spec=\"orders\"}"),
        "the line that is not JSON and the rejected one");
    assertEquals(0, sample(m, "specwatch_malformed_total{event=\"placed\",spec=\"orders\"}"));
    assertEquals(1, sample(m, "specwatch_duplicates_total{event=\"placed\",spec=\"orders\"}"));
    assertEquals(1, sample(m, "specwatch_duplicates_total{event=\"\",spec=\"orders\"}"));
    assertEquals(0, sample(m, "specwatch_duplicates_total{event=\"paid\",spec=\"orders\"}"));
    assertEquals(1, sample(m, "specwatch_instances_refused_total{spec=\"orders\"}"), "o-3");
    assertEquals(3, sample(m, "specwatch_dedupe_ids{spec=\"orders\"}"), "e1 to e3: the cap");
    assertEquals(2, sample(m, "specwatch_dedupe_ids_unrecorded_total{spec=\"orders\"}"),
        "e4 and e5, past the cap of 3 ids (e1's copies are still recognised)");
    assertEquals(0, sample(m, "specwatch_dedupe_ids_evicted_total{spec=\"orders\"}"));
    RuntimeStats total = pipeline.stats().get(0);
    assertEquals(total.malformed, sum(m, "specwatch_malformed_total"), "per event adds up to the spec's");
    assertEquals(total.duplicates, sum(m, "specwatch_duplicates_total"));
    assertTrue(m.contains("# TYPE specwatch_instances_refused_total counter"), m);
    assertEquals(9, sample(m, "specwatch_documents_total{spec=\"orders\"}"), "8 lines and 1 rejected");
    assertEquals(3, sample(m, "specwatch_events_total{spec=\"orders\"}"),
        "evaluated: o-1's and o-2's placed, and o-3's, which the cap refused");
    assertEquals(0, sample(m, "specwatch_ignored_total{spec=\"orders\"}"),
        "the order.audit line is a duplicate (of e1) before it is a document of no event");
  }

  @Test
  void ringOccupancyIsTheBacklogOverTheCapacity() {
    PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    new PipelineMetrics(new PipelineView() {
      @Override
      public List<RuntimeStats> stats() {
        return List.of();
      }

      @Override
      public long backlog() {
        return 256;
      }

      @Override
      public int ringSize() {
        return 1024;
      }

      @Override
      public long stageFailures() {
        return 0;
      }
    }, Clock.systemUTC()).bindTo(registry);
    String m = registry.scrape();
    assertEquals(0.25, sample(m, "specwatch_ring_occupancy_ratio"));
    assertEquals(256, sample(m, "specwatch_ring_backlog"));
  }

  @Test
  void aViewWithoutProgramsGetsTheEventsCountedByBindTimeAndTheEmptyEvent() {
    Monitor monitor = new Monitor(programs);
    AtomicLong errors = new AtomicLong();
    String paidWithoutAmount = doc("e2", "order.paid", "o-1", "");
    byte[] b = paidWithoutAmount.getBytes(StandardCharsets.UTF_8);
    monitor.accept(b, 0, b.length, new LinePosition(1), v -> errors.incrementAndGet());
    PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    new PipelineMetrics(new MonitorView(monitor), Clock.systemUTC()).bindTo(registry);
    String m = registry.scrape();
    assertEquals(1, sample(m, "specwatch_malformed_total{event=\"paid\",spec=\"orders\"}"));
    assertEquals(0, sample(m, "specwatch_malformed_total{event=\"\",spec=\"orders\"}"));
    assertFalse(m.contains("event=\"shipped\""), "no program: undeclared events are not guessed");
    assertEquals(1, errors.get(), "the malformed violation");
  }

  /** A fresh binder on a fresh registry: no 200 ms snapshot from before the documents. */
  private static String scrapeFresh(Pipeline pipeline) {
    PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    new PipelineMetrics(PipelineView.of(pipeline), Clock.systemUTC()).bindTo(registry);
    return registry.scrape();
  }

  private static double sample(String text, String series) {
    Matcher m = Pattern.compile("(?m)^" + Pattern.quote(series) + " (\\S+)$").matcher(text);
    assertTrue(m.find(), "no sample " + series + " in:\n" + text);
    return Double.parseDouble(m.group(1));
  }

  private static double sum(String text, String name) {
    Matcher m = Pattern.compile("(?m)^" + Pattern.quote(name) + "\\{[^}]*\\} (\\S+)$").matcher(text);
    double total = 0;
    while (m.find()) {
      total += Double.parseDouble(m.group(1));
    }
    return total;
  }

  /** The sequential monitor as a view that does not give its programs. */
  private record MonitorView(Monitor monitor) implements PipelineView {
    @Override
    public List<RuntimeStats> stats() {
      List<RuntimeStats> all = new ArrayList<>();
      monitor.runtimes().forEach(rt -> all.add(rt.stats()));
      return all;
    }

    @Override
    public long backlog() {
      return 0;
    }

    @Override
    public int ringSize() {
      return 0;
    }

    @Override
    public long stageFailures() {
      return 0;
    }
  }
}
