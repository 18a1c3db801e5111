package io.specwatch.ingest.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.grpc.CallOptions;
import io.grpc.Channel;
import io.grpc.ClientInterceptors;
import io.grpc.ManagedChannel;
import io.grpc.MethodDescriptor;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.stub.ClientCalls;
import io.grpc.stub.MetadataUtils;
import io.opentelemetry.proto.collector.logs.v1.LogsServiceGrpc;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.collector.trace.v1.TraceServiceGrpc;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.opentelemetry.proto.trace.v1.Span;
import io.specwatch.core.DocumentPublisher;
import io.specwatch.core.Position;
import io.specwatch.core.program.Program;
import io.specwatch.ingest.otlp.IngestEndpoint;
import io.specwatch.ingest.otlp.IngestStats;
import io.specwatch.ingest.otlp.IngestStats.Refusal;
import io.specwatch.testkit.FreePorts;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Every refusal, on HTTP and on gRPC, whoever makes it (our handlers, or gRPC itself before our
 * code runs), is counted once, under its endpoint and reason: what the daemon exposes as
 * {@code specwatch_ingest_requests_refused_total{protocol,endpoint,reason}}. Pipeline-full and
 * stopping refusals are counted in {@link IngestServerTest}, which has the held pipeline.
 */
class RefusalCountsTest {
  static final String TOKEN = "t0ken";
  static final IngestServerConfig CONFIG = IngestServerConfig.defaults().withBearerToken(TOKEN)
      .withLimits(64 << 10, 128 << 10, 16 << 10);

  static ReceiverFixture fx;
  static HttpClient client;
  static ManagedChannel channel;

  @BeforeAll
  static void start() throws IOException {
    fx = ReceiverFixture.start(ReceiverFixture.compile("pings.sw", IngestServerTest.SPEC), CONFIG);
    client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
    channel = NettyChannelBuilder.forAddress("127.0.0.1", fx.server.grpcPort()).usePlaintext()
        .maxInboundMessageSize(1 << 20).build();
  }

  @AfterAll
  static void stop() throws Exception {
    channel.shutdownNow().awaitTermination(10, TimeUnit.SECONDS);
    fx.close();
  }

  static long allRefusals(IngestStats stats) {
    long sum = 0;
    for (Refusal r : Refusal.values()) {
      sum += stats.refused(r);
    }
    return sum;
  }

  /** Runs {@code request}, then expects exactly one more refusal: this endpoint, this reason. */
  static void assertCountedOnce(IngestStats stats, IngestEndpoint endpoint, Refusal reason,
      Runnable request) {
    long before = stats.refused(endpoint, reason);
    long all = allRefusals(stats);
    long requests = stats.requests(endpoint);
    request.run();
    // gRPC counts when the call's stream closes, which may be just after the client hears it.
    ReceiverFixture.await(() -> stats.refused(endpoint, reason) == before + 1,
        () -> endpoint + " " + reason + " not counted: " + stats.refused(endpoint, reason));
    assertEquals(all + 1, allRefusals(stats), "counted once, under one reason");
    assertEquals(requests + 1, stats.requests(endpoint));
    assertTrue(endpoint.possibleRefusals().contains(reason),
        "a metrics binder registers this series up front");
  }

