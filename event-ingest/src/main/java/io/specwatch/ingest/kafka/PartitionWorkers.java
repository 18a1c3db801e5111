package io.specwatch.ingest.kafka;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Collection;
import java.util.List;
import java.util.function.Consumer;
import java.util.function.IntFunction;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.KafkaException;

/**
 * The apply threads of one member: each assigned partition is applied by one of them (so its
 * records stay in offset order), and different partitions' records are applied at the same time,
 * on as many cores as there are threads, while the member's own thread polls the next batch.
 * Partitions' runtimes are independent, which is what makes this safe: no two threads ever touch
 * one runtime.
 *
 * <p>The member's thread does everything else (commit, restore, hand-over, reloads, the idle
 * watermark, the split-instance scan) only after {@link #awaitIdle()}: at that point every record
 * handed over has been applied, so the cut a transaction commits is exact, as with one thread.
 * A failure on an apply thread is rethrown there, and the member is rebuilt from its last commit.
 */
final class PartitionWorkers implements AutoCloseable {
  private final Worker[] workers;
  /** Tasks handed over and not finished; guarded by {@code this}. */
  private int pending;
  /** The first failure of an apply thread since the last {@link #awaitIdle()}; guarded by this. */
  private RuntimeException failure;
  private boolean closed;

  /**
   * @param threads how many apply threads (at least 1)
   * @param appliers one applier per thread, by index
   */
  PartitionWorkers(int threads, IntFunction<RecordApplier> appliers, String name) {
    workers = new Worker[Math.max(1, threads)];
    for (int i = 0; i < workers.length; i++) {
      workers[i] = new Worker(appliers.apply(i), name + "-apply-" + i);
      workers[i].thread.start();
    }
  }

  int threads() {
    return workers.length;
  }

  /**
   * The apply thread for a newly assigned partition: the one with the fewest of {@code owned},
   * so that a member's partitions spread over its threads.
   */
  int leastLoaded(Collection<PartitionRuntime> owned) {
    int[] load = new int[workers.length];
    for (PartitionRuntime rt : owned) {
      load[rt.worker]++;
    }
    int best = 0;
    for (int i = 1; i < load.length; i++) {
      if (load[i] < load[best]) {
        best = i;
      }
    }
    return best;
  }

  /** Hands {@code records} (one partition's, in offset order) to the partition's apply thread. */
  void submit(PartitionRuntime rt, List<ConsumerRecord<byte[], byte[]>> records) {
    synchronized (this) {
      if (closed) {
        throw new IllegalStateException("apply threads closed");
      }
      pending++;
    }
    workers[rt.worker].add(new Task(rt, records));
  }

  /**
   * Waits until every record handed over is applied; rethrows an apply thread's failure. After
   * it returns, and until the next {@link #submit}, the member's thread may read and change every
   * runtime and every applier (the monitor's lock gives the happens-before edge).
   */
  synchronized void awaitIdle() {
    boolean interrupted = false;
    while (pending > 0) {
      try {
        wait();
      } catch (InterruptedException e) {
        interrupted = true; // finish the wait: a cut must not be taken mid-batch
      }
    }
    if (interrupted) {
      Thread.currentThread().interrupt();
    }
    RuntimeException f = failure;
    failure = null;
    if (f != null) {
      throw new KafkaException("applying records failed: " + f, f);
    }
  }

  /** Every applier, for the member's thread; call only after {@link #awaitIdle()}. */
  void forEachApplier(Consumer<RecordApplier> action) {
    for (Worker w : workers) {
      action.accept(w.applier);
    }
  }

  private synchronized void finished(RuntimeException e) {
    if (e != null && failure == null) {
      failure = e;
    }
    pending--;
    if (pending == 0) {
      notifyAll();
    }
  }

  /**
   * Stops the apply threads after the tasks in hand (the member is being stopped or torn down),
   * waiting at most 10 s for each; what they applied and raised is abandoned with the member.
   */
  @Override
  public void close() {
    synchronized (this) {
      closed = true;
    }
    for (Worker w : workers) {
      w.add(Task.STOP);
    }
    for (Worker w : workers) {
      try {
        w.thread.join(Duration.ofSeconds(10).toMillis());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
    }
  }

  /** One partition's records to apply, or {@link #STOP}. */
  private record Task(PartitionRuntime rt, List<ConsumerRecord<byte[], byte[]>> records) {
    static final Task STOP = new Task(null, null);
  }

  private final class Worker {
    final RecordApplier applier;
    final Thread thread;
    private final ArrayDeque<Task> queue = new ArrayDeque<>();

    Worker(RecordApplier applier, String name) {
      this.applier = applier;
      this.thread = new Thread(this::run, name);
      thread.setDaemon(true); // never keeps a JVM alive whose member was abandoned
    }

    synchronized void add(Task t) {
      queue.add(t);
      notifyAll();
    }

    private synchronized Task take() throws InterruptedException {
      while (queue.isEmpty()) {
        wait();
      }
      return queue.poll();
    }

    private void run() {
      while (true) {
        Task t;
        try {
          t = take();
        } catch (InterruptedException e) {
          return;
        }
        if (t == Task.STOP) {
          return;
        }
        RuntimeException failed = null;
        try {
          applier.apply(t.rt(), t.records());
        } catch (RuntimeException e) {
          failed = e;
        } catch (Error e) {
          // Not rethrown: a dead thread would leave its queued tasks unfinished and awaitIdle
          // waiting for ever. The member rethrows it from awaitIdle and rebuilds itself from its
          // last commit, closing these threads.
          failed = new IllegalStateException(e.toString(), e);
        }
        finished(failed);
      }
    }
  }
}
