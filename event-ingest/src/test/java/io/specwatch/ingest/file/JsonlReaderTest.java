package io.specwatch.ingest.file;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

class JsonlReaderTest {
  private static final int MIB = 1 << 20;

  /** What the reader handed over, in order: "L3 text" for documents, "L4 oversized N" else. */
  private static final class Recorder implements JsonlReader.Handler {
    final List<String> events = new ArrayList<>();

    @Override
    public void document(byte[] buf, int off, int len, long line) {
      events.add("L" + line + " " + new String(buf, off, len, StandardCharsets.UTF_8));
    }

    @Override
    public void oversized(long line, long size) {
      events.add("L" + line + " oversized " + size);
    }
  }

  /** Returns at most one byte per read. */
  private static final class OneByteAtATime extends InputStream {
    private final ByteArrayInputStream in;

    OneByteAtATime(byte[] data) {
      this.in = new ByteArrayInputStream(data);
    }

    @Override
    public int read() {
      return in.read();
    }

    @Override
    public int read(byte[] b, int off, int len) {
      return in.read(b, off, Math.min(len, 1));
    }
  }

  /** Returns a random number of bytes per read, from 1 to more than the reader's buffer. */
  private static final class RandomChunks extends InputStream {
    private final ByteArrayInputStream in;
    private final SplittableRandom random;

    RandomChunks(byte[] data, long seed) {
      this.in = new ByteArrayInputStream(data);
      this.random = new SplittableRandom(seed);
    }

    @Override
    public int read() {
      return in.read();
    }

    @Override
    public int read(byte[] b, int off, int len) {
      int max = switch (random.nextInt(4)) {
        case 0 -> 1;
        case 1 -> random.nextInt(1, 16);
        case 2 -> random.nextInt(1, 2048);
        default -> random.nextInt(1, 200_000);
      };
      return in.read(b, off, Math.min(len, max));
    }
  }

  /** {@code size} bytes of one line of 'x' (then LF if asked), generated as they are read. */
  private static final class LongLine extends InputStream {
    private final long size;
    private final boolean newline;
    private long pos;

    LongLine(long size, boolean newline) {
      this.size = size;
      this.newline = newline;
    }

    private long total() {
      return size + (newline ? 1 : 0);
    }

    @Override
    public int read() {
      if (pos >= total()) {
        return -1;
      }
      return pos++ < size ? 'x' : '\n';
    }

    @Override
    public int read(byte[] b, int off, int len) {
      if (pos >= total()) {
        return -1;
      }
      int n = (int) Math.min(len, total() - pos);
      for (int i = 0; i < n; i++) {
        b[off + i] = pos + i < size ? (byte) 'x' : (byte) '\n';
      }
      pos += n;
      return n;
    }
  }

  private static byte[] utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  private static Recorder read(InputStream in, int max) throws IOException {
    Recorder r = new Recorder();
    new JsonlReader(in, max).readAll(r);
    return r;
  }

  private static List<String> readAllWays(byte[] data, int max) throws IOException {
    List<String> whole = read(new ByteArrayInputStream(data), max).events;
    assertEquals(whole, read(new OneByteAtATime(data), max).events, "one byte at a time");
    for (long seed = 0; seed < 5; seed++) {
      assertEquals(whole, read(new RandomChunks(data, seed), max).events, "random chunks " + seed);
    }
    return whole;
  }

  @Test
  void linesWithTheirNumbers() throws IOException {
    JsonlReader reader = new JsonlReader(new ByteArrayInputStream(utf8("{\"a\":1}\n{\"b\":2}\n")), MIB);
    Recorder r = new Recorder();
    reader.readAll(r);
    assertEquals(List.of("L1 {\"a\":1}", "L2 {\"b\":2}"), r.events);
    assertEquals(2, reader.lines());
    assertEquals(0, reader.blankLines());
    assertEquals(MIB, reader.maxDocumentBytes());
  }

