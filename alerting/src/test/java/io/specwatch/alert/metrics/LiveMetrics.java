package io.specwatch.alert.metrics;

import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.specwatch.alert.AlertSettings;
import io.specwatch.alert.AlertTracker;
import io.specwatch.testkit.Await;
import io.specwatch.alert.TestSpecs;
import io.specwatch.alert.delivery.DeliveryConfig;
import io.specwatch.alert.delivery.DeliveryQueue;
import io.specwatch.alert.jsonl.JsonlAlertTransport;
import io.specwatch.core.LinePosition;
import io.specwatch.core.Violation;
import io.specwatch.core.ViolationSink;
import io.specwatch.core.pipeline.Pipeline;
import io.specwatch.core.pipeline.PipelineConfig;
import io.specwatch.core.program.Program;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A real pipeline over the orders spec with every meter bound and the admin server on a free
 * loopback port: what the daemon wires, for tests of metrics, the dashboard and the rules.
 */
final class LiveMetrics implements AutoCloseable {
  final List<Program> programs = TestSpecs.orders();
  final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
  final ByteArrayOutputStream alertLines = new ByteArrayOutputStream();
  final DeliveryQueue sink = new DeliveryQueue(JsonlAlertTransport.toStream("jsonl-test", alertLines),
      DeliveryConfig.defaults());
  final AlertTracker tracker = AlertTracker.forPrograms(programs, AlertSettings.defaults(), sink, Clock.systemUTC());
  final EventLatency latency = new EventLatency(registry);
  final AtomicLong violations = new AtomicLong();
  final Pipeline pipeline;
  final AtomicBoolean ready = new AtomicBoolean();
  final AdminServer admin;
  private long line;

  LiveMetrics() throws IOException {
    ViolationMetrics byRule = new ViolationMetrics(registry, programs);
    ViolationSink counted = v -> violations.incrementAndGet();
    // Evaluator threads call the sink: the tracker and the meters are thread-safe.
    pipeline = new Pipeline(programs, PipelineConfig.defaults().withRingSize(1024),
        Pipeline.fanOut(List.of(byRule, tracker, counted)), latency);
    new PipelineMetrics(PipelineView.of(pipeline), Clock.systemUTC()).bindTo(registry);
    SinkMetrics.of(sink, tracker).bindTo(registry);
    new CheckpointMetrics(() -> 42.0).bindTo(registry);
    admin = AdminServer.start(0, registry, ready::get);
  }

  /** Publishes lines (numbered on from the last call) and waits until each has a verdict. */
  void feed(List<String> lines) {
    long before = latency.count();
    for (String l : lines) {
      byte[] b = l.getBytes(StandardCharsets.UTF_8);
      pipeline.publish(b, 0, b.length, new LinePosition(++line));
    }
    Await.until(Duration.ofSeconds(10), () -> latency.count() >= before + lines.size(),
        () -> "verdicts: " + (latency.count() - before) + " of " + lines.size());
  }

  List<Violation> expectedViolations(List<String> lines) {
    return TestSpecs.check(programs, lines);
  }

  @Override
  public void close() throws Exception {
    admin.close();
    pipeline.close();
    tracker.close();
    sink.close();
  }
}
