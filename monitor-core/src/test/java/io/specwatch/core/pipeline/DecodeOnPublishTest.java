package io.specwatch.core.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.specwatch.core.LinePosition;
import io.specwatch.core.Position;
import io.specwatch.core.Violation;
import io.specwatch.core.ViolationSink;
import io.specwatch.core.json.DocumentView;
import io.specwatch.core.program.Predicate;
import io.specwatch.core.program.Program;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The pipeline's promises in both decode modes, and in particular with the publishing thread
 * decoding ({@link PipelineConfig.DecodeMode#ON_PUBLISH}): several sources at once (decoding on
 * a thread of its own) or exactly one (decoding on publish, lock-free: a second is refused),
 * backpressure, a non-blocking {@code tryPublish}, a draining close, and a stage failure that is
 * counted and skipped. The spec is the one of {@link PipelineMemoryTest}: every {@code {"type":"t"}} document
 * without an {@code id} is exactly one malformed violation at its position, so violations name
 * the documents that went through, in the order the evaluator saw them.
 */
class DecodeOnPublishTest {
  private static final Predicate ANY_DOCUMENT = new Predicate() {
    @Override
    public boolean test(DocumentView doc) {
      return true;
    }
  };

  private static byte[] doc(String text) {
    return text.getBytes(StandardCharsets.UTF_8);
  }

  @Test
  void autoDecodesOnPublishForOneSourceWhenTheStagesWouldOutnumberTheCores() {
    assertEquals(PipelineConfig.DecodeMode.ON_PUBLISH,
        PipelineConfig.DecodeMode.AUTO.resolve(1, 2, true));
    assertEquals(PipelineConfig.DecodeMode.ON_PUBLISH,
        PipelineConfig.DecodeMode.AUTO.resolve(2, 3, true));
    assertEquals(PipelineConfig.DecodeMode.OWN_THREAD,
        PipelineConfig.DecodeMode.AUTO.resolve(1, 4, true));
    // Several sources never decode on publish unless told to: it takes no lock.
    assertEquals(PipelineConfig.DecodeMode.OWN_THREAD,
        PipelineConfig.DecodeMode.AUTO.resolve(1, 2, false));
    assertEquals(PipelineConfig.DecodeMode.OWN_THREAD,
        PipelineConfig.DecodeMode.OWN_THREAD.resolve(8, 2, true));
    assertEquals(PipelineConfig.DecodeMode.AUTO, PipelineConfig.defaults().decode());
    assertFalse(PipelineConfig.defaults().singleSource());
    PipelineConfig one = PipelineConfig.defaults().withSingleSource().withEvaluators(2)
        .withRingSize(8).withMaxLiveInstances(5).withDecode(PipelineConfig.DecodeMode.OWN_THREAD);
    assertTrue(one.singleSource(), "every with-method keeps singleSource");
    assertEquals(2, one.evaluators());
    assertEquals(8, one.ringSize());
    assertEquals(5, one.maxLiveInstances());
  }

  /**
   * Decoding on publish takes no lock, so a second publishing thread is refused at once, with a
   * message that says what to do, and nothing it offered is admitted; the owner goes on.
   */
  @Test
  void decodingOnPublishRefusesASecondPublishingThread() throws Exception {
    List<Violation> violations = new ArrayList<>();
    Pipeline pipeline = new Pipeline(List.of(PipelineMemoryTest.program(ANY_DOCUMENT)),
        PipelineConfig.defaults().withDecode(PipelineConfig.DecodeMode.ON_PUBLISH),
        PipelineMemoryTest.collecting(violations), null);
    byte[] d = doc("{\"type\":\"t\"}");
    pipeline.publish(d, 0, d.length, new LinePosition(1));
    AtomicReference<Throwable> refused = new AtomicReference<>();
    Thread other = new Thread(() -> {
      try {
        pipeline.publish(d, 0, d.length, new LinePosition(2));
      } catch (Throwable e) {
        refused.set(e);
      }
      try {
        pipeline.tryPublish(d, 0, d.length, new LinePosition(3));
      } catch (IllegalStateException e) {
        refused.compareAndSet(null, e); // the first refusal is the one checked below
        return;
      }
      refused.set(new AssertionError("tryPublish from a second thread was accepted"));
    }, "second-source");
    other.start();
    other.join(TimeUnit.MINUTES.toMillis(1));
    assertTrue(refused.get() instanceof IllegalStateException, String.valueOf(refused.get()));
    assertTrue(refused.get().getMessage().contains("OWN_THREAD"), refused.get().getMessage());
    pipeline.publishRejected(new LinePosition(4), "too long");
    pipeline.close(false, 1, TimeUnit.MINUTES);
    List<Position> seen = new ArrayList<>();
    for (Violation v : violations) {
      seen.add(v.position());
    }
    assertEquals(List.of(new LinePosition(1), new LinePosition(4)), seen);
  }

  /**
   * Four sources publish at once through a ring of 8 slots (so they wrap it hundreds of times and
   * wait for room): every document is evaluated exactly once, each source's documents in the
   * order it published them, and close drains them all. Several sources decode on a thread of
   * their own: that is what AUTO gives a pipeline not declared single-source.
   */
  @Test
  void severalSourcesPublishAtOnce() throws Exception {
    List<Violation> violations = new ArrayList<>();
    PipelineConfig config = PipelineConfig.defaults().withRingSize(8);
    assertEquals(PipelineConfig.DecodeMode.OWN_THREAD, config.effectiveDecode());
    Pipeline pipeline = new Pipeline(List.of(PipelineMemoryTest.program(ANY_DOCUMENT)), config,
        PipelineMemoryTest.collecting(violations), null);
    int sources = 4;
    int perSource = 2000;
    List<Thread> threads = new ArrayList<>();
    AtomicReference<Throwable> failure = new AtomicReference<>();
    CountDownLatch start = new CountDownLatch(1);
    for (int t = 0; t < sources; t++) {
      int source = t;
      Thread th = new Thread(() -> {
        try {
          start.await();
          byte[] buf = new byte[64];
          for (int i = 0; i < perSource; i++) {
            // The same buffer every time: the pipeline must be done with it when publish returns.
            byte[] d = doc("{\"type\":\"t\",\"n\":" + i + "}");
            System.arraycopy(d, 0, buf, 3, d.length);
            Position pos = new LinePosition(source * 1_000_000L + i);
            if (i % 3 == 0) {
              while (!pipeline.tryPublish(buf, 3, d.length, pos)) {
                Thread.yield(); // the ring is full: an HTTP source would answer 429 here
              }
            } else {
              pipeline.publish(buf, 3, d.length, pos);
            }
          }
        } catch (Throwable e) {
          failure.compareAndSet(null, e);
        }
      }, "source-" + t);
      threads.add(th);
      th.start();
    }
    start.countDown();
    for (Thread th : threads) {
      th.join(TimeUnit.MINUTES.toMillis(1));
      assertFalse(th.isAlive(), th.getName() + " did not finish");
    }
    assertNull(failure.get());
    pipeline.close(false, 1, TimeUnit.MINUTES);
    assertEquals(0, pipeline.stageFailures());
    assertEquals(sources * perSource, violations.size());
    Map<Long, Long> lastBySource = new HashMap<>();
    for (Violation v : violations) {
      assertEquals("key `id` is missing", v.message());
      long line = ((LinePosition) v.position()).line();
      long source = line / 1_000_000L;
      Long last = lastBySource.put(source, line);
      assertTrue(last == null || last < line, "source " + source + ": " + line + " after " + last);
    }
    for (long s = 0; s < sources; s++) {
      assertEquals(s * 1_000_000L + perSource - 1, lastBySource.get(s));
    }
    assertEquals(sources * perSource, pipeline.stats().get(0).malformed);
  }

  /**
   * Decoding on publish, with the evaluator held in its sink: the ring fills, {@code tryPublish}
   * says no at once, {@code publish} waits, and everything goes through, in order, once the
   * evaluator moves again. All on the one source thread, as decoding on publish requires.
   */
  @Test
  void aFullRingMakesPublishWaitAndTryPublishSayNo() throws Exception {
    CountDownLatch sinkEntered = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    List<Violation> violations = new ArrayList<>();
    ViolationSink held = v -> {
      sinkEntered.countDown();
      try {
        release.await();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      synchronized (violations) {
        violations.add(v);
      }
    };
    PipelineConfig config = new PipelineConfig(4, 1, PipelineConfig.WaitStrategyKind.BLOCKING, 500)
        .withDecode(PipelineConfig.DecodeMode.ON_PUBLISH);
    Pipeline pipeline = new Pipeline(List.of(PipelineMemoryTest.program(ANY_DOCUMENT)), config, held,
        null);
    byte[] d = doc("{\"type\":\"t\"}");
    AtomicReference<Throwable> failure = new AtomicReference<>();
    CountDownLatch ringFull = new CountDownLatch(1);
    Thread source = new Thread(() -> {
      try {
        assertTrue(pipeline.tryPublish(d, 0, d.length, new LinePosition(1)));
        assertTrue(sinkEntered.await(1, TimeUnit.MINUTES), "the evaluator never reached the sink");
        // The evaluator holds slot 1 in the sink; three more fit, the fifth does not.
        for (int i = 2; i <= 4; i++) {
          assertTrue(pipeline.tryPublish(d, 0, d.length, new LinePosition(i)), "slot " + i);
        }
        assertFalse(pipeline.tryPublish(d, 0, d.length, new LinePosition(5)));
        assertEquals(4, pipeline.backlog());
        ringFull.countDown();
        pipeline.publish(d, 0, d.length, new LinePosition(5)); // waits for room
        pipeline.publishRejected(new LinePosition(6), "too long");
      } catch (Throwable e) {
        failure.set(e);
        ringFull.countDown();
      }
    }, "the-source");
    source.start();
    assertTrue(ringFull.await(1, TimeUnit.MINUTES));
    long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(1);
    while (source.getState() != Thread.State.TIMED_WAITING && source.isAlive()) {
      assertTrue(System.nanoTime() < deadline, "the publisher never waited for room");
      Thread.onSpinWait();
    }
    assertNull(failure.get());
    assertTrue(source.isAlive(), "publish returned although the ring was full");
    release.countDown();
    source.join(TimeUnit.MINUTES.toMillis(1));
    assertFalse(source.isAlive());
    assertNull(failure.get());
    pipeline.close(false, 1, TimeUnit.MINUTES);
    assertEquals(6, violations.size());
    for (int i = 0; i < 5; i++) {
      assertEquals(new LinePosition(i + 1), violations.get(i).position());
    }
    assertEquals("too long", violations.get(5).message());
    assertEquals(0, pipeline.stageFailures());
  }

  /**
   * A bug in admission (here a predicate that throws) is counted, the document is skipped (no
   * stale result of an earlier document in its slot is applied), the source is not disturbed and
   * the documents after it go through.
   */
  @ParameterizedTest
  @EnumSource(value = PipelineConfig.DecodeMode.class, names = {"OWN_THREAD", "ON_PUBLISH"})
  void aFailingDocumentIsCountedAndSkipped(PipelineConfig.DecodeMode mode) throws Exception {
    Predicate throwsOnBoom = new Predicate() {
      @Override
      public boolean test(DocumentView doc) {
        if (doc.kind(0) != io.specwatch.core.json.JsonKind.STRING) {
          throw new IllegalStateException("a bug, for the test");
        }
        return true;
      }
    };
    List<Violation> violations = new ArrayList<>();
    Pipeline pipeline = new Pipeline(List.of(PipelineMemoryTest.program(throwsOnBoom)),
        PipelineConfig.defaults().withRingSize(2).withDecode(mode),
        PipelineMemoryTest.collecting(violations), null);
    byte[] good = doc("{\"type\":\"t\"}");
    byte[] boom = doc("{\"type\":1}");
    for (int i = 1; i <= 9; i++) {
      byte[] d = i % 3 == 0 ? boom : good;
      pipeline.publish(d, 0, d.length, new LinePosition(i));
    }
    pipeline.close(false, 1, TimeUnit.MINUTES);
    assertEquals(3, pipeline.stageFailures());
    List<Position> seen = new ArrayList<>();
    for (Violation v : violations) {
      seen.add(v.position());
    }
    assertEquals(List.of(new LinePosition(1), new LinePosition(2), new LinePosition(4),
        new LinePosition(5), new LinePosition(7), new LinePosition(8)), seen);
  }
}