  @Test
  void emptyInput() throws IOException {
    JsonlReader reader = new JsonlReader(new ByteArrayInputStream(new byte[0]), MIB);
    Recorder r = new Recorder();
    reader.readAll(r);
    assertEquals(List.of(), r.events);
    assertEquals(0, reader.lines());
    assertEquals(0, reader.blankLines());
  }

  @Test
  void aLoneNewlineIsOneBlankLine() throws IOException {
    JsonlReader reader = new JsonlReader(new ByteArrayInputStream(utf8("\n")), MIB);
    Recorder r = new Recorder();
    reader.readAll(r);
    assertEquals(List.of(), r.events);
    assertEquals(1, reader.lines());
    assertEquals(1, reader.blankLines());
  }

  @Test
  void theLastLineNeedsNoNewline() throws IOException {
    assertEquals(List.of("L1 a", "L2 b"), readAllWays(utf8("a\nb"), MIB));
    assertEquals(List.of("L1 a", "L2 b"), readAllWays(utf8("a\nb\r"), MIB));
    assertEquals(List.of("L1 only"), readAllWays(utf8("only"), MIB));
  }

  @Test
  void blankAndWhitespaceOnlyLinesAreCountedButSkipped() throws IOException {
    byte[] data = utf8("\n   \n{\"a\":1}\n\t\n\r\n \t \r\n\f\n\u000b\n{\"b\":2}\n  ");
    JsonlReader reader = new JsonlReader(new ByteArrayInputStream(data), MIB);
    Recorder r = new Recorder();
    reader.readAll(r);
    // Form feed and vertical tab are not JSON whitespace: those lines are documents (malformed).
    assertEquals(List.of("L3 {\"a\":1}", "L7 \f", "L8 \u000b", "L9 {\"b\":2}"), r.events);
    assertEquals(10, reader.lines());
    assertEquals(6, reader.blankLines());
    assertEquals(r.events, readAllWays(data, MIB));
  }

  @Test
  void leadingAndTrailingSpacesStayPartOfTheDocument() throws IOException {
    assertEquals(List.of("L1  {} "), readAllWays(utf8(" {} \n"), MIB));
  }

  @Test
  void crlfLoseTheirCr() throws IOException {
    assertEquals(List.of("L1 {\"a\":1}", "L2 {\"b\":2}"), readAllWays(utf8("{\"a\":1}\r\n{\"b\":2}\r\n"), MIB));
    // Only one trailing CR goes, and a CR inside a line stays.
    assertEquals(List.of("L1 x\r", "L2 a\rb"), readAllWays(utf8("x\r\r\na\rb\n"), MIB));
    // A CR and its LF in different reads.
    byte[] data = utf8("{\"a\":1}\r\n".repeat(10_000));
    List<String> lines = readAllWays(data, MIB);
    assertEquals(10_000, lines.size());
    assertTrue(lines.stream().allMatch(l -> l.endsWith("{\"a\":1}")));
  }

  @Test
  void linesSplitAcrossReadsOneByteAtATime() throws IOException {
    byte[] data = utf8("{\"k\":\"é😀\"}\n\n{\"long\":\"" + "y".repeat(5000) + "\"}\r\nlast");
    Recorder r = read(new OneByteAtATime(data), MIB);
    assertEquals(List.of("L1 {\"k\":\"é😀\"}", "L3 {\"long\":\"" + "y".repeat(5000) + "\"}", "L4 last"),
        r.events);
  }

  @Test
  void linesSplitAcrossRandomlySizedReads() throws IOException {
    // Lines of all sizes, some longer than the reader's 64 KiB buffer and its 1 KiB initial carry.
    SplittableRandom random = new SplittableRandom(17);
    StringBuilder sb = new StringBuilder();
    List<String> expected = new ArrayList<>();
    for (int line = 1; line <= 400; line++) {
      int kind = random.nextInt(10);
      if (kind == 0) {
        sb.append(random.nextBoolean() ? "\n" : "  \r\n");
        continue;
      }
      int len = kind < 7 ? random.nextInt(1, 200) : kind < 9 ? random.nextInt(1000, 5000)
          : random.nextInt(60_000, 300_000);
      String text = "{\"n\":" + line + ",\"p\":\"" + "é".repeat(len / 2) + "\"}";
      sb.append(text).append(random.nextBoolean() ? "\n" : "\r\n");
      expected.add("L" + line + " " + text);
    }
    byte[] data = utf8(sb.toString());
    for (long seed = 0; seed < 10; seed++) {
      assertEquals(expected, read(new RandomChunks(data, seed), MIB).events, "seed " + seed);
    }
    assertEquals(expected, read(new OneByteAtATime(data), MIB).events);
    assertEquals(expected, read(new ByteArrayInputStream(data), MIB).events);
  }

