package io.specwatch.ingest.otlp;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;

/** Checks an {@code Authorization} header against the configured bearer token. */
public final class BearerTokens {
  private BearerTokens() {}

  /**
   * True when no token is configured, or when the header is {@code Bearer <token>} (the scheme
   * in any case, as RFC 7235 says). Constant-time in the token's content.
   */
  public static boolean matches(String expectedToken, String authorizationHeader) {
    if (expectedToken == null) {
      return true;
    }
    if (authorizationHeader == null || authorizationHeader.length() < 7
        || !authorizationHeader.regionMatches(true, 0, "Bearer ", 0, 7)) {
      return false;
    }
    byte[] given = authorizationHeader.substring(7).trim().getBytes(StandardCharsets.UTF_8);
    return MessageDigest.isEqual(given, expectedToken.getBytes(StandardCharsets.UTF_8));
  }
}
