package io.specwatch.ingest.http;

import com.google.protobuf.CodedInputStream;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Message;
import com.google.protobuf.util.JsonFormat;
import com.sun.net.httpserver.HttpExchange;
import io.opentelemetry.proto.collector.logs.v1.ExportLogsPartialSuccess;
import io.opentelemetry.proto.collector.logs.v1.ExportLogsServiceRequest;
import io.opentelemetry.proto.collector.logs.v1.ExportLogsServiceResponse;
import io.opentelemetry.proto.collector.trace.v1.ExportTracePartialSuccess;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceResponse;
import io.specwatch.ingest.otlp.IngestEndpoint;
import io.specwatch.ingest.otlp.IngestStats;
import io.specwatch.ingest.otlp.IngestStats.Refusal;
import io.specwatch.ingest.otlp.OtlpIngest;
import io.specwatch.ingest.otlp.OtlpJson;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * OTLP/HTTP {@code POST /v1/logs} and {@code /v1/traces}, binary protobuf or JSON, as the OTLP
 * specification prescribes: 200 with an {@code Export*ServiceResponse} in the request's encoding
 * (with {@code partial_success} when records were rejected), 400 for a body that does not parse,
 * 429 with {@code Retry-After} when the pipeline is full, and for every error a
 * {@code google.rpc.Status} with the reason, in the request's encoding.
 */
final class OtlpHttpHandler extends ReceiverHandler {
  static final String PROTOBUF = "application/x-protobuf";
  static final String JSON = "application/json";

  /** Which OTLP signal this endpoint takes. */
  enum Signal { LOGS, TRACES }

  private static final JsonFormat.Printer PRINTER = JsonFormat.printer()
      .omittingInsignificantWhitespace();

  private final Signal signal;
  private final OtlpIngest ingest;

  OtlpHttpHandler(Signal signal, IngestServerConfig config, IngestStats stats, OtlpIngest ingest,
      AtomicBoolean stopping, AtomicInteger inFlight) {
    super(signal == Signal.LOGS ? IngestEndpoint.HTTP_LOGS : IngestEndpoint.HTTP_TRACES, config,
        stats, stopping, inFlight);
    this.signal = signal;
    this.ingest = ingest;
  }

  @Override
  boolean accepts(String mediaType) {
    return mediaType.equals(PROTOBUF) || mediaType.equals("application/protobuf")
        || mediaType.equals(JSON);
  }

  @Override
  String acceptedTypes() {
    return "OTLP/HTTP takes application/x-protobuf or application/json";
  }

  @Override
  void handleBody(HttpExchange ex, String mediaType, RequestBody.Bytes body) throws IOException {
    boolean json = mediaType.equals(JSON);
    Message.Builder request = signal == Signal.LOGS ? ExportLogsServiceRequest.newBuilder()
        : ExportTraceServiceRequest.newBuilder();
    try {
      if (json) {
        OtlpJson.merge(body.bytes(), body.length(), request);
      } else {
        request.mergeFrom(CodedInputStream.newInstance(body.bytes(), 0, body.length()));
      }
    } catch (OtlpJson.MalformedJson e) {
      refuse(ex, 400, Refusal.MALFORMED, e.getMessage());
      return;
    } catch (InvalidProtocolBufferException e) {
      refuse(ex, 400, Refusal.MALFORMED, "invalid OTLP protobuf body: " + e.getMessage());
      return;
    }
    OtlpIngest.Result r = signal == Signal.LOGS
        ? ingest.logs((ExportLogsServiceRequest) request.build(), endpoint)
        : ingest.spans((ExportTraceServiceRequest) request.build(), endpoint);
    if (r.full()) {
      refuse(ex, 429, Refusal.PIPELINE_FULL,
          "specwatch's pipeline is full; retry after the Retry-After delay");
      return;
    }
    send(ex, 200, json ? JSON : PROTOBUF, encode(response(r), json));
  }

  private Message response(OtlpIngest.Result r) {
    if (signal == Signal.LOGS) {
      ExportLogsServiceResponse.Builder b = ExportLogsServiceResponse.newBuilder();
      if (r.rejected() > 0) {
        b.setPartialSuccess(ExportLogsPartialSuccess.newBuilder()
            .setRejectedLogRecords(r.rejected()).setErrorMessage(r.errorMessage()));
      }
      return b.build();
    }
    ExportTraceServiceResponse.Builder b = ExportTraceServiceResponse.newBuilder();
    if (r.rejected() > 0) {
      b.setPartialSuccess(ExportTracePartialSuccess.newBuilder()
          .setRejectedSpans(r.rejected()).setErrorMessage(r.errorMessage()));
    }
    return b.build();
  }

  @Override
  void replyError(HttpExchange ex, int status, String message) throws IOException {
    replyError(ex, status, message, mediaType(ex).equals(JSON));
  }

  /** OTLP: every 4xx/5xx body is a {@code google.rpc.Status}; its code is not used, only the message. */
  private void replyError(HttpExchange ex, int status, String message, boolean json)
      throws IOException {
    com.google.rpc.Status body = com.google.rpc.Status.newBuilder().setMessage(message).build();
    send(ex, status, json ? JSON : PROTOBUF, encode(body, json));
  }

  private static byte[] encode(Message m, boolean json) throws IOException {
    return json ? PRINTER.print(m).getBytes(StandardCharsets.UTF_8) : m.toByteArray();
  }
}
