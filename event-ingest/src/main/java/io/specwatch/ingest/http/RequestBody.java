package io.specwatch.ingest.http;

import com.sun.net.httpserver.Headers;
import io.specwatch.ingest.otlp.IngestStats.Refusal;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;
import java.util.Locale;
import java.util.zip.GZIPInputStream;
import java.util.zip.ZipException;

/**
 * Reads a request body within the limits: at most {@code maxRequestBytes} as sent (refused from
 * {@code Content-Length} before reading when it says more), and, for {@code Content-Encoding:
 * gzip}, at most {@code maxDecompressedBytes} once inflated, so a small gzip bomb stops at the
 * limit instead of filling the heap.
 */
final class RequestBody {
  private static final int CHUNK = 8192;

  /** The body bytes: {@code length} bytes of {@code bytes} from 0. */
  record Bytes(byte[] bytes, int length) {}

  private RequestBody() {}

  static Bytes read(Headers headers, InputStream in, int maxRequestBytes, int maxDecompressedBytes)
      throws BodyError, IOException {
    String declared = headers.getFirst("Content-Length");
    if (declared != null) {
      long n;
      try {
        n = Long.parseLong(declared.trim());
      } catch (NumberFormatException e) {
        throw new BodyError(400, Refusal.MALFORMED, "invalid Content-Length: " + declared);
      }
      if (n > maxRequestBytes) {
        throw tooLarge("request body of " + n + " bytes", maxRequestBytes);
      }
    }
    Bytes raw = readAtMost(in, maxRequestBytes, "request body");
    String encoding = headers.getFirst("Content-Encoding");
    if (encoding == null || encoding.isBlank() || encoding.trim().equalsIgnoreCase("identity")) {
      return raw;
    }
    if (!encoding.trim().toLowerCase(Locale.ROOT).equals("gzip")) {
      throw new BodyError(415, Refusal.UNSUPPORTED_MEDIA_TYPE,
          "unsupported Content-Encoding `" + encoding + "` (use gzip or none)");
    }
    try (InputStream gz = new GZIPInputStream(new ByteArrayInputStream(raw.bytes, 0, raw.length))) {
      return readAtMost(gz, maxDecompressedBytes, "decompressed request body");
    } catch (ZipException | java.io.EOFException e) {
      throw new BodyError(400, Refusal.MALFORMED, "invalid gzip body: " + e.getMessage());
    }
  }

  private static Bytes readAtMost(InputStream in, int max, String what) throws BodyError, IOException {
    byte[] buf = new byte[Math.min(CHUNK, max + 1)];
    int len = 0;
    while (true) {
      if (len == buf.length) {
        if (len > max) {
          throw tooLarge(what + " over " + max + " bytes", max);
        }
        buf = Arrays.copyOf(buf, (int) Math.min((long) max + 1, (long) buf.length * 2));
      }
      int n = in.read(buf, len, buf.length - len);
      if (n < 0) {
        return new Bytes(buf, len);
      }
      len += n;
      if (len > max) {
        throw tooLarge(what + " over " + max + " bytes", max);
      }
    }
  }

  private static BodyError tooLarge(String what, int max) {
    return new BodyError(413, Refusal.TOO_LARGE, what + " exceeds the limit of " + max + " bytes");
  }
}
