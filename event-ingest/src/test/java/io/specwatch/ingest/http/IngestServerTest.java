package io.specwatch.ingest.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.ByteString;
import com.google.rpc.RetryInfo;
import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.protobuf.StatusProto;
import io.grpc.stub.MetadataUtils;
import io.opentelemetry.proto.collector.logs.v1.ExportLogsServiceRequest;
import io.opentelemetry.proto.collector.logs.v1.ExportLogsServiceResponse;
import io.opentelemetry.proto.collector.logs.v1.LogsServiceGrpc;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.logs.v1.LogRecord;
import io.opentelemetry.proto.logs.v1.ResourceLogs;
import io.opentelemetry.proto.logs.v1.ScopeLogs;
import io.specwatch.core.LinePosition;
import io.specwatch.core.Violation;
import io.specwatch.core.engine.Monitor;
import io.specwatch.core.program.Program;
import io.specwatch.ingest.otlp.IngestEndpoint;
import io.specwatch.ingest.otlp.IngestStats.Refusal;
import io.specwatch.ingest.otlp.OtlpPosition;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The receivers' answers, over real HTTP and gRPC on loopback, into a real pipeline: every bad
 * request gets the status the OTLP specification prescribes with a reason, is counted, and
 * leaves the pipeline working: after each one, a good request still produces its violation.
 */
class IngestServerTest {
  /** Every ping, from a log record or a plain event, is a transition violation. */
  static final String SPEC = """
      spec pings
      entity P key id { n: int }
      event log_ping for P key attributes.id when kind == "log" and event_name == "ping"
      event doc_ping for P when type == "ping"
      on log_ping requires n < 0 { n += 1 }
      on doc_ping requires n < 0 { n += 1 }
      """;
  static final String TOKEN = "s3cret-token";
  static final IngestServerConfig CONFIG = IngestServerConfig.defaults().withBearerToken(TOKEN)
      .withLimits(64 << 10, 256 << 10, 16 << 10);

  static List<Program> programs;
  static ReceiverFixture fx;
  static HttpClient client;

  @BeforeAll
  static void start() throws IOException {
    programs = ReceiverFixture.compile("pings.sw", SPEC);
    fx = ReceiverFixture.start(programs, CONFIG);
    client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
  }

  @AfterAll
  static void stop() throws Exception {
    fx.close();
  }

  static ExportLogsServiceRequest pings(String... ids) {
    ScopeLogs.Builder scope = ScopeLogs.newBuilder();
    for (String id : ids) {
      scope.addLogRecords(LogRecord.newBuilder().setTimeUnixNano(1_772_442_000_000_000_000L)
          .setEventName("ping")
          .setTraceId(ByteString.copyFrom(HexFormat.of().parseHex("5b8efff798038103d269b633813fc60c")))
          .setSpanId(ByteString.copyFrom(HexFormat.of().parseHex("eee19b7ec3c1b174")))
          .addAttributes(KeyValue.newBuilder().setKey("id")
              .setValue(AnyValue.newBuilder().setStringValue(id))));
    }
    return ExportLogsServiceRequest.newBuilder()
        .addResourceLogs(ResourceLogs.newBuilder().addScopeLogs(scope)).build();
  }

