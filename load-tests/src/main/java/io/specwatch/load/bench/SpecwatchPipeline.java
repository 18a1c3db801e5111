package io.specwatch.load.bench;

import io.specwatch.core.pipeline.Pipeline;
import io.specwatch.core.pipeline.PipelineConfig;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;

/**
 * specwatch's live pipeline from JSON bytes: the runner's thread publishes each line (the
 * "source"), the pipeline's decode and evaluator threads do the rest. Throughput counts until the
 * last verdict ({@link #finish} drains the ring). Latency is the pipeline's own publish-to-verdict
 * time, recorded by evaluator shard 0 into an HdrHistogram {@link Recorder}.
 *
 * <p>At the end of each pass it prints each thread's CPU time against the wall clock (the
 * publisher, i.e. the runner's thread, and each stage thread): a stage near 100 % is the
 * bottleneck, and the sum over 200 % says the threads were taking turns on 2 cores.
 */
public final class SpecwatchPipeline implements Engine {
  private final LineBatch lines;
  private final Pipeline pipeline;
  private final Recorder latency = new Recorder(3);
  private final Set<String> verdicts = ConcurrentHashMap.newKeySet();
  private final List<Thread> stageThreads = new ArrayList<>();
  private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();
  private long publisherCpu0 = -1;
  private long published;
  private long wall0;

  public SpecwatchPipeline(PaymentsWorkload w, PipelineConfig config) throws Exception {
    this.lines = new LineBatch(w.file);
    this.pipeline = new Pipeline(List.of(Specwatch.program()), config,
        Specwatch.collectInto(verdicts), latency::recordValue, this::stageThread);
  }

  /** Stage threads, numbered in the order the pipeline makes them (decode, if any, first). */
  private synchronized Thread stageThread(Runnable r) {
    Thread t = new Thread(r, "specwatch-stage-" + stageThreads.size());
    t.setDaemon(true);
    stageThreads.add(t);
    return t;
  }

  public static Factory factory(PipelineConfig config) {
    return new Factory() {
      @Override
      public String name() {
        return "specwatch pipeline, JSON bytes (" + config.evaluators() + " evaluator"
            + (config.evaluators() == 1 ? "" : "s") + ", " + config.waitStrategy().name().toLowerCase()
            + ", decode " + config.effectiveDecode().name().toLowerCase(Locale.ROOT).replace('_', ' ')
            + (config.ringSize() == PipelineConfig.defaults().ringSize() ? ""
                : ", ring " + config.ringSize()) + ")";
      }

      @Override
      public Engine create(PaymentsWorkload w) throws Exception {
        return new SpecwatchPipeline(w, config);
      }
    };
  }

  @Override
  public void prepare(int from, int to) throws Exception {
    if (publisherCpu0 < 0) {
      publisherCpu0 = THREADS.getCurrentThreadCpuTime();
      wall0 = System.nanoTime();
    }
    lines.load(from, to);
  }

  @Override
  public void process(int i) {
    pipeline.publish(lines.bytes(), lines.off(i), lines.len(i), Specwatch.position(i));
    published++;
  }

  /** Drains: throughput is measured to the last verdict. */
  @Override
  public void finish() throws Exception {
    // Read the threads' CPU times once everything is evaluated but before close ends the threads
    // (a finished thread has no CPU time to read).
    long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(10);
    while (pipeline.backlog() > 0 && System.nanoTime() < deadline) {
      java.util.concurrent.locks.LockSupport.parkNanos(100_000);
    }
    printThreadTimes();
    pipeline.close(false, 10, TimeUnit.MINUTES);
    lines.close();
    if (pipeline.stageFailures() > 0) {
      throw new IllegalStateException(pipeline.stageFailures() + " documents failed in the pipeline");
    }
  }

  /** CPU time of the publisher and of each stage thread over the pass, against the wall clock. */
  private void printThreadTimes() {
    double wall = (System.nanoTime() - wall0) / 1e9;
    StringBuilder sb = new StringBuilder(String.format(Locale.ROOT,
        "threads (decode %s): wall %.2f s, %,d events; CPU %% of wall (ns per event): publisher"
        + " %.0f %% (%.0f)", pipeline.decodeMode(), wall, published,
        100 * (THREADS.getCurrentThreadCpuTime() - publisherCpu0) / 1e9 / wall,
        (THREADS.getCurrentThreadCpuTime() - publisherCpu0) / (double) Math.max(1, published)));
    for (Thread t : stageThreads) {
      long cpu = THREADS.getThreadCpuTime(t.getId());
      sb.append(String.format(Locale.ROOT, ", %s %.0f %% (%.0f)", t.getName(),
          cpu < 0 ? Double.NaN : 100 * cpu / 1e9 / wall, cpu / (double) Math.max(1, published)));
    }
    long[][] busy = pipeline.evaluatorBusyNanosAndBatches();
    for (int i = 0; i < busy.length; i++) {
      if (busy[i][1] > 0) {
        sb.append(String.format(Locale.ROOT, "; evaluator %d busy %.0f %% of the wall clock in %,d"
            + " batches", i, 100 * busy[i][0] / 1e9 / wall, busy[i][1]));
      }
    }
    System.out.println(sb);
  }

  @Override
  public boolean timesWallClock() {
    return true;
  }

  /** Publish-to-verdict latencies (ns) of the documents evaluated so far. */
  @Override
  public Histogram ownLatency() {
    return latency.getIntervalHistogram();
  }

  @Override
  public Set<String> verdicts() {
    return verdicts;
  }

  @Override
  public long liveInstances() {
    return pipeline.stats().get(0).liveInstances;
  }
}
