package io.specwatch.ingest.otlp;

import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.Status;

/**
 * Refuses gRPC calls whose {@code authorization} metadata is not {@code Bearer <token>} with
 * UNAUTHENTICATED, before the request is read. The comparison takes the same time wherever the
 * tokens differ, so the token cannot be guessed byte by byte.
 */
public final class GrpcBearerAuth implements ServerInterceptor {
  private static final Metadata.Key<String> AUTHORIZATION =
      Metadata.Key.of("authorization", Metadata.ASCII_STRING_MARSHALLER);

  private final String token;
  private final IngestStats stats;

  public GrpcBearerAuth(String token, IngestStats stats) {
    this.token = token;
    this.stats = stats;
  }

  @Override
  public <Q, R> ServerCall.Listener<Q> interceptCall(ServerCall<Q, R> call, Metadata headers,
      ServerCallHandler<Q, R> next) {
    if (!BearerTokens.matches(token, headers.get(AUTHORIZATION))) {
      stats.request();
      stats.rejected(IngestStats.Rejection.UNAUTHORIZED, 1);
      call.close(Status.UNAUTHENTICATED.withDescription(
          "missing or wrong bearer token (header `authorization: Bearer ...`)"), new Metadata());
      return new ServerCall.Listener<>() {};
    }
    return next.startCall(call, headers);
  }
}
