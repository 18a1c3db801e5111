package io.specwatch.core.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.specwatch.core.LinePosition;
import io.specwatch.core.Violation;
import io.specwatch.core.json.DocumentView;
import io.specwatch.core.json.JsonKind;
import io.specwatch.core.program.DocPath;
import io.specwatch.core.program.EntityType;
import io.specwatch.core.program.EventType;
import io.specwatch.core.program.InputSpec;
import io.specwatch.core.program.Predicate;
import io.specwatch.core.program.Program;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/** The ring must not hold the input: large documents are bounded by a byte budget. */
class PipelineMemoryTest {

  /** A spec with one event on {@code type == "t"} whose predicate can be made to wait. */
  static Program program(Predicate when) {
    DocPath type = new DocPath(List.of(DocPath.Segment.key("type")));
    DocPath id = new DocPath(List.of(DocPath.Segment.key("id")));
    EntityType entity = new EntityType("E", 0, 1, "id", List.of(), new long[0], new Object[0], null,
        List.of(), List.of(), null);
    EventType event = new EventType("ev", 0, entity, 1, "id", when, List.of(), 0, 0, List.of(),
        new int[0], new int[0], null);
    return new Program("p", "p.sw", InputSpec.none(), List.of(type, id), List.of(entity),
        List.of(event));
  }

  private static byte[] document(int size) {
    String head = "{\"type\":\"t\",\"pad\":\"";
    byte[] b = new byte[size];
    Arrays.fill(b, (byte) 'x');
    System.arraycopy(head.getBytes(StandardCharsets.US_ASCII), 0, b, 0, head.length());
    b[size - 2] = '"';
    b[size - 1] = '}';
    return b;
  }

  @Test
  void publishingWaitsWhileLargeDocumentsOverTheBudgetAwaitDecoding() throws Exception {
    CountDownLatch decoderEntered = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    Predicate blockFirst = new Predicate() {
      private boolean first = true;

      @Override
      public boolean test(DocumentView doc) {
        if (first) {
          first = false;
          decoderEntered.countDown();
          try {
            release.await();
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
          }
        }
        return doc.kind(0) == JsonKind.STRING;
      }
    };
    List<Violation> violations = new ArrayList<>();
    // The budget is the decode stage's: decoding on publish, nothing waits in the ring.
    Pipeline pipeline = new Pipeline(List.of(program(blockFirst)), PipelineConfig.defaults()
        .withDecode(PipelineConfig.DecodeMode.OWN_THREAD), collecting(violations), null);
    int size = 8 << 20; // eight of these fill the budget
    assertEquals(64L << 20, Pipeline.MAX_LARGE_BYTES_IN_FLIGHT);
    byte[] doc = document(size);
    AtomicInteger published = new AtomicInteger();
    AtomicReference<Throwable> failure = new AtomicReference<>();
    Thread publisher = new Thread(() -> {
      try {
        for (int i = 0; i < 20; i++) {
          pipeline.publish(doc, 0, doc.length, new LinePosition(i + 1));
          published.incrementAndGet();
        }
      } catch (Throwable e) {
        failure.set(e);
      }
    }, "publisher");
    publisher.start();
    assertTrue(decoderEntered.await(1, TimeUnit.MINUTES), "the decode stage never started");
    // Wait until the publisher parks for the budget (it does nothing else that parks here: the
    // ring has room for all 20).
    long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(1);
    while (publisher.getState() != Thread.State.TIMED_WAITING && publisher.isAlive()) {
      assertTrue(System.nanoTime() < deadline, "the publisher never waited");
      Thread.onSpinWait();
    }
    // The first document is being decoded, seven more wait: 64 MiB. The ninth must wait.
    assertEquals(8, published.get());
    assertEquals(8L * size, pipeline.largeBytesInFlight());
    release.countDown();
    publisher.join(TimeUnit.MINUTES.toMillis(1));
    assertEquals(null, failure.get());
    assertEquals(20, published.get());
    pipeline.close(false, 1, TimeUnit.MINUTES);
    assertEquals(0, pipeline.largeBytesInFlight());
    assertEquals(0, pipeline.stageFailures());
    // Every document was decoded, in order (they have no `id`, so each is malformed).
    assertEquals(20, violations.size());
    for (int i = 0; i < 20; i++) {
      assertEquals(new LinePosition(i + 1), violations.get(i).position());
      assertEquals("key `id` is missing", violations.get(i).message());
    }
  }

