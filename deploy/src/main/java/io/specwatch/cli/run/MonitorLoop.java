package io.specwatch.cli.run;

import io.specwatch.core.DocumentPublisher;
import io.specwatch.core.Position;
import io.specwatch.core.ViolationSink;
import io.specwatch.core.engine.DedupeLimits;
import io.specwatch.core.engine.Monitor;
import io.specwatch.core.engine.RuntimeStats;
import io.specwatch.core.engine.SpecRuntime;
import io.specwatch.core.pipeline.LatencyRecorder;
import io.specwatch.core.program.Program;
import io.specwatch.alert.metrics.PipelineView;
import io.specwatch.ingest.file.FileLinePosition;
import io.specwatch.ingest.otlp.PublisherCapacity;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The daemon's engine: one thread owns a {@link Monitor} and applies documents from a bounded
 * queue, in arrival order, to every spec. Sources publish into the queue from their own threads
 * (it is the {@link DocumentPublisher} they see; a full queue is their backpressure).
 *
 * <p>Why one thread and not the Disruptor pipeline: a checkpoint and a spec swap must both
 * happen between two documents, with the state and the source positions of the same instant.
 * On the thread that owns the monitor that is free: no barrier through a ring, no pause of the
 * stages. And on this project's 2-core machine the sequential engine is the faster one today
 * (206k vs 157k lines/s, README "Performance"); the pipeline comes back here when its stages can
 * snapshot.
 *
 * <p>Work other than documents (checkpoint, reload, stop) is queued as tasks and run by the loop
 * between documents.
 *
 * <p>As a {@link PublisherCapacity} it tells the OTLP/HTTP receivers how much room the queue has,
 * so a request that does not fit whole is answered 429 before any of its documents is taken.
 */
final class MonitorLoop implements DocumentPublisher, PublisherCapacity {
  private static final Logger LOG = Logger.getLogger(MonitorLoop.class.getName());
  /** How long the loop waits for a document before it flushes sinks and looks at its tasks. */
  private static final long IDLE_POLL_MILLIS = 20;

  /** One queued document: a copy of its bytes, or a rejection reason; and when it was queued. */
  private record Item(byte[] bytes, Position position, String rejected, long queuedNanos) {}

  private static final Item WAKE = new Item(null, null, null, 0);

  private final BlockingQueue<Item> queue;
  private final ConcurrentLinkedQueue<Runnable> tasks = new ConcurrentLinkedQueue<>();
  private final int maxNestingDepth;
  private final ViolationSink sink;
  private final Runnable onIdle;
  private final LatencyRecorder latency;
  private final int capacity;
  private final Map<String, Long> positions = new LinkedHashMap<>();
  private final AtomicLong documents = new AtomicLong();
  private final AtomicLong failures = new AtomicLong();
  private final Thread thread;
  private volatile Monitor monitor;
  private volatile boolean stopping;
  private volatile boolean idle;
  private volatile long liveInstanceCap;
  private volatile DedupeLimits dedupeLimits = DedupeLimits.LIVE;

  /**
   * @param sink receives violations on the loop thread
   * @param onIdle run on the loop thread whenever the queue is empty (flush sinks, checkpoint)
   */
  MonitorLoop(Monitor monitor, Map<String, Long> restoredPositions, int capacity, int maxNestingDepth,
      ViolationSink sink, Runnable onIdle) {
    this(monitor, restoredPositions, capacity, maxNestingDepth, sink, onIdle, nanos -> { });
  }

  /**
   * @param latency receives, per document, the time from queueing it to its verdict (the
   *     end-to-end latency histogram)
   */
  MonitorLoop(Monitor monitor, Map<String, Long> restoredPositions, int capacity, int maxNestingDepth,
      ViolationSink sink, Runnable onIdle, LatencyRecorder latency) {
    this.latency = latency;
    this.capacity = capacity;
    this.monitor = monitor;
    this.positions.putAll(restoredPositions);
    this.queue = new ArrayBlockingQueue<>(capacity);
    this.maxNestingDepth = maxNestingDepth;
    this.sink = sink;
    this.onIdle = onIdle;
    this.thread = new Thread(this::run, "specwatch-monitor");
  }

  void start() {
    thread.start();
  }

  @Override
  public void publish(byte[] buf, int off, int len, Position pos) {
    try {
      queue.put(new Item(java.util.Arrays.copyOfRange(buf, off, off + len), pos, null, System.nanoTime()));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while publishing", e);
    }
  }

  @Override
  public boolean tryPublish(byte[] buf, int off, int len, Position pos) {
    return queue.offer(new Item(java.util.Arrays.copyOfRange(buf, off, off + len), pos, null, System.nanoTime()));
  }

  @Override
  public void publishRejected(Position pos, String reason) {
    try {
      queue.put(new Item(null, pos, reason, System.nanoTime()));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while publishing", e);
    }
  }

  /** Runs {@code task} on the loop thread between two documents. */
  void submit(Runnable task) {
    tasks.add(task);
    queue.offer(WAKE); // if the queue is full the loop is busy and will see the task anyway
  }

