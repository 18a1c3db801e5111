package io.specwatch.core.checkpoint;

/**
 * The one narrow interface through which the engine exports its state for a checkpoint. The
 * engine's classes write their own fields through it (see the methods marked "checkpoint hook"
 * in {@code io.specwatch.core.engine}); they never see the byte format, so the evaluator's
 * internals can change freely as long as the round trip still reproduces the same violations.
 */
public interface StateWriter {
  void writeLong(long v);

  void writeInt(int v);

  void writeBoolean(boolean v);

  /** A string, possibly null. */
  void writeString(String s);

  /**
   * A state-variable reference value: null, a {@code String}, a set of {@code Long} or a set of
   * {@code String} (the kinds that live in an instance's {@code refs}).
   */
  void writeRef(Object ref);
}
