package io.specwatch.core.engine.reference;

import io.specwatch.core.Position;
import io.specwatch.core.Violation;
import io.specwatch.core.ViolationKind;
import io.specwatch.core.engine.DedupeLimits;
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
final class Admission {
  static final long NO_WATERMARK = Long.MIN_VALUE;

  private final Program program;
  private final InputSpec input;
  private final DocumentView view;
  private final DedupeMemory dedupe;
  private long maxEventTime = NO_WATERMARK;
  /** Whether the last {@link #readTime} found a valid time (every long is a valid epoch ms). */
  private boolean timeOk;
  private long watermark = NO_WATERMARK;

  long documents;
  long duplicates;
  long ignored;
  long malformed;

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
  }

  public Program program() {
    return program;
  }

  /** Step 1: a line that is not a JSON object is one malformed violation per spec. */
  public void reject(Position pos, String reason, AdmittedDocument out) {
    out.reset();
    documents++;
    malformed++;
    out.malformed.add(new Violation(program.name(), ViolationKind.MALFORMED, null, null, null, pos,
        null, reason, null));
  }

  /** Steps 2 to 4 for a document that is a JSON object, already bound to this spec's view. */
  public void admit(Position pos, AdmittedDocument out) {
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
      String id = view.keyText(input.idPath());
      if (id != null && dedupe.checkAndRecord(id, docTime)) {
        duplicates++;
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
        out.malformed.add(new Violation(program.name(), ViolationKind.MALFORMED, type.name(),
            type.entity().name(), d.key, pos, timeValid ? docTime : null, failure, null));
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

  /** Reads a time (epoch ms or RFC 3339) and sets {@link #timeOk}. */
  private long readTime(int path) {
    byte kind = view.kind(path);
    if (kind == JsonKind.INT) {
      timeOk = true; // any 64-bit integer, Long.MIN_VALUE included
      return view.longValue(path);
    }
    if (kind == JsonKind.STRING) {
      long t = Rfc3339.parse(view.stringValue(path)); // never MIN_VALUE for a valid string
      timeOk = t != Rfc3339.INVALID;
      return t;
    }
    timeOk = false;
    return 0;
  }

  /** Decodes key, time and fields; returns null or why the document is malformed for this event. */
  private String decode(AdmittedDocument.Decoded d, long docTime, boolean timeValid) {
    EventType type = d.type;
    byte keyKind = view.kind(type.keyPath());
    d.key = view.keyText(type.keyPath());
    if (d.key == null) {
      return keyKind == JsonKind.MISSING
          ? "key `" + type.keyPathText() + "` is missing"
          : "key `" + type.keyPathText() + "` is not a string or an integer";
    }
    d.keyHash = spread(d.key.hashCode());
    if (!timeValid) {
      return "event time `" + input.timePathText() + "` is missing or not a valid time";
    }
    d.time = docTime;
    for (EventField f : type.fields()) {
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
        d.refs[f.slot()] = view.stringValue(path);
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
}
