package io.specwatch.ingest.file;

import java.io.IOException;
import java.io.InputStream;

/**
 * Splits a JSONL byte stream into documents, one per line, with their 1-based line numbers.
 *
 * <p>Blank and whitespace-only lines are skipped but counted; a trailing CR is dropped. A line
 * longer than {@code maxDocumentBytes} is never buffered whole: its bytes are discarded as they
 * arrive and it is reported as oversized, so a hostile input cannot exhaust memory. Lines that
 * fit in the read buffer are handed over in place, without a copy.
 */
public final class JsonlReader {
  public static final int DEFAULT_MAX_DOCUMENT_BYTES = 1 << 20;
  private static final int CHUNK = 1 << 16;

  /** Receives the documents of the stream in order. */
  public interface Handler {
    /** One document: {@code len} bytes of {@code buf} from {@code off}; valid only during the call. */
    void document(byte[] buf, int off, int len, long line);

    /** A line over the size limit; {@code size} is its length in bytes. */
    void oversized(long line, long size);
  }

  private final InputStream in;
  private final int maxDocumentBytes;
  private long lines;
  private long blankLines;

  public JsonlReader(InputStream in, int maxDocumentBytes) {
    if (maxDocumentBytes < 1) {
      throw new IllegalArgumentException("maxDocumentBytes must be positive, was " + maxDocumentBytes);
    }
    this.in = in;
    this.maxDocumentBytes = maxDocumentBytes;
  }

  /** Reads to the end of the stream. */
  public void readAll(Handler handler) throws IOException {
    byte[] chunk = new byte[CHUNK];
    byte[] carry = new byte[1024]; // the start of a line that spans chunks
    int carryLen = 0;
    long carrySize = 0; // total size of the current partial line, even past the limit
    int n;
    while ((n = in.read(chunk)) > 0) {
      int start = 0;
      for (int i = 0; i < n; i++) {
        if (chunk[i] != '\n') {
          continue;
        }
        if (carrySize == 0) {
          deliver(handler, chunk, start, i - start, i - start);
        } else {
          long size = carrySize + (i - start);
          if (size <= maxDocumentBytes) {
            carry = append(carry, carryLen, chunk, start, i - start);
            carryLen += i - start;
          }
          deliver(handler, carry, 0, carryLen, size);
          carryLen = 0;
          carrySize = 0;
        }
        start = i + 1;
      }
      int rest = n - start;
      if (rest > 0) {
        if (carrySize + rest <= maxDocumentBytes) {
          carry = append(carry, carryLen, chunk, start, rest);
          carryLen += rest;
        }
        carrySize += rest;
      }
    }
    if (carrySize > 0) {
      deliver(handler, carry, 0, carryLen, carrySize);
    }
  }

  private static byte[] append(byte[] carry, int carryLen, byte[] src, int off, int len) {
    if (carryLen + len > carry.length) {
      carry = java.util.Arrays.copyOf(carry, Math.max(carry.length * 2, carryLen + len));
    }
    System.arraycopy(src, off, carry, carryLen, len);
    return carry;
  }

  private void deliver(Handler handler, byte[] buf, int off, int len, long size) {
    lines++;
    if (size > maxDocumentBytes) {
      handler.oversized(lines, size);
      return;
    }
    if (len > 0 && buf[off + len - 1] == '\r') {
      len--;
    }
    for (int i = off; i < off + len; i++) {
      byte b = buf[i];
      if (b != ' ' && b != '\t' && b != '\r' && b != '\f' && b != 0x0B) {
        handler.document(buf, off, len, lines);
        return;
      }
    }
    blankLines++;
  }

  public long lines() {
    return lines;
  }

  public long blankLines() {
    return blankLines;
  }

  public int maxDocumentBytes() {
    return maxDocumentBytes;
  }
}
