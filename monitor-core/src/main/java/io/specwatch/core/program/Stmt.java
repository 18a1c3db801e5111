package io.specwatch.core.program;

import io.specwatch.core.eval.Frame;

/** A handler statement; it writes the frame's scratch state. Node classes are in {@link Stmts}. */
public abstract class Stmt {
  public abstract void exec(Frame f);

  /** Runs a block in order: later statements see earlier writes. */
  public static void execAll(Stmt[] block, Frame f) {
    for (Stmt s : block) {
      s.exec(f);
    }
  }
}
