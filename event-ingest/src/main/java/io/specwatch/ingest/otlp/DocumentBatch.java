package io.specwatch.ingest.otlp;

import io.specwatch.core.OversizedDocument;
import io.specwatch.core.Position;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The documents one request turned into, held as byte ranges of one shared buffer, plus the
 * records that were rejected and why. Built completely before anything is published, so a
 * request is published as a whole or, when the pipeline has no room, not at all.
 *
 * <p>An entry is normally a document; an {@link #addUnreadable unreadable} entry (a
 * {@code /v1/events} line over the document limit) has no bytes, only a reason, and is published
 * with {@code publishRejected} in its place, so the spec reports it as {@code check} would.
 */
public final class DocumentBatch {
  /** How many distinct rejection reasons a reply quotes; the count is always exact. */
  static final int MAX_QUOTED_ERRORS = 5;

  private final JsonBytesWriter writer = new JsonBytesWriter();
  private final int maxDocumentBytes;
  /** Per entry: its first byte, or {@link #UNREADABLE}. */
  private int[] starts = new int[16];
  /** Per entry: its end, or for an unreadable entry the index of its reason in {@link #unreadable}. */
  private int[] ends = new int[16];
  private static final int UNREADABLE = -1;
  private final List<String> unreadable = new ArrayList<>();
  private final List<Position> positions = new ArrayList<>();
  private int rejected;
  private int flagged;
  private final List<String> errors = new ArrayList<>();
  private int documentStart = -1;

  /** @param maxDocumentBytes a document longer than this rejects its record */
  public DocumentBatch(int maxDocumentBytes) {
    this.maxDocumentBytes = maxDocumentBytes;
  }

  /** The largest document an entry may hold. */
  public int maxDocumentBytes() {
    return maxDocumentBytes;
  }

  /** Starts a document; write it with {@link #writer()}, then {@link #commit} or {@link #reject}. */
  JsonBytesWriter begin() {
    documentStart = writer.length();
    return writer;
  }

  JsonBytesWriter writer() {
    return writer;
  }

  /** Ends the document begun last. Returns false (and rejects it) when it is over the limit. */
  boolean commit(Position pos) {
    int len = writer.length() - documentStart;
    if (len > maxDocumentBytes) {
      reject(OversizedDocument.reason(len, maxDocumentBytes, "limits.max_document_bytes"));
      return false;
    }
    append(documentStart, writer.length(), pos);
    documentStart = -1;
    return true;
  }

  private void append(int start, int end, Position pos) {
    if (positions.size() == starts.length) {
      starts = Arrays.copyOf(starts, starts.length * 2);
      ends = Arrays.copyOf(ends, ends.length * 2);
    }
    starts[positions.size()] = start;
    ends[positions.size()] = end;
    positions.add(pos);
  }

  /** Drops the document begun last (if any) and counts its record as rejected, with why. */
  public void reject(String reason) {
    if (documentStart >= 0) {
      writer.truncate(documentStart);
      documentStart = -1;
    }
    rejected++;
    quote(reason);
  }

  private void quote(String reason) {
    if (errors.size() < MAX_QUOTED_ERRORS && !errors.contains(reason)) {
      errors.add(reason);
    }
  }

  /** Adds a document that already is JSON bytes (the plain events endpoint). */
  public boolean add(byte[] buf, int off, int len, Position pos) {
    JsonBytesWriter w = begin();
    w.rawBytes(buf, off, len);
    return commit(pos);
  }

  /**
   * Adds a document known not to be a valid JSON object, and notes why: it is still published,
   * so the pipeline reports it as a {@code malformed} violation exactly as {@code check} would
   * for the same line, and the client is told as well.
   */
  public boolean addFlagged(byte[] buf, int off, int len, Position pos, String reason) {
    if (!add(buf, off, len, pos)) {
      return false;
    }
    flagged++;
    quote(reason);
    return true;
  }

  /**
   * Adds a document that is not even held (over the document limit): it is published with
   * {@code publishRejected(pos, reason)}, so the spec reports it as a {@code malformed} violation
   * with the reason, as {@code check} does for such a line; {@code clientReason} tells the client.
   */
  public void addUnreadable(Position pos, String reason, String clientReason) {
    append(UNREADABLE, unreadable.size(), pos);
    unreadable.add(reason);
    flagged++;
    quote(clientReason);
  }

  /** Whether entry {@code i} has no bytes and is published as rejected, with {@link #unreadableReason}. */
  public boolean isUnreadable(int i) {
    return starts[i] == UNREADABLE;
  }

  /** Why entry {@code i} is unreadable: the malformed violation's message. */
  public String unreadableReason(int i) {
    return unreadable.get(ends[i]);
  }

  /** Entries added with {@link #addFlagged} or {@link #addUnreadable}: published, but malformed. */
  public int flagged() {
    return flagged;
  }

  /** Entries to publish: documents and unreadable entries. */
  public int size() {
    return positions.size();
  }

  public byte[] buffer() {
    return writer.buffer();
  }

  public int start(int i) {
    return starts[i];
  }

  public int length(int i) {
    return ends[i] - starts[i];
  }

  public Position position(int i) {
    return positions.get(i);
  }

  /** Records rejected while mapping (never published). */
  public int rejected() {
    return rejected;
  }

  /** The first few distinct reasons, for the reply's error message. */
  public List<String> errors() {
    return List.copyOf(errors);
  }

  /** The reasons joined for OTLP's {@code error_message}, with how many records were rejected. */
  public String errorMessage() {
    if (rejected == 0) {
      return "";
    }
    return rejected + " record(s) rejected: " + String.join("; ", errors)
        + (errors.size() == MAX_QUOTED_ERRORS ? "; ..." : "");
  }
}