  static int post(String path, String contentType, byte[] body, String token) {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(fx.httpBase() + path))
        .POST(HttpRequest.BodyPublishers.ofByteArray(body));
    if (contentType != null) {
      b.header("Content-Type", contentType);
    }
    if (token != null) {
      b.header("Authorization", "Bearer " + token);
    }
    return send(b);
  }

  static int send(HttpRequest.Builder b) {
    try {
      return client.send(b.timeout(Duration.ofSeconds(30)).build(),
          HttpResponse.BodyHandlers.discarding()).statusCode();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }

  @Test
  void everyHttpRefusalIsCountedByEndpointAndReason() {
    IngestStats stats = fx.server.stats();
    assertCountedOnce(stats, IngestEndpoint.HTTP_LOGS, Refusal.MALFORMED, () -> assertEquals(400,
        post("/v1/logs", "application/x-protobuf", new byte[] {0x0a, (byte) 0xff, 1}, TOKEN)));
    assertCountedOnce(stats, IngestEndpoint.HTTP_TRACES, Refusal.TOO_LARGE, () -> assertEquals(413,
        post("/v1/traces", "application/x-protobuf", new byte[(64 << 10) + 1], TOKEN)));
    assertCountedOnce(stats, IngestEndpoint.HTTP_EVENTS, Refusal.TOO_LARGE, () -> assertEquals(413,
        post("/v1/events", "application/x-ndjson", new byte[(64 << 10) + 1], TOKEN)));
    assertCountedOnce(stats, IngestEndpoint.HTTP_EVENTS, Refusal.UNAUTHORIZED, () -> assertEquals(401,
        post("/v1/events", "application/json", "{}".getBytes(), null)));
    assertCountedOnce(stats, IngestEndpoint.HTTP_LOGS, Refusal.UNSUPPORTED_MEDIA_TYPE,
        () -> assertEquals(415, post("/v1/logs", "text/plain", new byte[] {1}, TOKEN)));
    assertCountedOnce(stats, IngestEndpoint.HTTP_EVENTS, Refusal.MALFORMED, () -> assertEquals(400,
        post("/v1/events", "application/x-ndjson", "not json\n".getBytes(), TOKEN)));
    assertCountedOnce(stats, IngestEndpoint.HTTP_TRACES, Refusal.METHOD_NOT_ALLOWED,
        () -> assertEquals(405, send(HttpRequest.newBuilder(URI.create(fx.httpBase() + "/v1/traces"))
            .header("Authorization", "Bearer " + TOKEN).GET())));
    // A path no context serves (the JDK would answer it uncounted), and one a context catches.
    assertCountedOnce(stats, IngestEndpoint.HTTP_OTHER, Refusal.NOT_FOUND, () -> assertEquals(404,
        post("/v1/metrics", "application/x-protobuf", new byte[0], TOKEN)));
    assertCountedOnce(stats, IngestEndpoint.HTTP_OTHER, Refusal.NOT_FOUND, () -> assertEquals(404,
        post("/v1/logsx", "application/x-protobuf", new byte[0], TOKEN)));
    assertEquals(0, stats.refused(IngestEndpoint.HTTP_LOGS, Refusal.NOT_FOUND));
  }

  static final MethodDescriptor.Marshaller<byte[]> BYTES = new MethodDescriptor.Marshaller<>() {
    @Override
    public InputStream stream(byte[] value) {
      return new ByteArrayInputStream(value);
    }

    @Override
    public byte[] parse(InputStream stream) {
      try {
        return stream.readAllBytes();
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
  };

  /** A call that sends any bytes to a method, as a broken or hostile client can. */
  static Status.Code rawCall(String fullMethodName, byte[] body, String token) {
    return rawCall(fullMethodName, body, token, CallOptions.DEFAULT);
  }

  static Status.Code rawCall(String fullMethodName, byte[] body, String token, CallOptions options) {
    MethodDescriptor<byte[], byte[]> method = MethodDescriptor.<byte[], byte[]>newBuilder()
        .setType(MethodDescriptor.MethodType.UNARY).setFullMethodName(fullMethodName)
        .setRequestMarshaller(BYTES).setResponseMarshaller(BYTES).build();
    Channel c = ClientInterceptors.intercept(channel,
        MetadataUtils.newAttachHeadersInterceptor(IngestServerTest.bearer(token)));
    StatusRuntimeException e = assertThrows(StatusRuntimeException.class,
        () -> ClientCalls.blockingUnaryCall(c, method,
            options.withDeadlineAfter(30, TimeUnit.SECONDS), body));
    return e.getStatus().getCode();
  }

  static final String LOGS = LogsServiceGrpc.getExportMethod().getFullMethodName();
  static final String TRACES = TraceServiceGrpc.getExportMethod().getFullMethodName();

  @Test
  void everyGrpcRefusalIsCountedByMethodAndReasonIncludingGrpcsOwn() {
    IngestStats stats = fx.server.stats();
    byte[] valid = ExportTraceServiceRequest.newBuilder().addResourceSpans(ResourceSpans.newBuilder()
        .addScopeSpans(ScopeSpans.newBuilder().addSpans(Span.newBuilder().setName("s")))).build()
        .toByteArray();
    assertCountedOnce(stats, IngestEndpoint.GRPC_TRACES, Refusal.UNAUTHORIZED,
        () -> assertEquals(Status.Code.UNAUTHENTICATED, rawCall(TRACES, valid, "wrong")));
    // Not OTLP protobuf: INVALID_ARGUMENT, as the OTLP specification says for bad data.
    assertCountedOnce(stats, IngestEndpoint.GRPC_LOGS, Refusal.MALFORMED, () -> assertEquals(
        Status.Code.INVALID_ARGUMENT, rawCall(LOGS, new byte[] {0x0a, (byte) 0xff, 1}, TOKEN)));
    // gRPC's own refusals, before any code of ours runs:
    assertCountedOnce(stats, IngestEndpoint.GRPC_TRACES, Refusal.TOO_LARGE,
        () -> assertEquals(Status.Code.RESOURCE_EXHAUSTED, rawCall(TRACES, new byte[(128 << 10) + 1], TOKEN)));
    // A gzip bomb: a few hundred bytes that inflate past the limit, stopped while specwatch reads.
    assertCountedOnce(stats, IngestEndpoint.GRPC_LOGS, Refusal.TOO_LARGE, () -> assertEquals(
        Status.Code.RESOURCE_EXHAUSTED, rawCall(LOGS, new byte[(128 << 10) + 1], TOKEN,
            CallOptions.DEFAULT.withCompression("gzip"))));
    assertCountedOnce(stats, IngestEndpoint.GRPC_OTHER, Refusal.NOT_FOUND, () -> assertEquals(
        Status.Code.UNIMPLEMENTED,
        rawCall("opentelemetry.proto.collector.metrics.v1.MetricsService/Export", valid, TOKEN)));
  }

  /** A publisher that fails as only a bug could: the receivers answer 500 / UNKNOWN, counted. */
  static final class BrokenPublisher implements DocumentPublisher {
    @Override
    public void publish(byte[] buf, int off, int len, Position pos) {
      throw new IllegalStateException("broken");
    }

    @Override
    public boolean tryPublish(byte[] buf, int off, int len, Position pos) {
      throw new IllegalStateException("broken");
    }

    @Override
    public void publishRejected(Position pos, String reason) {
      throw new IllegalStateException("broken");
    }
  }

  @Test
  void aFailureInsideSpecwatchIsAnInternalErrorNotBlamedOnTheBody() throws Exception {
    try (IngestServer broken = IngestServer.start(IngestServerConfig.defaults()
        .withPorts(FreePorts.next(), FreePorts.next()), new BrokenPublisher())) {
      IngestStats stats = broken.stats();
      byte[] ping = IngestServerTest.pings("x").toByteArray();
      assertCountedOnce(stats, IngestEndpoint.HTTP_LOGS, Refusal.INTERNAL_ERROR, () -> assertEquals(500,
          send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + broken.httpPort() + "/v1/logs"))
              .header("Content-Type", "application/x-protobuf")
              .POST(HttpRequest.BodyPublishers.ofByteArray(ping)))));
      ManagedChannel c = NettyChannelBuilder.forAddress("127.0.0.1", broken.grpcPort()).usePlaintext().build();
      try {
        assertCountedOnce(stats, IngestEndpoint.GRPC_LOGS, Refusal.INTERNAL_ERROR, () -> assertEquals(
            Status.Code.UNKNOWN, assertThrows(StatusRuntimeException.class,
                () -> LogsServiceGrpc.newBlockingStub(c).withDeadlineAfter(30, TimeUnit.SECONDS)
                    .export(IngestServerTest.pings("y"))).getStatus().getCode()));
      } finally {
        c.shutdownNow().awaitTermination(10, TimeUnit.SECONDS);
      }
    }
  }
}
