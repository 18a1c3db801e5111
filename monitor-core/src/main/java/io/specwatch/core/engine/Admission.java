package io.specwatch.core.engine;

import io.specwatch.core.Position;
import io.specwatch.core.Violation;
import io.specwatch.core.ViolationKind;
import io.specwatch.core.eval.Checked;
import io.specwatch.core.json.DocumentView;
import io.specwatch.core.json.JsonKind;
import io.specwatch.core.json.Rfc3339;
import io.specwatch.core.program.EventField;
import io.specwatch.core.program.EventType;
import io.specwatch.core.program.InputSpec;
import io.specwatch.core.program.Program;

/**
 * The sequential part of applying a document to one spec (the contract's steps 1 to 4, except
 * firing deadlines): dedupe, event matching and decoding, and the watermark. Its state (the
 * dedupe memory and the largest event time) is global to the spec, so exactly one thread runs
 * it, in input order; the per-instance work then fans out to {@link Evaluator}s by key.
 */
public final class Admission {
  static final long NO_WATERMARK = Long.MIN_VALUE;

  private final Program program;
  private final InputSpec input;
  private final DocumentView view;
  private final DedupeMemory dedupe;
  private final SmallStringCache sharedStrings = new SmallStringCache();
  private long maxEventTime = NO_WATERMARK;
  /** Whether the last {@link #readTime} found a valid time (every long is a valid epoch ms). */
  private boolean timeOk;
  private long watermark = NO_WATERMARK;
  /** The id of the document being admitted when the caller did not read ahead. */
  private final PackedId ownId = new PackedId();
  /** Keeps what {@link #touchDedupe} read, so that the JIT cannot drop the reads. */
  @SuppressWarnings("unused")
  private long prefetched;

  long documents;
  long duplicates;
  long ignored;
  long malformed;
  /**
   * Malformed and duplicate counts by event declaration (its index), with one more slot at the
   * end for documents no declaration matched (a line that is not JSON; a duplicate matching no
   * event). Operators need to know which event their producer gets wrong, not just that one does.
   */
  final long[] malformedByEvent;
  final long[] duplicatesByEvent;

  /**
   * An admission whose dedupe memory forgets as a live stream's does ({@link DedupeLimits#LIVE}).
   */
  public Admission(Program program, DocumentView view) {
    this(program, view, DedupeLimits.LIVE);
  }

  public Admission(Program program, DocumentView view, DedupeLimits dedupeLimits) {
    this.program = program;
    this.input = program.input();
    this.view = view;
    this.dedupe = input.hasId()
        ? new DedupeMemory(input.hasTime(), input.dedupeWindowMillis(), dedupeLimits)
        : null;
    this.malformedByEvent = new long[program.events().size() + 1];
    this.duplicatesByEvent = new long[program.events().size() + 1];
  }

  public Program program() {
    return program;
  }

  /**
   * Packs into {@code into} the id the dedupe step of {@link #admit} will look up in the document
   * the view is bound to now; returns false when there is none (no {@code id} declared, or none
   * in the document). For a publisher reading ahead: {@link #touchDedupe} is then a few
   * instructions. An unescaped ASCII or integer id is packed from the document's bytes (copied
   * into the words), without a {@code String} (see {@link PackedId}).
   */
  public boolean dedupeId(PackedId into) {
    return dedupe != null && into.packFrom(view, input.idPath());
  }


  /**
   * A hint that {@link #admit} will soon look up {@code id} (from {@link #dedupeId}): reads the
   * dedupe memory's row where that lookup starts, which in a memory of millions of ids is a cache
   * miss. A publisher reading ahead touches the ids of several documents in one loop, so that
   * their misses overlap, before it admits them. Changes nothing.
   */
  public void touchDedupe(PackedId id) {
    prefetched += dedupe.touch(id);
  }

  /** Step 1: a line that is not a JSON object is one malformed violation per spec. */
  public void reject(Position pos, String reason, AdmittedDocument out) {
    out.reset();
    documents++;
    malformed++;
    malformedByEvent[malformedByEvent.length - 1]++;
    out.malformed.add(new Violation(program.name(), ViolationKind.MALFORMED, null, null, null, pos,
        null, reason, null));
  }

  /** Steps 2 to 4 for a document that is a JSON object, already bound to this spec's view. */
  public void admit(Position pos, AdmittedDocument out) {
    admit(pos, out, dedupeId(ownId) ? ownId : null);
  }

  /**
   * {@link #admit(Position, AdmittedDocument)} with the document's {@link #dedupeId} packed
   * already, or null when it has none.
   */
  public void admit(Position pos, AdmittedDocument out, PackedId dedupeId) {
    out.reset();
    documents++;
    long docTime = 0;
    boolean timeValid = true;
    if (input.hasTime()) {
      docTime = readTime(input.timePath());
      timeValid = timeOk;
    }

    // Step 2: dedupe, before event matching, even if the document then matches nothing.
    if (dedupe != null && timeValid) {
      PackedId id = dedupeId;
      if (id != null && dedupe.checkAndRecord(id, docTime)) {
        duplicates++;
        duplicatesByEvent[firstMatchingEvent(out)]++;
        return;
      }
    }

    // Step 3: match and decode every event declaration.
    boolean matchedAny = false;
    for (AdmittedDocument.Decoded d : out.byEventType) {
      EventType type = d.type;
      if (!type.when().test(view)) {
        continue;
      }
      matchedAny = true;
      String failure = decode(d, docTime, timeValid);
      if (failure == null) {
        out.applyOrder[out.eventCount++] = d;
      } else {
        malformed++;
        malformedByEvent[type.index()]++;
        out.malformed.add(new Violation(program.name(), ViolationKind.MALFORMED, type.name(),
            type.entity().name(), d.key(), pos, timeValid ? docTime : null, failure, null));
      }
    }
    if (!matchedAny) {
      ignored++;
      return;
    }
    if (out.eventCount == 0) {
      return;
    }

    // Step 4: the watermark moves to cover the document (the evaluators fire what it passes).
    if (maxEventTime == NO_WATERMARK || docTime > maxEventTime) {
      maxEventTime = docTime;
      watermark = Checked.saturatingSub(maxEventTime, input.latenessMillis());
      if (dedupe != null) {
        dedupe.advanceTo(watermark);
      }
    }
    out.producedEvent = true;
    out.watermark = watermark;
  }