  static HttpResponse<byte[]> post(String path, String contentType, byte[] body, String token,
      String... headers) throws Exception {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(fx.httpBase() + path))
        .timeout(Duration.ofSeconds(30))
        .POST(HttpRequest.BodyPublishers.ofByteArray(body));
    if (contentType != null) {
      b.header("Content-Type", contentType);
    }
    if (token != null) {
      b.header("Authorization", "Bearer " + token);
    }
    for (int i = 0; i < headers.length; i += 2) {
      b.header(headers[i], headers[i + 1]);
    }
    return client.send(b.build(), HttpResponse.BodyHandlers.ofByteArray());
  }

  /** The reason in an OTLP error reply (a protobuf google.rpc.Status). */
  static String reason(HttpResponse<byte[]> r) throws Exception {
    return com.google.rpc.Status.parseFrom(r.body()).getMessage();
  }

  static String text(HttpResponse<byte[]> r) {
    return new String(r.body(), StandardCharsets.UTF_8);
  }

  /** A good OTLP request still goes through and produces its violation, tied to its trace. */
  static void goodRequestStillWorks() throws Exception {
    int before = fx.violations().size();
    HttpResponse<byte[]> r = post("/v1/logs", "application/x-protobuf",
        pings("good").toByteArray(), TOKEN);
    assertEquals(200, r.statusCode(), () -> text(r));
    assertEquals(ExportLogsServiceResponse.getDefaultInstance(), ExportLogsServiceResponse.parseFrom(r.body()));
    fx.awaitViolations(before + 1);
    Violation v = fx.violations().get(before);
    assertEquals("good", v.key());
    OtlpPosition pos = (OtlpPosition) v.position();
    assertEquals("otlp-http", pos.source());
    assertEquals("5b8efff798038103d269b633813fc60c", pos.traceId());
    assertEquals("eee19b7ec3c1b174", pos.spanId());
  }

  @Test
  void aMissingOrWrongTokenGets401() throws Exception {
    long before = fx.server.stats().refused(Refusal.UNAUTHORIZED);
    HttpResponse<byte[]> missing = post("/v1/logs", "application/x-protobuf", pings("x").toByteArray(), null);
    assertEquals(401, missing.statusCode());
    assertEquals("Bearer", missing.headers().firstValue("WWW-Authenticate").orElse(null));
    assertTrue(reason(missing).contains("bearer token"), reason(missing));
    HttpResponse<byte[]> wrong = post("/v1/events", "application/json", "{\"type\":\"ping\",\"id\":\"x\"}".getBytes(StandardCharsets.UTF_8), "nope");
    assertEquals(401, wrong.statusCode());
    assertEquals(before + 2, fx.server.stats().refused(Refusal.UNAUTHORIZED));
    goodRequestStillWorks();
  }

  @Test
  void aBodyThatDoesNotParseGets400WithTheReason() throws Exception {
    HttpResponse<byte[]> proto = post("/v1/logs", "application/x-protobuf",
        new byte[] {(byte) 0x0a, (byte) 0xff, 1, 2}, TOKEN);
    assertEquals(400, proto.statusCode());
    assertTrue(reason(proto).startsWith("invalid OTLP protobuf body"), reason(proto));
    HttpResponse<byte[]> json = post("/v1/traces", "application/json",
        "{\"resourceSpans\":[{".getBytes(StandardCharsets.UTF_8), TOKEN);
    assertEquals(400, json.statusCode());
    assertEquals("application/json", json.headers().firstValue("Content-Type").orElse(null));
    assertTrue(text(json).contains("\"message\":\"invalid JSON"), text(json));
    HttpResponse<byte[]> badHex = post("/v1/logs", "application/json",
        "{\"resourceLogs\":[{\"scopeLogs\":[{\"logRecords\":[{\"traceId\":\"xyz\"}]}]}]}"
            .getBytes(StandardCharsets.UTF_8), TOKEN);
    assertEquals(400, badHex.statusCode());
    assertTrue(text(badHex).contains("`traceId` must be a hex string"), text(badHex));
    HttpResponse<byte[]> gzip = post("/v1/logs", "application/x-protobuf", new byte[] {1, 2, 3},
        TOKEN, "Content-Encoding", "gzip");
    assertEquals(400, gzip.statusCode());
    assertTrue(reason(gzip).startsWith("invalid gzip body"), reason(gzip));
    goodRequestStillWorks();
  }

  @Test
  void anOversizedBodyGets413AsSentAndOnceDecompressed() throws Exception {
    long before = fx.server.stats().refused(Refusal.TOO_LARGE);
    HttpResponse<byte[]> big = post("/v1/logs", "application/x-protobuf", new byte[(64 << 10) + 1], TOKEN);
    assertEquals(413, big.statusCode());
    assertTrue(reason(big).contains("exceeds the limit of 65536 bytes"), reason(big));
    // A gzip bomb: 4 MiB of zeros in a few KiB; inflating stops at the 256 KiB limit.
    ByteArrayOutputStream compressed = new ByteArrayOutputStream();
    try (GZIPOutputStream gz = new GZIPOutputStream(compressed)) {
      gz.write(new byte[4 << 20]);
    }
    assertTrue(compressed.size() < (64 << 10));
    HttpResponse<byte[]> bomb = post("/v1/logs", "application/x-protobuf", compressed.toByteArray(),
        TOKEN, "Content-Encoding", "gzip");
    assertEquals(413, bomb.statusCode());
    assertTrue(reason(bomb).contains("decompressed request body over 262144 bytes"), reason(bomb));
    assertEquals(before + 2, fx.server.stats().refused(Refusal.TOO_LARGE));
    goodRequestStillWorks();
  }

  @Test
  void otherContentTypesPathsAndMethodsAreRefused() throws Exception {
    HttpResponse<byte[]> text = post("/v1/logs", "text/plain", new byte[] {1}, TOKEN);
    assertEquals(415, text.statusCode());
    assertTrue(reason(text).contains("application/x-protobuf or application/json"), reason(text));
    HttpResponse<byte[]> deflate = post("/v1/logs", "application/x-protobuf", new byte[] {1}, TOKEN,
        "Content-Encoding", "deflate");
    assertEquals(415, deflate.statusCode());
    HttpResponse<byte[]> lines = post("/v1/events", "text/csv", new byte[] {1}, TOKEN);
    assertEquals(415, lines.statusCode());
    HttpResponse<byte[]> unknown = post("/v1/logsx", "application/x-protobuf", new byte[0], TOKEN);
    assertEquals(404, unknown.statusCode());
    HttpResponse<byte[]> get = client.send(HttpRequest.newBuilder(URI.create(fx.httpBase() + "/v1/traces"))
        .header("Authorization", "Bearer " + TOKEN).GET().build(), HttpResponse.BodyHandlers.ofByteArray());
    assertEquals(405, get.statusCode());
    assertEquals("POST", get.headers().firstValue("Allow").orElse(null));
    goodRequestStillWorks();
  }

  @Test
  void aRecordThatCannotBeMappedIsAPartialSuccess() throws Exception {
    int before = fx.violations().size();
    ExportLogsServiceRequest good = pings("p1", "p2");
    ExportLogsServiceRequest withBad = good.toBuilder().setResourceLogs(0, good.getResourceLogs(0)
        .toBuilder().setScopeLogs(0, good.getResourceLogs(0).getScopeLogs(0).toBuilder()
            .setLogRecords(0, good.getResourceLogs(0).getScopeLogs(0).getLogRecords(0).toBuilder()
                .setSpanId(ByteString.copyFrom(new byte[3]))))).build();
    HttpResponse<byte[]> r = post("/v1/logs", "application/x-protobuf", withBad.toByteArray(), TOKEN);
    assertEquals(200, r.statusCode());
    ExportLogsServiceResponse response = ExportLogsServiceResponse.parseFrom(r.body());
    assertEquals(1, response.getPartialSuccess().getRejectedLogRecords());
    assertEquals("1 record(s) rejected: log record 1: span_id must be 8 bytes, was 3",
        response.getPartialSuccess().getErrorMessage());
    fx.awaitViolations(before + 1);
    assertEquals("p2", fx.violations().get(before).key());
  }

  @Test
  void otlpJsonWithHexIdsIsReadAndAnsweredInJson() throws Exception {
    int before = fx.violations().size();
    String body = """
        {"resourceSpans":[{"resource":{"attributes":[{"key":"service.name","value":{"stringValue":"x"}}]},
          "scopeSpans":[{"spans":[{"traceId":"0af7651916cd43dd8448eb211c80319c","spanId":"b7ad6b7169203331",
            "name":"n","kind":2,"startTimeUnixNano":"1772442000000000000","endTimeUnixNano":"1772442000500000000",
            "someFutureField":1}]}]}]}
        """;
    HttpResponse<byte[]> r = post("/v1/traces", "application/json; charset=utf-8",
        body.getBytes(StandardCharsets.UTF_8), TOKEN);
    assertEquals(200, r.statusCode(), () -> text(r));
    assertEquals("{}", text(r), "an empty ExportTraceServiceResponse, in JSON");
    // Spans are ignored by this spec: no violation, but a log ping after it is judged.
    goodRequestStillWorks();
    assertEquals(before + 1, fx.violations().size());
  }

  @Test
  void plainEventsTakeJsonAndJsonLinesAndReportBadLines() throws Exception {
    int before = fx.violations().size();
    HttpResponse<byte[]> one = post("/v1/events", "application/json",
        "{\"type\":\"ping\",\"id\":\"e1\",\"trace_id\":\"0af7651916cd43dd8448eb211c80319c\"}"
            .getBytes(StandardCharsets.UTF_8), TOKEN);
    assertEquals(200, one.statusCode(), () -> text(one));
    assertEquals("{\"accepted\":1,\"rejected\":0,\"errors\":[]}", text(one));
    fx.awaitViolations(before + 1);
    OtlpPosition pos = (OtlpPosition) fx.violations().get(before).position();
    assertEquals("http-events", pos.source());
    assertEquals("0af7651916cd43dd8448eb211c80319c", pos.traceId());
    assertEquals(1, pos.record());
    String lines = "{\"type\":\"ping\",\"id\":\"e2\"}\r\n\n{\"type\":\"ping\",\"id\":\"e3\"\n[1,2]\n"
        + "{\"type\":\"ping\",\"id\":\"e4\"}";
    HttpResponse<byte[]> many = post("/v1/events", "application/x-ndjson",
        lines.getBytes(StandardCharsets.UTF_8), TOKEN);
    assertEquals(200, many.statusCode());
    assertTrue(text(many).startsWith("{\"accepted\":2,\"rejected\":2,\"errors\":[\"line 3: invalid JSON"),
        text(many));
    assertTrue(text(many).contains("\"line 4: a document must be a JSON object\""), text(many));
    // The bad lines are published too: the spec judges the body exactly as check judges the file.
    List<Violation> expected = new ArrayList<>();
    Monitor monitor = new Monitor(programs);
    String[] split = lines.split("\n", -1);
    for (int i = 0; i < split.length; i++) {
      String line = split[i].endsWith("\r") ? split[i].substring(0, split[i].length() - 1) : split[i];
      if (!line.isBlank()) {
        byte[] doc = line.getBytes(StandardCharsets.UTF_8);
        monitor.accept(doc, 0, doc.length, new LinePosition(i + 1), expected::add);
      }
    }
    assertTrue(expected.size() >= 3, expected::toString);
    fx.awaitViolations(before + 1 + expected.size());
    List<Violation> v = fx.violations().subList(before + 1, before + 1 + expected.size());
    for (int i = 0; i < expected.size(); i++) {
      assertEquals(SdkExportersTest.withoutPosition(expected.get(i)), SdkExportersTest.withoutPosition(v.get(i)));
      assertEquals(((LinePosition) expected.get(i).position()).line(), ((OtlpPosition) v.get(i).position()).record(),
          "record numbers are line numbers, blank lines counted");
    }
    HttpResponse<byte[]> allBad = post("/v1/events", "application/x-ndjson",
        "not json\n".getBytes(StandardCharsets.UTF_8), TOKEN);
    assertEquals(400, allBad.statusCode());
    assertTrue(text(allBad).startsWith("{\"accepted\":0,\"rejected\":1,\"errors\":[\"line 1: invalid JSON"),
        text(allBad));
    goodRequestStillWorks();
  }

  @Test
  void grpcRefusesAWrongTokenAndTakesTheRightOne() throws Exception {
    ManagedChannel channel = NettyChannelBuilder.forAddress("127.0.0.1", fx.server.grpcPort())
        .usePlaintext().build();
    try {
      StatusRuntimeException e = org.junit.jupiter.api.Assertions.assertThrows(
          StatusRuntimeException.class, () -> LogsServiceGrpc.newBlockingStub(channel)
              .withInterceptors(MetadataUtils.newAttachHeadersInterceptor(bearer("wrong")))
              .export(pings("g1")));
      assertEquals(Status.Code.UNAUTHENTICATED, e.getStatus().getCode());
      int before = fx.violations().size();
      ExportLogsServiceResponse ok = LogsServiceGrpc.newBlockingStub(channel)
          .withInterceptors(MetadataUtils.newAttachHeadersInterceptor(bearer(TOKEN)))
          .export(pings("g2"));
      assertEquals(ExportLogsServiceResponse.getDefaultInstance(), ok);
      fx.awaitViolations(before + 1);
      assertEquals("otlp-grpc", ((OtlpPosition) fx.violations().get(before).position()).source());
    } finally {
      channel.shutdownNow().awaitTermination(10, TimeUnit.SECONDS);
    }
  }

  @Test
  void grpcAnswersAPartialSuccessForARecordThatCannotBeMapped() throws Exception {
    ExportLogsServiceRequest good = pings("gp1", "gp2");
    ExportLogsServiceRequest withBad = good.toBuilder().setResourceLogs(0, good.getResourceLogs(0)
        .toBuilder().setScopeLogs(0, good.getResourceLogs(0).getScopeLogs(0).toBuilder()
            .setLogRecords(1, good.getResourceLogs(0).getScopeLogs(0).getLogRecords(1).toBuilder()
                .setTraceId(ByteString.copyFrom(new byte[5]))))).build();
    ManagedChannel channel = NettyChannelBuilder.forAddress("127.0.0.1", fx.server.grpcPort())
        .usePlaintext().build();
    try {
      int before = fx.violations().size();
      ExportLogsServiceResponse r = LogsServiceGrpc.newBlockingStub(channel)
          .withInterceptors(MetadataUtils.newAttachHeadersInterceptor(bearer(TOKEN)))
          .withDeadlineAfter(30, TimeUnit.SECONDS).export(withBad);
      assertEquals(1, r.getPartialSuccess().getRejectedLogRecords());
      assertEquals("1 record(s) rejected: log record 2: trace_id must be 16 bytes, was 5",
          r.getPartialSuccess().getErrorMessage());
      fx.awaitViolations(before + 1);
      assertEquals("gp1", fx.violations().get(before).key());
    } finally {
      channel.shutdownNow().awaitTermination(10, TimeUnit.SECONDS);
    }
  }

  static Metadata bearer(String token) {
    Metadata md = new Metadata();
    md.put(Metadata.Key.of("authorization", Metadata.ASCII_STRING_MARSHALLER), "Bearer " + token);
    return md;
  }

  @Test
  void aFullPipelineGets429AndResourceExhaustedWithRetryInfoAndNothingIsCountedTwice()
      throws Exception {
    IngestServerConfig config = IngestServerConfig.defaults().withCommitTimeout(Duration.ofSeconds(5));
    try (ReceiverFixture held = ReceiverFixture.startHeld(programs, config)) {
      HttpClient c = client;
      // Four pings fill the 4-slot ring: the evaluator waits in the held sink on the first.
      HttpResponse<byte[]> fill = c.send(HttpRequest.newBuilder(URI.create(held.httpBase() + "/v1/events"))
          .header("Content-Type", "application/x-ndjson")
          .POST(HttpRequest.BodyPublishers.ofString(
              "{\"type\":\"ping\",\"id\":\"f1\"}\n{\"type\":\"ping\",\"id\":\"f2\"}\n"
                  + "{\"type\":\"ping\",\"id\":\"f3\"}\n{\"type\":\"ping\",\"id\":\"f4\"}\n")).build(),
          HttpResponse.BodyHandlers.ofByteArray());
      assertEquals(200, fill.statusCode(), () -> text(fill));
      ReceiverFixture.await(() -> held.pipeline.backlog() == 4, () -> "ring not full: " + held.pipeline.backlog());
      HttpResponse<byte[]> full = c.send(HttpRequest.newBuilder(URI.create(held.httpBase() + "/v1/logs"))
          .header("Content-Type", "application/x-protobuf")
          .POST(HttpRequest.BodyPublishers.ofByteArray(pings("late").toByteArray())).build(),
          HttpResponse.BodyHandlers.ofByteArray());
      assertEquals(429, full.statusCode());
      assertEquals("1", full.headers().firstValue("Retry-After").orElse(null));
      assertTrue(reason(full).contains("pipeline is full"), reason(full));
      HttpResponse<byte[]> fullEvents = c.send(HttpRequest.newBuilder(URI.create(held.httpBase() + "/v1/events"))
          .header("Content-Type", "application/json")
          .POST(HttpRequest.BodyPublishers.ofString("{\"type\":\"ping\",\"id\":\"late2\"}")).build(),
          HttpResponse.BodyHandlers.ofByteArray());
      assertEquals(429, fullEvents.statusCode());
      assertTrue(fullEvents.headers().firstValue("Retry-After").isPresent());
      ManagedChannel channel = NettyChannelBuilder.forAddress("127.0.0.1", held.server.grpcPort())
          .usePlaintext().build();
      try {
        StatusRuntimeException e = org.junit.jupiter.api.Assertions.assertThrows(
            StatusRuntimeException.class,
            () -> LogsServiceGrpc.newBlockingStub(channel).export(pings("late3")));
        assertEquals(Status.Code.RESOURCE_EXHAUSTED, e.getStatus().getCode());
        com.google.rpc.Status details = StatusProto.fromThrowable(e);
        assertNotNull(details);
        RetryInfo retry = details.getDetails(0).unpack(RetryInfo.class);
        assertEquals(1, retry.getRetryDelay().getSeconds());
      } finally {
        channel.shutdownNow().awaitTermination(10, TimeUnit.SECONDS);
      }
      assertEquals(1, held.server.stats().refused(IngestEndpoint.HTTP_LOGS, Refusal.PIPELINE_FULL));
      assertEquals(1, held.server.stats().refused(IngestEndpoint.HTTP_EVENTS, Refusal.PIPELINE_FULL));
      // gRPC counts when the call's stream closes, which may be just after the client hears it.
      ReceiverFixture.await(() -> held.server.stats().refused(IngestEndpoint.GRPC_LOGS,
          Refusal.PIPELINE_FULL) == 1, () -> "gRPC pipeline_full not counted");
      assertEquals(3, held.server.stats().refused(Refusal.PIPELINE_FULL));
      // Room again: the retried request goes in once.
      held.openSink();
      ReceiverFixture.await(() -> held.pipeline.backlog() == 0, () -> "ring did not drain");
      HttpResponse<byte[]> retried = c.send(HttpRequest.newBuilder(URI.create(held.httpBase() + "/v1/logs"))
          .header("Content-Type", "application/x-protobuf")
          .POST(HttpRequest.BodyPublishers.ofByteArray(pings("late").toByteArray())).build(),
          HttpResponse.BodyHandlers.ofByteArray());
      assertEquals(200, retried.statusCode());
      List<String> keys = held.finish().stream().map(Violation::key).toList();
      assertEquals(List.of("f1", "f2", "f3", "f4", "late"), keys);
    }
  }

  @Test
  void stopFinishesRequestsInFlightAndRefusesNewOnesWith503() throws Exception {
    IngestServerConfig config = IngestServerConfig.defaults().withCommitTimeout(Duration.ofSeconds(60));
    try (ReceiverFixture held = ReceiverFixture.startHeld(programs, config)) {
      // Six pings into a 4-slot ring behind a held sink: the first four go in, so the request is
      // committed and waits in flight for room for the other two.
      StringBuilder six = new StringBuilder();
      for (int i = 1; i <= 6; i++) {
        six.append("{\"type\":\"ping\",\"id\":\"a").append(i).append("\"}\n");
      }
      java.util.concurrent.CompletableFuture<HttpResponse<byte[]>> inFlight = client.sendAsync(
          HttpRequest.newBuilder(URI.create(held.httpBase() + "/v1/events"))
              .header("Content-Type", "application/x-ndjson")
              .POST(HttpRequest.BodyPublishers.ofString(six.toString())).build(),
          HttpResponse.BodyHandlers.ofByteArray());
      ReceiverFixture.await(() -> held.pipeline.backlog() == 4, () -> "ring not full");
      Thread stopper = new Thread(() -> held.server.stop(Duration.ofSeconds(60)), "stopper");
      stopper.start();
      // A new request while stopping: 503 with Retry-After, so the client tries again later.
      java.util.concurrent.atomic.AtomicReference<HttpResponse<byte[]>> refused =
          new java.util.concurrent.atomic.AtomicReference<>();
      ReceiverFixture.await(() -> {
        try {
          refused.set(client.send(HttpRequest.newBuilder(URI.create(held.httpBase() + "/v1/logs"))
              .header("Content-Type", "application/x-protobuf")
              .POST(HttpRequest.BodyPublishers.ofByteArray(pings("b").toByteArray())).build(),
              HttpResponse.BodyHandlers.ofByteArray()));
          return refused.get().statusCode() == 503;
        } catch (IOException | InterruptedException e) {
          throw new AssertionError(e);
        }
      }, () -> "no 503 while stopping: " + refused.get().statusCode());
      assertTrue(refused.get().headers().firstValue("Retry-After").isPresent());
      assertTrue(held.server.stats().refused(IngestEndpoint.HTTP_LOGS, Refusal.STOPPING) >= 1);
      // gRPC too: UNAVAILABLE (OTLP clients retry it), counted, while the HTTP request finishes.
      ManagedChannel channel = NettyChannelBuilder.forAddress("127.0.0.1", held.server.grpcPort())
          .usePlaintext().build();
      try {
        StatusRuntimeException e = org.junit.jupiter.api.Assertions.assertThrows(
            StatusRuntimeException.class, () -> LogsServiceGrpc.newBlockingStub(channel)
                .withDeadlineAfter(30, TimeUnit.SECONDS).export(pings("c")));
        assertEquals(Status.Code.UNAVAILABLE, e.getStatus().getCode());
        ReceiverFixture.await(() -> held.server.stats().refused(IngestEndpoint.GRPC_LOGS,
            Refusal.STOPPING) == 1, () -> "gRPC stopping not counted");
      } finally {
        channel.shutdownNow().awaitTermination(10, TimeUnit.SECONDS);
      }
      assertTrue(stopper.isAlive(), "stop waits for the request in flight");
      held.openSink();
      HttpResponse<byte[]> done = inFlight.get(60, TimeUnit.SECONDS);
      assertEquals(200, done.statusCode());
      assertEquals("{\"accepted\":6,\"rejected\":0,\"errors\":[]}", text(done));
      stopper.join(TimeUnit.SECONDS.toMillis(60));
      assertTrue(!stopper.isAlive());
      assertEquals(List.of("a1", "a2", "a3", "a4", "a5", "a6"),
          held.finish().stream().map(Violation::key).toList());
    }
  }

  @Test
  void anIdleStopIsQuickAndClosesThePorts() throws Exception {
    try (ReceiverFixture fresh = ReceiverFixture.start(programs, IngestServerConfig.defaults())) {
      long started = System.nanoTime();
      fresh.server.stop(Duration.ofSeconds(10));
      assertTrue(System.nanoTime() - started < TimeUnit.SECONDS.toNanos(5), "an idle stop is quick");
      org.junit.jupiter.api.Assertions.assertThrows(IOException.class, () -> client.send(
          HttpRequest.newBuilder(URI.create(fresh.httpBase() + "/v1/events"))
              .header("Content-Type", "application/json")
              .POST(HttpRequest.BodyPublishers.ofString("{}")).build(),
          HttpResponse.BodyHandlers.ofByteArray()), "the port is closed after stop");
    }
  }
}
