package io.specwatch.ingest.file;

import io.specwatch.core.json.Lines;
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
    /**
     * One document: {@code len} bytes of {@code buf} from {@code off}. They stay unchanged until
     * the next {@link #buffersReused} call, so a handler may collect several documents and
     * publish them together ({@link io.specwatch.core.DocumentPublisher#publishAll}).
     */
    void document(byte[] buf, int off, int len, long line);

    /** A line over the size limit; {@code size} is its length in bytes, without CR LF. */
    void oversized(long line, long size);

    /**
     * The reader is about to overwrite the bytes of the documents delivered so far (it reads the
     * next chunk): a handler that kept documents must be done with them when this returns. Also
     * called once at the end of the stream.
     */
    default void buffersReused() {}
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
    // A line of exactly maxDocumentBytes followed by CR LF is a document of maxDocumentBytes:
    // buffer one byte more than the limit so that its CR can be dropped before the check.
    final long bufferLimit = Math.min((long) maxDocumentBytes + 1, Integer.MAX_VALUE - 8);
    byte[] chunk = new byte[CHUNK];
    byte[] carry = new byte[1024]; // the start of a line that spans chunks
    int carryLen = 0;
    long carrySize = 0; // total size of the current partial line, even past the limit
    byte carryLast = 0; // the last byte of the current partial line
    int n;
    while ((n = in.read(chunk)) > 0) {
      int start = 0;
      for (int i = Lines.nextNewline(chunk, 0, n); i < n; i = Lines.nextNewline(chunk, i + 1, n)) {
        boolean cr = i > start ? chunk[i - 1] == '\r' : carrySize > 0 && carryLast == '\r';
        if (carrySize == 0) {
          deliver(handler, chunk, start, i - start, i - start, cr);
        } else {
          long size = carrySize + (i - start);
          if (size <= bufferLimit) {
            carry = append(carry, carryLen, chunk, start, i - start);
            carryLen += i - start;
          }
          deliver(handler, carry, 0, carryLen, size, cr);
          carryLen = 0;
          carrySize = 0;
        }
        start = i + 1;
      }
      handler.buffersReused(); // before the carry and the chunk are written again
      int rest = n - start;
      if (rest > 0) {
        if (carrySize + rest <= bufferLimit) {
          carry = append(carry, carryLen, chunk, start, rest);
          carryLen += rest;
        }
        carrySize += rest;
        carryLast = chunk[n - 1];
      }
    }
    if (carrySize > 0) {
      deliver(handler, carry, 0, carryLen, carrySize, carryLast == '\r');
    }
    handler.buffersReused();
  }

  private static byte[] append(byte[] carry, int carryLen, byte[] src, int off, int len) {
    if (carryLen + len > carry.length) {
      carry = java.util.Arrays.copyOf(carry, Math.max(carry.length * 2, carryLen + len));
    }
    System.arraycopy(src, off, carry, carryLen, len);
    return carry;
  }

  /**
   * One line without its LF: {@code len} bytes of it are in {@code buf} (all of them unless it is
   * over the limit), {@code size} is its full length and {@code cr} whether it ends with a CR.
   */
  private void deliver(Handler handler, byte[] buf, int off, int len, long size, boolean cr) {
    lines++;
    if (cr) {
      if (len == size) {
        len--;
      }
      size--;
    }
    if (size > maxDocumentBytes) {
      handler.oversized(lines, size);
      return;
    }
    for (int i = off; i < off + len; i++) {
      byte b = buf[i];
      // Blank means JSON whitespace only (RFC 8259: space, tab, CR, LF); a line of form feeds
      // is not blank, it is not JSON.
      if (b != ' ' && b != '\t' && b != '\r') {
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
