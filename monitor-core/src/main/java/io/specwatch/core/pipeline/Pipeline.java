package io.specwatch.core.pipeline;

import com.lmax.disruptor.BlockingWaitStrategy;
import com.lmax.disruptor.EventHandler;
import com.lmax.disruptor.ExceptionHandler;
import com.lmax.disruptor.RingBuffer;
import com.lmax.disruptor.SleepingWaitStrategy;
import com.lmax.disruptor.WaitStrategy;
import com.lmax.disruptor.YieldingWaitStrategy;
import com.lmax.disruptor.dsl.Disruptor;
import com.lmax.disruptor.dsl.ProducerType;
import io.specwatch.core.DocumentBatch;
import io.specwatch.core.DocumentPublisher;
import io.specwatch.core.Position;
import io.specwatch.core.Violation;
import io.specwatch.core.ViolationSink;
import io.specwatch.core.engine.Evaluator;
import io.specwatch.core.engine.RuntimeStats;
import io.specwatch.core.program.Program;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.locks.LockSupport;
import java.util.concurrent.atomic.AtomicLong;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The live pipeline: sources publish raw documents with their positions into a Disruptor ring;
 * one decode stage parses each document once and admits it to every spec; N evaluate stages, each
 * owning the instances of one shard of entity keys, fire deadlines and apply events; violations go
 * to the sinks (normally {@link SinkQueue}s, so a slow sink never stalls evaluation).
 *
 * <pre>
 *   source ─┐                      ┌─> evaluate shard 0 ─┐
 *   source ─┼─> ring ─> decode ─┬──┼─> evaluate shard 1 ─┼─> sink queues ─> sinks
 *   source ─┘                   └──┴─> ...              ─┘
 * </pre>
 *
 * <p>Every evaluator sees every slot, because each fires its own deadlines at the documents that
 * move the watermark; each applies only the events of its keys. With one evaluator the violations
 * come out in exactly {@code specwatch check}'s order; with several, the same violations in an
 * order that differs only between shards.
 *
 * <p>Where documents are decoded is {@link PipelineConfig.DecodeMode}: on a decode thread of its
 * own behind the ring (above), or, when the machine has fewer cores than busy threads (two
 * cores: a source, a decoder and an evaluator) and one thread does all the publishing
 * ({@link PipelineConfig#singleSource()}), on the publishing thread, which then admits the
 * document straight into its ring slot ({@link DecodingIntake}): the ring carries admitted
 * documents, and no lock is taken. The verdicts are the same.
 *
 * <p>When the ring is full, {@link #publish} blocks: backpressure reaches the sources.
 * {@link #close} drains everything published so far, then (optionally) fires the deadlines still
 * armed, then closes nothing it did not create: the caller closes its sink queues afterwards.
 */
public final class Pipeline implements DocumentPublisher, AutoCloseable {
  private static final Logger LOG = Logger.getLogger(Pipeline.class.getName());

  /**
   * How many bytes of large documents (over {@link RingSlot#MAX_RETAINED_BYTES}) may wait in the
   * ring for the decode stage. Without it the ring could hold its size times the document limit,
   * since reading is much faster than parsing (16K slots of 1 MiB: 16 GiB). Small documents need
   * no budget: their slots hold at most ring size times MAX_RETAINED_BYTES (4 MiB for the default
   * 1K slots). Decoding on publish, nothing waits undecoded and the budget is never drawn on.
   */
  public static final long MAX_LARGE_BYTES_IN_FLIGHT = 64L << 20;

  private final List<Program> programs;
  private final Disruptor<RingSlot> disruptor;
  private final RingBuffer<RingSlot> ring;
  private final DecodeStage decode;
  private final List<EvaluateStage> evaluate = new ArrayList<>();
  private final ViolationSink out;
  private final StageFailures stageFailures = new StageFailures();
  /** Bytes of large documents published and not yet decoded (see {@link #publish}). */
  private final AtomicLong largeBytesInFlight = new AtomicLong();
  private final PipelineConfig.DecodeMode decodeMode;
  private final Intake intake;
  private boolean closed;

  /**
   * Builds and starts a pipeline.
   *
   * @param out receives violations from the evaluator threads (several at once when there are
   *     several evaluators: it must be thread-safe, as {@link SinkQueue} and {@link #fanOut} are)
   * @param latency publish-to-verdict latency recorder, or null
   */
  public Pipeline(List<Program> programs, PipelineConfig config, ViolationSink out,
      LatencyRecorder latency) {
    this(programs, config, out, latency, Pipeline::daemonThread);
  }

  /** As above, with the threads of the stages made by {@code threads} (for embedding and tests). */
  public Pipeline(List<Program> programs, PipelineConfig config, ViolationSink out,
      LatencyRecorder latency, ThreadFactory threads) {
    this.programs = List.copyOf(programs);
    this.out = out;
    this.decodeMode = config.effectiveDecode();
    boolean decodeOnPublish = decodeMode == PipelineConfig.DecodeMode.ON_PUBLISH;
    // Decoding on publish, only DecodingIntake's one publishing thread claims slots.
    this.disruptor = new Disruptor<>(() -> new RingSlot(this.programs), config.ringSize(),
        threads, decodeOnPublish ? ProducerType.SINGLE : ProducerType.MULTI,
        waitStrategy(config.waitStrategy()));
    this.decode = new DecodeStage(this.programs, config.maxNestingDepth(),
        config.dedupeLimits(), largeBytesInFlight);
    @SuppressWarnings("unchecked")
    EventHandler<RingSlot>[] evaluators = new EventHandler[config.evaluators()];
    for (int i = 0; i < evaluators.length; i++) {
      EvaluateStage stage = new EvaluateStage(this.programs, i, evaluators.length,
          config.maxLiveInstancesPerEvaluator(), out, latency, disruptor.getRingBuffer());
      evaluate.add(stage);
      evaluators[i] = stage;
    }
    disruptor.setDefaultExceptionHandler(new StageExceptionHandler());
    if (decodeOnPublish) {
      disruptor.handleEventsWith(evaluators);
    } else {
      disruptor.handleEventsWith(decode).then(evaluators);
    }
    this.ring = disruptor.start();
    boolean timed = latency != null;
    this.intake = decodeOnPublish ? new DecodingIntake(ring, decode, stageFailures, timed)
        : new CopyingIntake(ring, largeBytesInFlight, timed);
  }

  private static Thread daemonThread(Runnable r) {
    Thread t = new Thread(r, "specwatch-pipeline");
    t.setDaemon(true);
    return t;
  }

  private static WaitStrategy waitStrategy(PipelineConfig.WaitStrategyKind kind) {
    return switch (kind) {
      case BLOCKING -> new BlockingWaitStrategy();
      case SLEEPING -> new SleepingWaitStrategy();
      case YIELDING -> new YieldingWaitStrategy();
    };
  }

  /**
   * A sink that hands each violation, and each "invariant holds again" signal, to several sinks
   * (e.g. one queue per destination).
   */
  public static ViolationSink fanOut(List<? extends ViolationSink> sinks) {
    ViolationSink[] all = sinks.toArray(new ViolationSink[0]);
    return new ViolationSink() {
      @Override
      public void accept(Violation v) {
        for (ViolationSink s : all) {
          s.accept(v);
        }
      }

      @Override
      public void invariantHolds(String spec, String rule, String entity, String key,
          Position pos, long time) {
        for (ViolationSink s : all) {
          s.invariantHolds(spec, rule, entity, key, pos, time);
        }
      }
    };
  }

  /**
   * Publishes one document: {@code len} bytes of {@code buf} from {@code off}, which the caller
   * may reuse as soon as this returns (they were copied into the ring or already decoded). Blocks
   * while the ring is full, or, with a decode stage, while large documents waiting to be decoded
   * hold {@link #MAX_LARGE_BYTES_IN_FLIGHT} bytes (one always gets through). Thread-safe, unless
   * documents are decoded on publish: then only the one publishing thread may call it.
   */
  @Override
  public void publish(byte[] buf, int off, int len, Position pos) {
    intake.publish(buf, off, len, pos);
  }

  /**
   * Publishes the batch's documents in order, as {@link #publish} does one by one; their bytes
   * must stay unchanged until this returns. When documents are decoded on publish, the publishing
   * thread reads a few documents ahead (see DecodingIntake), so a source that holds several
   * documents in stable buffers should hand them over this way.
   */
  @Override
  public void publishAll(DocumentBatch batch) {
    intake.publishAll(batch);
  }

  /**
   * As {@link #publish}, but returns false at once instead of waiting for the stages when the
   * ring is full or the large-document budget is spent. Thread-safe as {@link #publish} is.
   */
  @Override
  public boolean tryPublish(byte[] buf, int off, int len, Position pos) {
    return intake.tryPublish(buf, off, len, pos);
  }

  /** Bytes of large documents published and not yet decoded; at most the budget plus one. */
  public long largeBytesInFlight() {
    return largeBytesInFlight.get();
  }

  /** Where documents are decoded: {@link PipelineConfig#effectiveDecode()} when built. */
  public PipelineConfig.DecodeMode decodeMode() {
    return decodeMode;
  }

  /** Publishes a document that cannot be parsed at all (e.g. over the size limit), with why. */
  @Override
  public void publishRejected(Position pos, String reason) {
    intake.publishRejected(pos, reason);
  }

  /** Slots published (or being filled) but not yet fully evaluated. */
  public long backlog() {
    // The cursor is the last claimed (multi-producer) or published (single) sequence; unlike
    // remainingCapacity() it is safe to read from any thread in both modes.
    return Math.max(0, ring.getCursor() - ring.getMinimumGatingSequence());
  }

  public int ringSize() {
    return ring.getBufferSize();
  }

  /**
   * Stops taking documents: waits until everything published has been evaluated, then, if asked,
   * fires every deadline still armed (as {@code check --flush} does). Publishing after close is a
   * programming error.
   */
  public void close(boolean fireArmedDeadlines, long timeout, TimeUnit unit) throws TimeoutException {
    if (closed) {
      return;
    }
    closed = true;
    // Disruptor.shutdown() only waits for processors that are already running: under load a
    // stage thread may not have started yet, and shutdown would halt it with its work undone.
    // So wait for the last stages (the ring's gating sequences) to reach what was published.
    // The cursor is the last sequence published (one publisher) or claimed (several: a claimed
    // slot is always published, so waiting for the stages to reach it waits for that too).
    long published = ring.getCursor();
    long deadline = System.nanoTime() + unit.toNanos(timeout);
    while (ring.getMinimumGatingSequence() < published) {
      if (System.nanoTime() > deadline) {
        throw new TimeoutException("the pipeline did not drain within " + timeout + " " + unit);
      }
      LockSupport.parkNanos(50_000);
    }
    disruptor.halt();
    if (fireArmedDeadlines) {
      // The stage threads are halted and their sequences were read after their last write,
      // so their evaluators are safe to use from here.
      for (int s = 0; s < programs.size(); s++) {
        for (EvaluateStage stage : evaluate) {
          stage.evaluator(s).flush(out);
        }
      }
    }
  }

  @Override
  public void close() throws TimeoutException {
    close(false, 1, TimeUnit.MINUTES);
  }

  /** Per-spec counters; exact once the pipeline is closed, approximate while it runs. */
  public List<RuntimeStats> stats() {
    List<RuntimeStats> all = new ArrayList<>();
    for (int s = 0; s < programs.size(); s++) {
      List<Evaluator> shards = new ArrayList<>();
      for (EvaluateStage stage : evaluate) {
        shards.add(stage.evaluator(s));
      }
      all.add(RuntimeStats.of(decode.admission(s), shards));
    }
    return all;
  }

  /**
   * Per evaluator: nanoseconds busy and batches (wake-ups after waiting) so far, when the JVM runs
   * with {@code -Dspecwatch.pipeline.stageTimes=true} (for diagnosis); zeros otherwise.
   */
  public long[][] evaluatorBusyNanosAndBatches() {
    long[][] all = new long[evaluate.size()][];
    for (int i = 0; i < all.length; i++) {
      all[i] = new long[] {evaluate.get(i).busyNanos(), evaluate.get(i).batches()};
    }
    return all;
  }

  public List<Program> programs() {
    return programs;
  }

  /** Documents whose processing threw (a bug, never a bad document): logged, counted, skipped. */
  public long stageFailures() {
    return stageFailures.count();
  }

  /** Logs and counts an unexpected exception, and lets the stage go on with the next slot. */
  private final class StageExceptionHandler implements ExceptionHandler<RingSlot> {
    @Override
    public void handleEventException(Throwable ex, long sequence, RingSlot slot) {
      stageFailures.record(ex, slot == null ? null : slot.position, sequence);
    }

    @Override
    public void handleOnStartException(Throwable ex) {
      LOG.log(Level.SEVERE, "a pipeline stage failed to start", ex);
    }

    @Override
    public void handleOnShutdownException(Throwable ex) {
      LOG.log(Level.SEVERE, "a pipeline stage failed to shut down", ex);
    }
  }
}
