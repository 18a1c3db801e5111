package io.specwatch.ingest.http;

import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.TraceFlags;
import io.opentelemetry.api.trace.TraceState;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Context;
import io.opentelemetry.sdk.common.CompletableResultCode;
import io.opentelemetry.sdk.resources.Resource;
import io.opentelemetry.sdk.trace.IdGenerator;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.export.BatchSpanProcessor;
import io.opentelemetry.sdk.trace.export.SpanExporter;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The checkout service of {@code examples/checkout-sidecar}, as the OpenTelemetry SDK reports
 * it: stock spans with explicit times and deterministic ids, so the documents the receiver makes
 * of them are exactly the example's {@code events.jsonl}. Each checkout is one trace, continued
 * from an (imaginary) gateway span.
 */
final class CheckoutScenario {
  /** 2026-03-02T09:00:00Z in ns. */
  static final long T0 = 1_772_442_000_000_000_000L;
  static final AttributeKey<String> CHECKOUT_ID = AttributeKey.stringKey("checkout.id");
  static final AttributeKey<Long> QUANTITY = AttributeKey.longKey("stock.quantity");

  private final Tracer tracer;
  private final SdkTracerProvider provider;

  CheckoutScenario(SpanExporter exporter) {
    AtomicLong spanIds = new AtomicLong();
    IdGenerator ids = new IdGenerator() {
      @Override
      public String generateSpanId() {
        return String.format("b7ad6b71692%05x", spanIds.incrementAndGet());
      }

      @Override
      public String generateTraceId() {
        throw new AssertionError("every span continues a checkout's trace");
      }
    };
    provider = SdkTracerProvider.builder()
        .setResource(Resource.create(Attributes.of(AttributeKey.stringKey("service.name"), "checkout")))
        .setIdGenerator(ids)
        .addSpanProcessor(BatchSpanProcessor.builder(exporter).setMaxExportBatchSize(512)
            .setScheduleDelay(1, TimeUnit.HOURS).build())
        .build();
    tracer = provider.tracerBuilder("shop.checkout").setInstrumentationVersion("2.3.0").build();
  }

  /** Emits every span, then flushes them to the exporter in one export; true if it succeeded. */
  boolean run() {
    reserve(1001, 0, 120, 2);
    commit(1001, 4_000, 4_050, 2);
    reserve(1002, 5_000, 5_080, 1);
    reserve(1003, 10_000, 10_090, 3); // never settled: deadline
    release(1002, 12_000, 12_030);
    commit(1004, 20_000, 20_040, 1); // never reserved
    reserve(1005, 30_000, 30_060, 1);
    commit(1005, 33_000, 33_045, 2); // the wrong quantity; then never settled
    Span failed = start(1006, "stock.reserve", 35_000).setAttribute(QUANTITY, 5L);
    failed.setStatus(StatusCode.ERROR, "out of stock");
    failed.end(at(35_070), TimeUnit.NANOSECONDS); // reserved nothing: not a `reserved` event
    release(1006, 36_000, 36_020); // so this release has nothing to release
    Span checked = start(1007, "stock.reserve", 44_000).setAttribute(QUANTITY, 4L);
    checked.addEvent("inventory.checked", Attributes.of(AttributeKey.stringKey("warehouse"), "ams-1"),
        at(44_050), TimeUnit.NANOSECONDS);
    checked.end(at(44_100), TimeUnit.NANOSECONDS);
    commit(1007, 46_000, 46_060, 4); // moves the watermark past c-1003's expiry
    release(1001, 58_000, 58_010); // c-1001 ended with its commit
    reserve(1008, 70_000, 70_080, 1); // moves the watermark past c-1005's expiry
    CompletableResultCode flushed = provider.forceFlush().join(60, TimeUnit.SECONDS);
    provider.shutdown().join(60, TimeUnit.SECONDS);
    return flushed.isSuccess();
  }

  static String traceId(int checkout) {
    return String.format("4bf92f3577b34da6a3ce929d0e0e%04d", checkout);
  }

  private static long at(long millis) {
    return T0 + millis * 1_000_000L;
  }

  private Span start(int checkout, String name, long startMillis) {
    SpanContext gateway = SpanContext.createFromRemoteParent(traceId(checkout),
        String.format("00f067aa0ba9%04d", checkout), TraceFlags.getSampled(), TraceState.getDefault());
    return tracer.spanBuilder(name)
        .setParent(Context.root().with(Span.wrap(gateway)))
        .setStartTimestamp(at(startMillis), TimeUnit.NANOSECONDS)
        .setAttribute(CHECKOUT_ID, "c-" + checkout)
        .startSpan();
  }

  private void reserve(int checkout, long startMillis, long endMillis, long quantity) {
    start(checkout, "stock.reserve", startMillis).setAttribute(QUANTITY, quantity)
        .end(at(endMillis), TimeUnit.NANOSECONDS);
  }

  private void commit(int checkout, long startMillis, long endMillis, long quantity) {
    start(checkout, "stock.commit", startMillis).setAttribute(QUANTITY, quantity)
        .end(at(endMillis), TimeUnit.NANOSECONDS);
  }

  private void release(int checkout, long startMillis, long endMillis) {
    start(checkout, "stock.release", startMillis).end(at(endMillis), TimeUnit.NANOSECONDS);
  }
}