  @Test
  void tryPublishSaysNoInsteadOfBlockingWhenTheRingIsFull() throws Exception {
    CountDownLatch decoderEntered = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    Predicate blockFirst = new Predicate() {
      private boolean first = true;

      @Override
      public boolean test(DocumentView doc) {
        if (first) {
          first = false;
          decoderEntered.countDown();
          try {
            release.await();
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
          }
        }
        return false;
      }
    };
    List<Violation> violations = new ArrayList<>();
    // A decode stage that blocks: see DecodeOnPublishTest for the same with decoding on publish.
    PipelineConfig small = new PipelineConfig(4, 1, PipelineConfig.WaitStrategyKind.BLOCKING, 500)
        .withDecode(PipelineConfig.DecodeMode.OWN_THREAD);
    Pipeline pipeline = new Pipeline(List.of(program(blockFirst)), small, collecting(violations),
        null);
    byte[] doc = document(64);
    assertTrue(pipeline.tryPublish(doc, 0, doc.length, new LinePosition(1)));
    assertTrue(decoderEntered.await(1, TimeUnit.MINUTES), "the decode stage never started");
    // The decoder holds slot 1; three more fit, the fifth does not.
    for (int i = 2; i <= 4; i++) {
      assertTrue(pipeline.tryPublish(doc, 0, doc.length, new LinePosition(i)), "slot " + i);
    }
    assertEquals(false, pipeline.tryPublish(doc, 0, doc.length, new LinePosition(5)));
    byte[] large = document(RingSlot.MAX_RETAINED_BYTES + 10);
    assertEquals(false, pipeline.tryPublish(large, 0, large.length, new LinePosition(5)));
    assertEquals(0, pipeline.largeBytesInFlight(), "a refused large document returns its budget");
    release.countDown();
    pipeline.close(false, 1, TimeUnit.MINUTES);
    assertEquals(0, pipeline.stageFailures());
  }

  @org.junit.jupiter.params.ParameterizedTest
  @org.junit.jupiter.params.provider.EnumSource(value = PipelineConfig.DecodeMode.class,
      names = {"OWN_THREAD", "ON_PUBLISH"})
  void aDocumentLargerThanTheWholeBudgetStillGoesThrough(PipelineConfig.DecodeMode mode)
      throws Exception {
    List<Violation> violations = new ArrayList<>();
    Predicate never = new Predicate() {
      @Override
      public boolean test(DocumentView doc) {
        return false;
      }
    };
    Pipeline pipeline = new Pipeline(List.of(program(never)),
        PipelineConfig.defaults().withDecode(mode), collecting(violations), null);
    assertEquals(mode, pipeline.decodeMode());
    byte[] huge = document((int) Pipeline.MAX_LARGE_BYTES_IN_FLIGHT + 1000);
    pipeline.publish(huge, 0, huge.length, new LinePosition(1));
    pipeline.publish(huge, 0, huge.length, new LinePosition(2));
    pipeline.close(false, 1, TimeUnit.MINUTES);
    assertEquals(0, pipeline.largeBytesInFlight());
    assertEquals(0, pipeline.stageFailures());
  }

  @Test
  void aSlotKeepsNoLargeBufferOnceDecoded() {
    RingSlot slot = new RingSlot(List.of());
    byte[] small = new byte[100];
    slot.set(small, 0, small.length, new LinePosition(1), 0);
    slot.releaseLargeBuffer();
    assertEquals(512, slot.data.length);
    byte[] medium = new byte[3000];
    slot.set(medium, 0, medium.length, new LinePosition(2), 0);
    assertEquals(3000, slot.data.length);
    slot.releaseLargeBuffer();
    assertEquals(3000, slot.data.length, "small buffers are kept and reused");
    slot.set(small, 0, small.length, new LinePosition(3), 0);
    assertEquals(3000, slot.data.length);
    byte[] large = new byte[RingSlot.MAX_RETAINED_BYTES + 1];
    slot.set(large, 0, large.length, new LinePosition(4), 0);
    assertEquals(large.length, slot.data.length);
    slot.releaseLargeBuffer();
    assertTrue(slot.data.length <= RingSlot.MAX_RETAINED_BYTES);
    // Growth by doubling stops at the retained size.
    byte[] justUnder = new byte[RingSlot.MAX_RETAINED_BYTES - 10];
    slot.set(new byte[600], 0, 600, new LinePosition(5), 0);
    slot.set(justUnder, 0, justUnder.length, new LinePosition(6), 0);
    assertTrue(slot.data.length <= RingSlot.MAX_RETAINED_BYTES);
  }

  /** A sink that collects into a list; evaluator threads may call it concurrently. */
  static io.specwatch.core.ViolationSink collecting(List<io.specwatch.core.Violation> into) {
    return v -> {
      synchronized (into) {
        into.add(v);
      }
    };
  }
}
