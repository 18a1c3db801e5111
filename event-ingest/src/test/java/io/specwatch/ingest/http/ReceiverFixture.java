package io.specwatch.ingest.http;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.specwatch.core.Violation;
import io.specwatch.core.ViolationSink;
import io.specwatch.core.pipeline.Pipeline;
import io.specwatch.core.pipeline.PipelineConfig;
import io.specwatch.core.program.Program;
import io.specwatch.spec.CompileResult;
import io.specwatch.spec.SourceFile;
import io.specwatch.spec.SpecCompiler;
import io.specwatch.testkit.FreePorts;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/**
 * A running receiver over a real pipeline over a compiled spec, on free loopback ports, with
 * the violations collected. The sink can be held shut (a latch) so the ring fills up: that is
 * how tests make the pipeline full, as a slow evaluator would in production.
 */
final class ReceiverFixture implements AutoCloseable {
  final Pipeline pipeline;
  final IngestServer server;
  private final List<Violation> violations = new ArrayList<>();
  private final CountDownLatch sinkOpen;
  /** Every document the receiver published, in order. */
  final TeePublisher published;

  private ReceiverFixture(List<Program> programs, PipelineConfig pipelineConfig,
      IngestServerConfig config, boolean holdSink) throws IOException {
    this.sinkOpen = new CountDownLatch(holdSink ? 1 : 0);
    ViolationSink sink = v -> {
      awaitQuietly(sinkOpen);
      synchronized (violations) {
        violations.add(v);
      }
    };
    this.pipeline = new Pipeline(programs, pipelineConfig, sink, null);
    this.published = new TeePublisher(pipeline);
    // Through the tee, the receiver cannot see the pipeline's free slots: it relies on
    // tryPublish alone. The held-pipeline tests need the up-front check, so they skip the tee.
    this.server = IngestServer.start(config.withPorts(FreePorts.next(), FreePorts.next()),
        holdSink ? pipeline : published);
  }

  static ReceiverFixture start(List<Program> programs, IngestServerConfig config) throws IOException {
    return new ReceiverFixture(programs, PipelineConfig.defaults().withEvaluators(1), config, false);
  }

  /** A ring of 4 slots behind a sink that waits until {@link #openSink}. */
  static ReceiverFixture startHeld(List<Program> programs, IngestServerConfig config)
      throws IOException {
    return new ReceiverFixture(programs,
        new PipelineConfig(4, 1, PipelineConfig.WaitStrategyKind.BLOCKING, 500), config, true);
  }

  static List<Program> compile(String name, String source) {
    CompileResult r = SpecCompiler.compile(List.of(new SourceFile(name, source)));
    assertTrue(r.ok(), () -> r.diagnostics().toString());
    return r.programs();
  }

  void openSink() {
    sinkOpen.countDown();
  }

  String httpBase() {
    return "http://127.0.0.1:" + server.httpPort();
  }

  List<Violation> violations() {
    synchronized (violations) {
      return List.copyOf(violations);
    }
  }

  /** Waits until at least {@code n} violations arrived. */
  void awaitViolations(int n) {
    await(() -> violations().size() >= n, () -> "expected " + n + " violations, have " + violations());
  }

  /** Stops the receiver, then drains the pipeline: every accepted document is judged. */
  List<Violation> finish() throws TimeoutException {
    server.stop(Duration.ofSeconds(10));
    openSink();
    pipeline.close(false, 1, TimeUnit.MINUTES);
    return violations();
  }

  @Override
  public void close() throws TimeoutException {
    server.stop(Duration.ofSeconds(10));
    openSink();
    pipeline.close(false, 1, TimeUnit.MINUTES);
  }

  static void await(BooleanSupplier condition, Supplier<String> what) {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("not within 30 s: " + what.get());
      }
      LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(10));
    }
  }

  private static void awaitQuietly(CountDownLatch latch) {
    try {
      latch.await();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
