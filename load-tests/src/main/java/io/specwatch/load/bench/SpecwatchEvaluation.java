package io.specwatch.load.bench;

import io.specwatch.core.LinePosition;
import io.specwatch.core.ViolationSink;
import io.specwatch.core.engine.Admission;
import io.specwatch.core.engine.AdmittedDocument;
import io.specwatch.core.engine.Evaluator;
import io.specwatch.core.engine.RuntimeStats;
import io.specwatch.core.engine.SpecInputs;
import io.specwatch.core.json.DocumentDecoder;
import io.specwatch.core.program.Program;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * specwatch's evaluation of decoded events, one thread: the JSON lines of each batch are parsed
 * and admitted ({@link SpecInputs}, {@link Admission}) outside the timed region, and only
 * {@link Evaluator#onDocument} (deadlines, handlers, invariants, arming) is timed. This is the
 * figure to put next to the hand-written baselines and the peers, which also get decoded events.
 */
public final class SpecwatchEvaluation implements Engine {
  private final LineBatch lines;
  private final SpecInputs inputs;
  private final Admission admission;
  private final Evaluator evaluator;
  private final Program program;
  private AdmittedDocument[] batch = new AdmittedDocument[0];
  private LinePosition[] positions = new LinePosition[0];
  private int from;
  private int count;
  /**
   * Documents are handed to {@link Evaluator#prefetch} {@link #AHEAD} documents before their
   * evaluation, a group at a time, as the pipeline's evaluate stage does with a ring batch
   * (group 0: never); the misses of a group overlap. {@code -Dspecwatch.prefetch.group=N} and
   * {@code -Dspecwatch.prefetch.ahead=N} to compare.
   */
  static final int DEFAULT_PREFETCH_GROUP = Integer.getInteger("specwatch.prefetch.group", 4);
  static final int AHEAD = Integer.getInteger("specwatch.prefetch.ahead", 32);
  private final int prefetchGroup;
  private final Set<String> verdicts = new HashSet<>();
  private final ViolationSink sink = Specwatch.collectInto(verdicts);

  public SpecwatchEvaluation(PaymentsWorkload w) throws Exception {
    this(w, DEFAULT_PREFETCH_GROUP);
  }

  /** An evaluation that prefetches groups of {@code prefetchGroup} documents (0: never). */
  public SpecwatchEvaluation(PaymentsWorkload w, int prefetchGroup) throws Exception {
    this.prefetchGroup = prefetchGroup;
    this.program = Specwatch.program();
    this.lines = new LineBatch(w.file);
    this.inputs = new SpecInputs(List.of(program), DocumentDecoder.DEFAULT_MAX_DEPTH);
    this.admission = new Admission(program, inputs.view(0));
    this.evaluator = new Evaluator(program, 0, 1);
  }

  public static Factory factory() {
    return new Factory() {
      @Override
      public String name() {
        return "specwatch, evaluation of decoded events";
      }

      @Override
      public Engine create(PaymentsWorkload w) throws Exception {
        return new SpecwatchEvaluation(w);
      }
    };
  }

  @Override
  public void prepare(int from, int to) throws Exception {
    lines.load(from, to);
    int n = to - from;
    if (batch.length < n) {
      AdmittedDocument[] grown = new AdmittedDocument[n];
      System.arraycopy(batch, 0, grown, 0, batch.length);
      for (int i = batch.length; i < n; i++) {
        grown[i] = new AdmittedDocument(program);
      }
      batch = grown;
      positions = new LinePosition[n];
    }
    this.from = from;
    this.count = to - from;
    for (int i = from; i < to; i++) {
      LinePosition pos = Specwatch.position(i);
      positions[i - from] = pos;
      String reason = inputs.decode(lines.bytes(), lines.off(i), lines.len(i));
      if (reason != null) {
        admission.reject(pos, reason, batch[i - from]);
      } else {
        admission.admit(pos, batch[i - from]);
      }
    }
  }

  @Override
  public void process(int i) {
    int at = i - from;
    if (prefetchGroup > 0 && at % prefetchGroup == 0) {
      int first = at == 0 ? 0 : at + AHEAD; // a batch's first documents too
      for (int j = first; j < Math.min(count, at + AHEAD + prefetchGroup); j++) {
        evaluator.prefetch(batch[j]);
      }
    }
    evaluator.onDocument(batch[at], positions[at], sink);
  }

  @Override
  public void finish() throws Exception {
    lines.close();
  }

  @Override
  public Set<String> verdicts() {
    return verdicts;
  }

  @Override
  public long liveInstances() {
    RuntimeStats s = RuntimeStats.of(admission, List.of(evaluator));
    return s.liveInstances;
  }
}