  /**
   * The index of the first event declaration a duplicate matches, or the "none" slot: only to
   * label the duplicate count (duplicates are rare, so matching them again costs nothing).
   */
  private int firstMatchingEvent(AdmittedDocument out) {
    for (AdmittedDocument.Decoded d : out.byEventType) {
      if (d.type.when().test(view)) {
        return d.type.index();
      }
    }
    return duplicatesByEvent.length - 1;
  }

  /** Reads a time (epoch ms or RFC 3339) and sets {@link #timeOk}. */
  private long readTime(int path) {
    byte kind = view.kind(path);
    if (kind == JsonKind.INT) {
      timeOk = true; // any 64-bit integer, Long.MIN_VALUE included
      return view.longValue(path);
    }
    if (kind == JsonKind.STRING) {
      long t = view.timeValue(path); // Rfc3339.parse, from the bytes; never MIN_VALUE if valid
      timeOk = t != Rfc3339.INVALID;
      return t;
    }
    timeOk = false;
    return 0;
  }

  /** Decodes key, time and fields; returns null or why the document is malformed for this event. */
  private String decode(AdmittedDocument.Decoded d, long docTime, boolean timeValid) {
    EventType type = d.type;
    if (!d.packedKey.packFrom(view, type.keyPath())) {
      d.packedKey.clear();
      return view.kind(type.keyPath()) == JsonKind.MISSING
          ? "key `" + type.keyPathText() + "` is missing"
          : "key `" + type.keyPathText() + "` is not a string or an integer";
    }
    d.keyHash = spread(d.packedKey.hash);
    if (!timeValid) {
      return "event time `" + input.timePathText() + "` is missing or not a valid time";
    }
    d.time = docTime;
    for (EventField f : d.fields) {
      String failure = decodeField(d, f);
      if (failure != null) {
        return failure;
      }
    }
    return null;
  }

  /** Mixes the high bits in, so that keys differing only at the end still spread over shards. */
  private static int spread(int h) {
    h ^= h >>> 16;
    h *= 0x45d9f3b;
    return h ^ (h >>> 16);
  }

  private String decodeField(AdmittedDocument.Decoded d, EventField f) {
    int path = f.path();
    byte kind = view.kind(path);
    if (kind == JsonKind.MISSING) {
      Object def = f.defaultValue();
      if (def == null) {
        return "field `" + f.name() + "` is missing";
      }
      if (f.type().isLongSlot()) {
        d.longs[f.slot()] = (Long) def;
      } else {
        d.refs[f.slot()] = def;
      }
      return null;
    }
    switch (f.type().kind()) {
      case INT, DURATION -> {
        if (kind != JsonKind.INT) {
          return invalidField(f);
        }
        d.longs[f.slot()] = view.longValue(path);
      }
      case BOOL -> {
        if (kind != JsonKind.BOOL) {
          return invalidField(f);
        }
        d.longs[f.slot()] = view.longValue(path);
      }
      case TIME -> {
        long t = readTime(path);
        if (!timeOk) {
          return invalidField(f);
        }
        d.longs[f.slot()] = t;
      }
      case STRING -> {
        if (kind != JsonKind.STRING) {
          return invalidField(f);
        }
        d.refs[f.slot()] = sharedStrings.share(view.stringValue(path));
      }
      default -> throw new IllegalStateException("event field of type " + f.type());
    }
    return null;
  }

  private static String invalidField(EventField f) {
    return "field `" + f.name() + "` is not a valid " + f.type();
  }

  long watermark() {
    return watermark;
  }

  int rememberedIds() {
    return dedupe == null ? 0 : dedupe.size();
  }

  long evictedIds() {
    return dedupe == null ? 0 : dedupe.evicted();
  }

  long unrecordedIds() {
    return dedupe == null ? 0 : dedupe.unrecorded();
  }

  boolean dedupeExactnessLost() {
    return dedupe != null && dedupe.exactnessLost();
  }

  // ---- checkpoint hooks (io.specwatch.core.checkpoint): keep in step with the fields above ----

  /** Writes the spec-global state: event-time progress and the dedupe memory. */
  void exportState(io.specwatch.core.checkpoint.StateWriter w) {
    w.writeLong(maxEventTime);
    w.writeLong(watermark);
    w.writeBoolean(dedupe != null);
    if (dedupe != null) {
      dedupe.exportState(w);
    }
  }

  /** Restores what {@link #exportState} wrote, into an admission of the same program. */
  void importState(io.specwatch.core.checkpoint.StateReader r) {
    maxEventTime = r.readLong();
    watermark = r.readLong();
    boolean hasDedupe = r.readBoolean();
    if (hasDedupe != (dedupe != null)) {
      throw new io.specwatch.core.checkpoint.CheckpointFormatException(
          "checkpoint of spec `" + program.name() + "` does not match its dedupe declaration");
    }
    if (dedupe != null) {
      dedupe.importState(r);
    }
  }
}