  private void run() {
    try {
      while (true) {
        runTasks();
        Item item = queue.poll(IDLE_POLL_MILLIS, TimeUnit.MILLISECONDS);
        if (item == null || item == WAKE) {
          if (queue.isEmpty()) {
            if (stopping && tasks.isEmpty()) {
              return;
            }
            idle = true;
            onIdle.run();
          }
          continue;
        }
        idle = false;
        apply(item);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (RuntimeException | Error e) {
      LOG.log(Level.SEVERE, "the monitor thread failed", e);
      throw e;
    }
  }

  private void runTasks() {
    Runnable t;
    while ((t = tasks.poll()) != null) {
      t.run();
    }
  }

  private void apply(Item item) {
    Monitor m = monitor;
    try {
      if (item.rejected != null) {
        m.reject(item.position, item.rejected, sink);
      } else {
        m.accept(item.bytes, 0, item.bytes.length, item.position, sink);
      }
    } catch (RuntimeException e) {
      // A bug, never a bad document: as check does, report, count, go on with the next one.
      if (failures.incrementAndGet() <= 10) {
        LOG.log(Level.SEVERE, "internal error on the document at " + describe(item.position)
            + "; the daemon goes on", e);
      }
    }
    latency.record(System.nanoTime() - item.queuedNanos);
    documents.incrementAndGet();
    if (item.position instanceof FileLinePosition f) {
      positions.put(f.source(), f.line());
    }
  }

  private static String describe(Position p) {
    StringBuilder sb = new StringBuilder();
    p.appendJsonMembers(sb);
    return sb.toString();
  }

  /** Loop thread only: the source positions the monitor's state is consistent with. */
  Map<String, Long> positions() {
    return new LinkedHashMap<>(positions);
  }

  /** Loop thread only: the monitor applying documents now. */
  Monitor monitor() {
    return monitor;
  }

  /** Loop thread only: replaces the monitor between two documents (a reload). */
  void swap(Monitor next) {
    monitor = next;
  }

  /**
   * Stops once every document queued so far (and every task) has been applied; waits up to
   * {@code timeoutMillis}. Sources must be stopped first.
   *
   * @return whether the loop finished in time
   */
  boolean drainAndStop(long timeoutMillis) throws InterruptedException {
    stopping = true;
    queue.offer(WAKE);
    thread.join(timeoutMillis);
    return !thread.isAlive();
  }

  /** Whether the queue was empty at the loop's last look (every published document applied). */
  boolean idle() {
    return idle && queue.isEmpty();
  }

  long documents() {
    return documents.get();
  }

  long failures() {
    return failures.get();
  }

  int backlog() {
    return queue.size();
  }

  /** Room in the queue now: what a receiver's request must fit in to be taken whole. */
  @Override
  public long freeSlots() {
    return queue.remainingCapacity();
  }

  @Override
  public long capacity() {
    return capacity;
  }

  /**
   * The loop as the alerting module's metrics see a monitor: the queue plays the ring
   * ({@code specwatch_ring_backlog}, {@code _capacity}, {@code _occupancy_ratio}), and internal
   * errors are the stage failures.
   */
  PipelineView view() {
    return new PipelineView() {
      @Override
      public List<RuntimeStats> stats() {
        return MonitorLoop.this.stats();
      }

      /** So every declared event has its malformed and duplicates series at 0 from the start. */
      @Override
      public List<Program> programs() {
        return MonitorLoop.this.programs();
      }

      @Override
      public long backlog() {
        return queue.size();
      }

      @Override
      public int ringSize() {
        return capacity;
      }

      @Override
      public long stageFailures() {
        return failures.get();
      }
    };
  }

  /** Per-spec counters; read from another thread, so approximate while documents flow. */
  List<RuntimeStats> stats() {
    List<RuntimeStats> all = new ArrayList<>();
    for (SpecRuntime rt : monitor.runtimes()) {
      all.add(rt.stats());
    }
    return all;
  }

  List<Program> programs() {
    List<Program> all = new ArrayList<>();
    for (SpecRuntime rt : monitor.runtimes()) {
      all.add(rt.program());
    }
    return all;
  }

  int maxNestingDepth() {
    return maxNestingDepth;
  }

  /** The live-instance cap per spec for monitors built by {@link #newMonitor}: 0, none. */
  void capLiveInstances(long perSpecCap) {
    this.liveInstanceCap = perSpecCap;
  }

  long liveInstanceCap() {
    return liveInstanceCap;
  }

  /** The dedupe memory's limits for monitors built by {@link #newMonitor}. */
  void limitDedupe(DedupeLimits limits) {
    this.dedupeLimits = limits;
  }

  DedupeLimits dedupeLimits() {
    return dedupeLimits;
  }

  /** A monitor for {@code programs} with this loop's limits (a reload's new monitor). */
  Monitor newMonitor(List<Program> programs) {
    return new Monitor(programs, maxNestingDepth, 0, 1, liveInstanceCap, dedupeLimits);
  }
}
