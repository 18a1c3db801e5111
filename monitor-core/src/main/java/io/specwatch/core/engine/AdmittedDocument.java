package io.specwatch.core.engine;

import io.specwatch.core.Violation;
import io.specwatch.core.program.EventField;
import io.specwatch.core.program.EventType;
import io.specwatch.core.program.Program;
import java.util.ArrayList;
import java.util.List;

/**
 * What {@link Admission} made of one document for one spec, handed to the {@link Evaluator}s:
 * the malformed violations to report first, whether the document produced any event (only then
 * does the watermark move and do deadlines fire), the watermark after it, and the decoded events
 * in the order they apply.
 *
 * <p>In the live pipeline every ring slot owns one of these per spec, so the buffers are reused
 * and the decode thread never shares one with the evaluators while they read it.
 */
public final class AdmittedDocument {
  /** The decoded form of one event; one buffer per event type, reused. */
  static final class Decoded {
    final EventType type;
    /**
     * The type's fields as an array: iterating the program's immutable {@code List} allocated an
     * iterator per decoded event (seen in the pipeline's allocation profile).
     */
    final EventField[] fields;
    final long[] longs;
    final Object[] refs;
    /** The key's shard hash: {@code key.hashCode()} spread (see {@link #shardOf}). */
    int keyHash;
    /** The key as the evaluator's table compares it, and its hash: probes never read the string. */
    final PackedKey packedKey = new PackedKey();
    long time;

    /** The event's key, made now if it was packed from bytes; null when the key is missing. */
    String key() {
      return packedKey.key();
    }

    Decoded(EventType type) {
      this.type = type;
      this.fields = type.fields().toArray(new EventField[0]);
      this.longs = new long[type.longSlots()];
      this.refs = new Object[type.refSlots()];
    }
  }

  final Decoded[] byEventType;
  final Decoded[] applyOrder;
  int eventCount;
  boolean producedEvent;
  long watermark;
  final List<Violation> malformed = new ArrayList<>(2);

  public AdmittedDocument(Program program) {
    byEventType = new Decoded[program.events().size()];
    for (EventType e : program.events()) {
      byEventType[e.index()] = new Decoded(e);
    }
    applyOrder = new Decoded[byEventType.length];
  }

  void reset() {
    eventCount = 0;
    producedEvent = false;
    if (!malformed.isEmpty()) {
      // clear() writes the list's modCount even when it is empty: a write to a line the
      // evaluator's core last read, for every document, where nearly every document has none.
      malformed.clear();
    }
  }

  /** True when nothing about this document needs the evaluators. */
  public boolean isEmpty() {
    return !producedEvent && malformed.isEmpty();
  }

  public int eventCount() {
    return eventCount;
  }

  /** How many malformed violations this document raised (read-only; for routing it). */
  public int malformedCount() {
    return malformed.size();
  }

  /** The shard (of {@code shards}) that owns the instance of event {@code i}. */
  public int shardOf(int i, int shards) {
    return Math.floorMod(applyOrder[i].keyHash, shards);
  }
}
