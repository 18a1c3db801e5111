package io.specwatch.ingest.otlp;

import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.Status;
import io.specwatch.ingest.otlp.IngestStats.Refusal;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * What every gRPC call passes before its request is read, as the HTTP receivers check it: the
 * server is not stopping (UNAVAILABLE, so the client retries later) and, when a token is set, the
 * {@code authorization} metadata is {@code Bearer <token>} (UNAUTHENTICATED). The token
 * comparison takes the same time wherever the tokens differ, so it cannot be guessed byte by byte.
 */
public final class GrpcGate implements ServerInterceptor {
  private static final Metadata.Key<String> AUTHORIZATION =
      Metadata.Key.of("authorization", Metadata.ASCII_STRING_MARSHALLER);

  private final String token;
  private final AtomicBoolean stopping;

  /** @param token the bearer token calls must carry, or null for none */
  public GrpcGate(String token, AtomicBoolean stopping) {
    this.token = token;
    this.stopping = stopping;
  }

  @Override
  public <Q, R> ServerCall.Listener<Q> interceptCall(ServerCall<Q, R> call, Metadata headers,
      ServerCallHandler<Q, R> next) {
    if (stopping.get()) {
      return refuse(call, Refusal.STOPPING, Status.UNAVAILABLE.withDescription(
          "specwatch is stopping; retry later"));
    }
    if (!BearerTokens.matches(token, headers.get(AUTHORIZATION))) {
      return refuse(call, Refusal.UNAUTHORIZED, Status.UNAUTHENTICATED.withDescription(
          "missing or wrong bearer token (header `authorization: Bearer ...`)"));
    }
    return next.startCall(call, headers);
  }

  private static <Q, R> ServerCall.Listener<Q> refuse(ServerCall<Q, R> call, Refusal reason,
      Status status) {
    GrpcCallStats.refusedBecause(reason);
    call.close(status, new Metadata());
    return new ServerCall.Listener<>() {};
  }
}
