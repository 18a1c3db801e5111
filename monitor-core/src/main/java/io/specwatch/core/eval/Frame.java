package io.specwatch.core.eval;

import java.util.Arrays;
import java.util.HashSet;
import java.util.Set;

/**
 * The working memory of one event being applied to one instance: a scratch copy of the instance's
 * state (so that a fault can discard every write), the event's decoded fields, and {@code now}.
 *
 * <p>One frame per entity type is reused for every event, so applying an event allocates nothing
 * unless a set is modified. Sets are copy-on-write: committed set objects are never mutated, so a
 * snapshot of a state can share them.
 */
public final class Frame {
  public final long[] longs;
  public final Object[] refs;
  private final boolean[] ownedRef;

  public long[] eventLongs;
  public Object[] eventRefs;
  public long eventTime;
  /** The event's key as bound: a string, or text made only when {@link #eventKey()} asks. */
  private String eventKey;
  private KeyText eventKeyText;

  /**
   * An event key whose {@code String} is made on first use: most handlers never read
   * {@code e.key}, and making one per event was the pipeline's only garbage.
   */
  public interface KeyText {
    String text();
  }

  public Frame(int longSlots, int refSlots) {
    this.longs = new long[longSlots];
    this.refs = new Object[refSlots];
    this.ownedRef = new boolean[refSlots];
  }

  /** Loads an instance's committed state into the scratch slots. */
  public void load(long[] stateLongs, Object[] stateRefs) {
    System.arraycopy(stateLongs, 0, longs, 0, longs.length);
    System.arraycopy(stateRefs, 0, refs, 0, refs.length);
    Arrays.fill(ownedRef, false);
  }

  /**
   * Loads committed state kept in shared arrays: the longs from {@code tableLongs} at
   * {@code longsAt}, the references from {@code tableRefs} at {@code refsAt}.
   */
  public void load(long[] tableLongs, int longsAt, Object[] tableRefs, int refsAt) {
    System.arraycopy(tableLongs, longsAt, longs, 0, longs.length);
    System.arraycopy(tableRefs, refsAt, refs, 0, refs.length);
    Arrays.fill(ownedRef, false);
  }

  /** Copies the scratch slots back into shared arrays, at the offsets {@link #load} took. */
  public void store(long[] tableLongs, int longsAt, Object[] tableRefs, int refsAt) {
    System.arraycopy(longs, 0, tableLongs, longsAt, longs.length);
    System.arraycopy(refs, 0, tableRefs, refsAt, refs.length);
  }

  /**
   * Copies the scratch slots back into an instance's committed state. The sets this event copied
   * become committed values; the next {@link #load} forgets that this frame owned them.
   */
  public void store(long[] stateLongs, Object[] stateRefs) {
    System.arraycopy(longs, 0, stateLongs, 0, longs.length);
    System.arraycopy(refs, 0, stateRefs, 0, refs.length);
  }

  public void bindEvent(long[] fieldLongs, Object[] fieldRefs, long time, String key) {
    this.eventLongs = fieldLongs;
    this.eventRefs = fieldRefs;
    this.eventTime = time;
    this.eventKey = key;
    this.eventKeyText = null;
  }

  /**
   * Like {@link #bindEvent(long[], Object[], long, String)}, the key made only if read. Like the
   * field arrays, {@code key} is a buffer the decoder reuses: read it only while applying the
   * bound event.
   */
  public void bindEvent(long[] fieldLongs, Object[] fieldRefs, long time, KeyText key) {
    this.eventLongs = fieldLongs;
    this.eventRefs = fieldRefs;
    this.eventTime = time;
    this.eventKey = null;
    this.eventKeyText = key;
  }

  /** The bound event's key ({@code e.key}). */
  public String eventKey() {
    return eventKeyText != null ? eventKeyText.text() : eventKey;
  }

  /** The set in {@code slot}, copied first if this event has not yet modified it. */
  @SuppressWarnings("unchecked")
  public <T> Set<T> mutableSet(int slot) {
    if (!ownedRef[slot]) {
      refs[slot] = new HashSet<>((Set<T>) refs[slot]);
      ownedRef[slot] = true;
    }
    return (Set<T>) refs[slot];
  }
}