  @Test
  void aLineOverTheLimitIsReportedWithItsSize() throws IOException {
    byte[] data = utf8("{\"a\":1}\n" + "z".repeat(11) + "\n" + "y".repeat(10) + "\n{\"b\":2}");
    assertEquals(List.of("L1 {\"a\":1}", "L2 oversized 11", "L3 " + "y".repeat(10), "L4 {\"b\":2}"),
        readAllWays(data, 10));
  }

  @Test
  void theLimitIsOnTheDocumentWithoutItsCrLf() throws IOException {
    // Exactly at the limit with CR LF is fine; one byte more is not, and its size has no CR.
    String atLimit = "a".repeat(100);
    assertEquals(List.of("L1 " + atLimit, "L2 " + atLimit, "L3 oversized 101", "L4 oversized 101", "L5 " + atLimit),
        readAllWays(utf8(atLimit + "\r\n" + atLimit + "\n" + atLimit + "b\r\n" + atLimit + "b\n"
            + atLimit + "\r"), 100));
    // The same past the 64 KiB read buffer, where the line is carried between reads.
    String big = "c".repeat(200_000);
    assertEquals(List.of("L1 " + big, "L2 oversized 200001", "L3 oversized 200001"),
        readAllWays(utf8(big + "\r\n" + big + "d\r\n" + big + "d\r"), 200_000));
  }

  @Test
  void aTenMegabyteLineOverAOneMegabyteLimitIsReportedAndTheNextLineStillRead() throws IOException {
    byte[] tail = utf8("{\"after\":true}\n");
    InputStream in = new java.io.SequenceInputStream(
        new java.io.SequenceInputStream(new ByteArrayInputStream(utf8("{\"before\":1}\n")),
            new LongLine(10L * MIB, true)),
        new ByteArrayInputStream(tail));
    JsonlReader reader = new JsonlReader(in, MIB);
    Recorder r = new Recorder();
    reader.readAll(r);
    assertEquals(List.of("L1 {\"before\":1}", "L2 oversized " + 10L * MIB, "L3 {\"after\":true}"),
        r.events);
    assertEquals(3, reader.lines());
  }

  @Test
  void anOversizedLastLineWithoutNewline() throws IOException {
    assertEquals(List.of("L1 oversized " + 3L * MIB), read(new LongLine(3L * MIB, false), MIB).events);
  }

