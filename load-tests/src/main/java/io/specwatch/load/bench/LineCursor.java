package io.specwatch.load.bench;

import io.specwatch.core.json.Lines;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

/**
 * Reads a JSONL file one line at a time into a reused buffer (pull style, unlike
 * {@code JsonlReader}), so a benchmark can fetch the next batch of lines outside its timed region.
 * The line is valid until the next call to {@link #next()}.
 */
public final class LineCursor implements AutoCloseable {
  private final InputStream in;
  private byte[] chunk = new byte[1 << 20];
  private int start;
  private int end;
  private int lineOff;
  private int lineLen;
  private boolean eof;

  public LineCursor(Path file) throws IOException {
    this.in = Files.newInputStream(file);
  }

  /** Advances to the next non-empty line; false at the end of the file. */
  public boolean next() throws IOException {
    while (true) {
      for (int i = Lines.nextNewline(chunk, start, end); i < end;
          i = Lines.nextNewline(chunk, i + 1, end)) {
        int len = i - start;
        lineOff = start;
        start = i + 1;
        if (len > 0 && chunk[lineOff + len - 1] == '\r') {
          len--;
        }
        if (len > 0) {
          lineLen = len;
          return true;
        }
      }
      if (eof) {
        if (start < end) {
          lineOff = start;
          lineLen = end - start;
          start = end;
          return true;
        }
        return false;
      }
      fill();
    }
  }

  private void fill() throws IOException {
    int rest = end - start;
    if (rest == chunk.length) {
      chunk = Arrays.copyOf(chunk, chunk.length * 2); // a line longer than the buffer
    } else {
      System.arraycopy(chunk, start, chunk, 0, rest);
    }
    start = 0;
    end = rest;
    int n = in.read(chunk, end, chunk.length - end);
    if (n < 0) {
      eof = true;
    } else {
      end += n;
    }
  }

  public byte[] buf() {
    return chunk;
  }

  public int off() {
    return lineOff;
  }

  public int len() {
    return lineLen;
  }

  @Override
  public void close() throws IOException {
    in.close();
  }
}
