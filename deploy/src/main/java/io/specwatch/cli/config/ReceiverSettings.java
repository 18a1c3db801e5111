package io.specwatch.cli.config;

import java.time.Duration;

/**
 * How an HTTP receiver ({@code sources.otlp}, {@code sources.http}) treats requests, beyond its
 * address: the optional bearer token (write it as {@code ${ENV_VAR}} so the secret stays out of
 * the file) and the limits a hostile or broken client hits. The defaults are event-ingest's
 * {@code IngestServerConfig.defaults()}; docs/operations.md lists them.
 *
 * @param bearerToken every request must carry {@code Authorization: Bearer <token>}; null: none
 * @param maxRequestBytes largest body as sent: 413 beyond
 * @param maxDecompressedBytes largest body after gzip is undone (a gzip bomb stops here), and
 *     the largest gRPC message; at least {@code maxRequestBytes}
 * @param threads request threads of the receiver
 * @param retryAfter what a client told "full" (429) is asked to wait; whole seconds
 * @param commitTimeout how long a request whose first documents are in waits for room for the
 *     rest before dropping and reporting them
 */
public record ReceiverSettings(String bearerToken, int maxRequestBytes, int maxDecompressedBytes,
    int threads, Duration retryAfter, Duration commitTimeout) {

  /** No token, 4 MiB requests (16 MiB decompressed), 4 threads, retry after 1s, commit timeout 10s. */
  public static ReceiverSettings defaults() {
    return new ReceiverSettings(null, 4 << 20, 16 << 20, 4, Duration.ofSeconds(1), Duration.ofSeconds(10));
  }

  /** Never prints the token: configurations end up in logs. */
  @Override
  public String toString() {
    return "ReceiverSettings[bearerToken=" + (bearerToken == null ? "none" : "***")
        + ", maxRequestBytes=" + maxRequestBytes + ", maxDecompressedBytes=" + maxDecompressedBytes
        + ", threads=" + threads + ", retryAfter=" + retryAfter + ", commitTimeout=" + commitTimeout + "]";
  }
}
