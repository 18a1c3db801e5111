package io.specwatch.ingest.otlp;

import io.grpc.Context;
import io.grpc.Metadata;
import io.grpc.ServerStreamTracer;
import io.grpc.Status;
import io.specwatch.ingest.otlp.IngestStats.Refusal;
import io.opentelemetry.proto.collector.logs.v1.LogsServiceGrpc;
import io.opentelemetry.proto.collector.trace.v1.TraceServiceGrpc;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Counts every gRPC call and every refusal, whoever made it. gRPC itself refuses some calls
 * before any service code runs (a message over the size limit, a body that is not protobuf, an
 * unknown method or compression); a stream tracer sees the final status of every call, so this
 * is the one place gRPC refusals are counted. Our own code names its reason with
 * {@link #refusedBecause} (pipeline full, stopping, token), which settles what a status code alone
 * cannot: RESOURCE_EXHAUSTED is {@code pipeline_full} when we said so and {@code too_large} when
 * gRPC's message limit said it. Also counts the calls in flight, for a clean stop.
 */
public final class GrpcCallStats extends ServerStreamTracer.Factory {
  private static final Context.Key<Call> CALL = Context.key("specwatch-grpc-call");
  private static final String LOGS = LogsServiceGrpc.getExportMethod().getFullMethodName();
  private static final String TRACES = TraceServiceGrpc.getExportMethod().getFullMethodName();

  private final IngestStats stats;
  private final AtomicInteger inFlight = new AtomicInteger();

  public GrpcCallStats(IngestStats stats) {
    this.stats = stats;
  }

  /** Calls started and not yet closed. */
  public int inFlight() {
    return inFlight.get();
  }

  /**
   * Names why the current call is being refused; call it, on the call's thread, before closing
   * the call with a non-OK status.
   */
  static void refusedBecause(Refusal reason) {
    Call call = CALL.get();
    if (call != null) {
      call.refusal = reason;
    }
  }

  /** Marks the current call as handed to a service: a later failure is then ours, not the body's. */
  static void handled() {
    Call call = CALL.get();
    if (call != null) {
      call.handled = true;
    }
  }

  @Override
  public ServerStreamTracer newServerStreamTracer(String fullMethodName, Metadata headers) {
    IngestEndpoint endpoint = fullMethodName.equals(LOGS) ? IngestEndpoint.GRPC_LOGS
        : fullMethodName.equals(TRACES) ? IngestEndpoint.GRPC_TRACES : IngestEndpoint.GRPC_OTHER;
    stats.countRequest(endpoint);
    inFlight.incrementAndGet();
    return new Call(endpoint);
  }

  /** One call: its endpoint, and what our code said about it. */
  private final class Call extends ServerStreamTracer {
    private final IngestEndpoint endpoint;
    private volatile Refusal refusal;
    private volatile boolean handled;

    Call(IngestEndpoint endpoint) {
      this.endpoint = endpoint;
    }

    @Override
    public Context filterContext(Context context) {
      // The interceptor and the service run in this context: how they reach this call.
      return context.withValue(CALL, this);
    }

    @Override
    public void streamClosed(Status status) {
      inFlight.decrementAndGet();
      if (status.isOk()) {
        return;
      }
      Refusal reason = refusal != null ? refusal : classify(status.getCode());
      if (reason != null) {
        stats.countRefusal(endpoint, reason);
      }
    }

    /** A status our code did not name: gRPC's own refusal, or a failure in our service. */
    private Refusal classify(Status.Code code) {
      switch (code) {
        case RESOURCE_EXHAUSTED:
          return Refusal.TOO_LARGE; // gRPC's message limit: ours is always named
        case UNIMPLEMENTED:
          return endpoint == IngestEndpoint.GRPC_OTHER ? Refusal.NOT_FOUND
              : Refusal.UNSUPPORTED_MEDIA_TYPE; // a known method: a compression gRPC lacks
        case UNAUTHENTICATED:
          return Refusal.UNAUTHORIZED;
        case UNAVAILABLE:
          return Refusal.STOPPING;
        case CANCELLED:
        case DEADLINE_EXCEEDED:
          return null; // the client gave up: not a refusal
        default:
          // INTERNAL, UNKNOWN, ...: before the service ran, the body could not be read.
          return handled ? Refusal.INTERNAL_ERROR : Refusal.MALFORMED;
      }
    }
  }
}
