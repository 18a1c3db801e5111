package io.specwatch.alert.webhook;

import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.HexFormat;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The {@code X-Specwatch-Signature} header: {@code sha256=} and the lower-case hex HMAC-SHA256
 * of the exact request body, as GitHub signs its webhooks. Receivers recompute it and compare in
 * constant time ({@link #matches}).
 */
public final class HmacSignature {
  public static final String HEADER = "X-Specwatch-Signature";

  private HmacSignature() {}

  public static String sign(byte[] secret, byte[] body) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(secret, "HmacSHA256"));
      return "sha256=" + HexFormat.of().formatHex(mac.doFinal(body));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("HmacSHA256 is part of every Java 17 runtime", e);
    }
  }

  /** What a receiver does: recompute and compare without leaking timing. */
  public static boolean matches(byte[] secret, byte[] body, String header) {
    if (header == null) {
      return false;
    }
    return MessageDigest.isEqual(sign(secret, body).getBytes(java.nio.charset.StandardCharsets.US_ASCII),
        header.getBytes(java.nio.charset.StandardCharsets.US_ASCII));
  }
}
