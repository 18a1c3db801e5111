package io.specwatch.ingest.http;

import java.time.Duration;

/**
 * How the sidecar receivers listen, checked when built. A port of 0 takes any free port (tests);
 * a negative port switches that receiver off.
 *
 * @param host the address to bind; loopback unless the operator opens it up on purpose
 * @param httpPort OTLP/HTTP ({@code /v1/logs}, {@code /v1/traces}) and {@code /v1/events}
 * @param grpcPort OTLP/gRPC logs and trace services
 * @param bearerToken when set, every request must carry {@code Authorization: Bearer <token>}
 * @param maxRequestBytes largest body accepted as sent (compressed or not): 413 beyond
 * @param maxDecompressedBytes largest body after gzip is undone (413 beyond: a gzip bomb stops
 *     here), and the largest gRPC message
 * @param maxDocumentBytes largest single document a record may map to; larger records are
 *     rejected alone (partial success)
 * @param threads request threads of each receiver
 * @param retryAfter what a client told "full" is asked to wait ({@code Retry-After}, RetryInfo)
 * @param commitTimeout how long a request whose first documents are in waits for room for the
 *     rest before dropping (and reporting) them; see {@code BatchPublisher}
 */
public record IngestServerConfig(String host, int httpPort, int grpcPort, String bearerToken,
    int maxRequestBytes, int maxDecompressedBytes, int maxDocumentBytes, int threads,
    Duration retryAfter, Duration commitTimeout) {

  public static final int DEFAULT_HTTP_PORT = 4318;
  public static final int DEFAULT_GRPC_PORT = 4317;
  /** A body is held in memory whole: 1 GiB is far past any sane request. */
  public static final int MAX_BODY_BYTES = 1 << 30;

  public IngestServerConfig {
    if (host == null || host.isBlank()) {
      throw new IllegalArgumentException("host must be set (127.0.0.1 keeps the receivers local)");
    }
    if (httpPort > 65535 || grpcPort > 65535) {
      throw new IllegalArgumentException("ports must be at most 65535, were " + httpPort + " and " + grpcPort);
    }
    if (httpPort >= 0 && httpPort == grpcPort && httpPort != 0) {
      throw new IllegalArgumentException("the HTTP and gRPC receivers cannot share port " + httpPort);
    }
    if (bearerToken != null && bearerToken.isBlank()) {
      throw new IllegalArgumentException("bearerToken must not be blank (leave it unset for no authentication)");
    }
    if (maxRequestBytes < 1 || maxDecompressedBytes < maxRequestBytes
        || maxDecompressedBytes > MAX_BODY_BYTES) {
      throw new IllegalArgumentException("need 0 < maxRequestBytes <= maxDecompressedBytes <= "
          + MAX_BODY_BYTES + ", were " + maxRequestBytes + " and " + maxDecompressedBytes);
    }
    if (maxDocumentBytes < 1) {
      throw new IllegalArgumentException("maxDocumentBytes must be positive, was " + maxDocumentBytes);
    }
    if (threads < 1) {
      throw new IllegalArgumentException("threads must be positive, was " + threads);
    }
    if (retryAfter.isNegative() || retryAfter.isZero() || commitTimeout.isNegative()) {
      throw new IllegalArgumentException("retryAfter must be positive and commitTimeout not negative");
    }
  }

  /**
   * 127.0.0.1:4318 and :4317, no token, 4 MiB requests (16 MiB decompressed), 1 MiB documents
   * (as {@code check}), 4 threads each, retry after 1 s, commit timeout 10 s.
   */
  public static IngestServerConfig defaults() {
    return new IngestServerConfig("127.0.0.1", DEFAULT_HTTP_PORT, DEFAULT_GRPC_PORT, null,
        4 << 20, 16 << 20, 1 << 20, 4, Duration.ofSeconds(1), Duration.ofSeconds(10));
  }

  public IngestServerConfig withPorts(int http, int grpc) {
    return new IngestServerConfig(host, http, grpc, bearerToken, maxRequestBytes,
        maxDecompressedBytes, maxDocumentBytes, threads, retryAfter, commitTimeout);
  }

  public IngestServerConfig withBearerToken(String token) {
    return new IngestServerConfig(host, httpPort, grpcPort, token, maxRequestBytes,
        maxDecompressedBytes, maxDocumentBytes, threads, retryAfter, commitTimeout);
  }

  public IngestServerConfig withLimits(int requestBytes, int decompressedBytes, int documentBytes) {
    return new IngestServerConfig(host, httpPort, grpcPort, bearerToken, requestBytes,
        decompressedBytes, documentBytes, threads, retryAfter, commitTimeout);
  }

  public IngestServerConfig withCommitTimeout(Duration timeout) {
    return new IngestServerConfig(host, httpPort, grpcPort, bearerToken, maxRequestBytes,
        maxDecompressedBytes, maxDocumentBytes, threads, retryAfter, timeout);
  }
}