  @Test
  void anOversizedLineIsNotBuffered() throws IOException {
    // The reader allocates its buffers and at most the limit (plus doubling slack) for a long
    // line; a line ten times as long must not cost more.
    com.sun.management.ThreadMXBean threads =
        (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
    assertTrue(threads.isThreadAllocatedMemorySupported());
    threads.setThreadAllocatedMemoryEnabled(true);
    long id = Thread.currentThread().getId();
    Function<Long, Long> allocatedForLine = size -> {
      Recorder r = new Recorder();
      long before = threads.getThreadAllocatedBytes(id);
      try {
        new JsonlReader(new LongLine(size, true), MIB).readAll(r);
      } catch (IOException e) {
        throw new AssertionError(e);
      }
      long allocated = threads.getThreadAllocatedBytes(id) - before;
      assertEquals(List.of("L1 oversized " + size), r.events);
      return allocated;
    };
    allocatedForLine.apply(2L * MIB); // warm up
    long tenMb = allocatedForLine.apply(10L * MIB);
    long hundredMb = allocatedForLine.apply(100L * MIB);
    // The carry grows by doubling up to the limit (about 4 MiB allocated in all for 1 MiB).
    assertTrue(tenMb < 8L * MIB, "a 10 MiB line allocated " + tenMb + " bytes");
    assertTrue(hundredMb < tenMb + MIB, "a 100 MiB line allocated " + hundredMb
        + " bytes, a 10 MiB one " + tenMb);
  }

  @Test
  void manyShortLinesAreHandedOverWithoutCopies() throws IOException {
    // Lines that fit in the read buffer are passed in place: the same array every time.
    byte[] data = utf8("{\"a\":1}\n{\"a\":2}\n{\"a\":3}\n");
    List<byte[]> buffers = new ArrayList<>();
    new JsonlReader(new ByteArrayInputStream(data), MIB).readAll(new JsonlReader.Handler() {
      @Override
      public void document(byte[] buf, int off, int len, long line) {
        buffers.add(buf);
      }

      @Override
      public void oversized(long line, long size) {
        throw new AssertionError();
      }
    });
    assertEquals(3, buffers.size());
    assertSame(buffers.get(0), buffers.get(2));
  }

  @Test
  void aReadErrorIsPassedOn() {
    InputStream failing = new InputStream() {
      private int calls;

      @Override
      public int read() throws IOException {
        throw new IOException("disk gone");
      }

      @Override
      public int read(byte[] b, int off, int len) throws IOException {
        if (calls++ == 0) {
          b[off] = '{';
          b[off + 1] = '}';
          b[off + 2] = '\n';
          return 3;
        }
        throw new IOException("disk gone");
      }
    };
    Recorder r = new Recorder();
    IOException e = assertThrows(IOException.class, () -> new JsonlReader(failing, MIB).readAll(r));
    assertEquals("disk gone", e.getMessage());
    assertEquals(List.of("L1 {}"), r.events);
  }

  @Test
  void theLimitMustBePositive() {
    assertThrows(IllegalArgumentException.class, () -> new JsonlReader(InputStream.nullInputStream(), 0));
    assertThrows(IllegalArgumentException.class, () -> new JsonlReader(InputStream.nullInputStream(), -1));
  }

  /**
   * The contract batching sources rely on (check publishes a chunk's lines together): the bytes
   * of every document delivered stay as they were until the next buffersReused() call, including
   * lines that span reads and the carry buffer, and buffersReused() comes at the end too.
   */
  @Test
  void documentsStayUnchangedUntilBuffersAreReused() throws IOException {
    StringBuilder text = new StringBuilder();
    SplittableRandom rnd = new SplittableRandom(7);
    List<String> expected = new ArrayList<>();
    for (int i = 0; i < 3000; i++) {
      String line = "{\"n\":" + i + ",\"pad\":\"" + "x".repeat(rnd.nextInt(300)) + "\"}";
      expected.add(line);
      text.append(line).append(i % 7 == 0 ? "\r\n" : "\n");
    }
    byte[] data = text.toString().getBytes(StandardCharsets.UTF_8);
    List<String> seen = new ArrayList<>();
    int[] calls = new int[1];
    JsonlReader.Handler keeper = new JsonlReader.Handler() {
      final List<Object[]> kept = new ArrayList<>();

      @Override
      public void document(byte[] buf, int off, int len, long line) {
        kept.add(new Object[] {buf, off, len, new String(buf, off, len, StandardCharsets.UTF_8)});
      }

      @Override
      public void oversized(long line, long size) {
        throw new AssertionError("line " + line);
      }

      @Override
      public void buffersReused() {
        calls[0]++;
        for (Object[] k : kept) {
          String now = new String((byte[]) k[0], (int) k[1], (int) k[2], StandardCharsets.UTF_8);
          assertEquals(k[3], now, "a kept document changed before buffersReused()");
          seen.add(now);
        }
        kept.clear();
      }
    };
    new JsonlReader(new RandomChunks(data, 3), MIB).readAll(keeper);
    assertEquals(expected, seen, "every document, in order, checked at a buffersReused() call");
    assertTrue(calls[0] > 10, "called once per read and at the end: " + calls[0]);
  }
}
