package io.specwatch.ingest.otlp;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.specwatch.core.DocumentPublisher;
import io.specwatch.core.LinePosition;
import io.specwatch.core.Position;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** All or nothing, and the rare "committed, then stuck" case, with a publisher that has room for n. */
class BatchPublisherTest {
  /** Takes documents until it holds {@code room}, then refuses. */
  static final class Bounded implements DocumentPublisher {
    final List<String> taken = new ArrayList<>();
    int room;

    Bounded(int room) {
      this.room = room;
    }

    @Override
    public void publish(byte[] buf, int off, int len, Position pos) {
      throw new AssertionError("receivers never block");
    }

    @Override
    public boolean tryPublish(byte[] buf, int off, int len, Position pos) {
      if (taken.size() >= room) {
        return false;
      }
      taken.add(new String(buf, off, len, StandardCharsets.UTF_8));
      return true;
    }

    @Override
    public void publishRejected(Position pos, String reason) {
      throw new AssertionError("receivers answer bad input themselves");
    }
  }

  static DocumentBatch batchOf(int n) {
    DocumentBatch batch = new DocumentBatch(1000);
    for (int i = 1; i <= n; i++) {
      byte[] doc = ("{\"n\":" + i + "}").getBytes(StandardCharsets.UTF_8);
      batch.add(doc, 0, doc.length, new LinePosition(i));
    }
    return batch;
  }

  @Test
  void aFullPublisherTakesNothingAndTheBatchCanBeRetried() {
    Bounded full = new Bounded(0);
    IngestStats stats = new IngestStats();
    BatchPublisher publisher = new BatchPublisher(full, Duration.ofMillis(50), stats);
    assertEquals(new BatchPublisher.Result(BatchPublisher.Outcome.FULL, 0), publisher.publish(batchOf(3)));
    assertEquals(List.of(), full.taken);
    full.room = 3;
    assertEquals(new BatchPublisher.Result(BatchPublisher.Outcome.PUBLISHED, 0), publisher.publish(batchOf(3)));
    assertEquals(List.of("{\"n\":1}", "{\"n\":2}", "{\"n\":3}"), full.taken);
    assertEquals(3, stats.documents());
  }

  @Test
  void aBatchThatStaysStuckAfterItsFirstDocumentReportsTheRestAsDropped() {
    Bounded two = new Bounded(2);
    IngestStats stats = new IngestStats();
    BatchPublisher publisher = new BatchPublisher(two, Duration.ofMillis(50), stats);
    assertEquals(new BatchPublisher.Result(BatchPublisher.Outcome.PUBLISHED, 3), publisher.publish(batchOf(5)));
    assertEquals(2, two.taken.size());
    assertEquals(2, stats.documents());
    assertEquals(3, stats.rejected(IngestStats.Rejection.RECORD_DROPPED));
  }

  @Test
  void anEmptyBatchIsPublishedTrivially() {
    BatchPublisher publisher = new BatchPublisher(new Bounded(0), Duration.ZERO, new IngestStats());
    assertEquals(BatchPublisher.Outcome.PUBLISHED, publisher.publish(new DocumentBatch(10)).outcome());
  }

  @Test
  void droppedRecordsReachTheClientAsAPartialSuccessWithTheReason() {
    IngestStats stats = new IngestStats();
    OtlpIngest ingest = new OtlpIngest(new BatchPublisher(new Bounded(2), Duration.ofMillis(50), stats),
        stats, 1000, new java.util.concurrent.atomic.AtomicLong());
    DocumentBatch batch = batchOf(5);
    batch.begin();
    batch.reject("log record 6: trace_id must be 16 bytes, was 3");
    OtlpIngest.Result r = ingest.publish(batch);
    assertEquals(false, r.full());
    assertEquals(2, r.published());
    assertEquals(4, r.rejected(), "one unmappable record and three dropped");
    assertEquals("1 record(s) rejected: log record 6: trace_id must be 16 bytes, was 3; "
        + "3 record(s) dropped: the pipeline stayed full after the request's first records were "
        + "published", r.errorMessage());
    assertEquals(1, stats.rejected(IngestStats.Rejection.RECORD_REJECTED));
    assertEquals(3, stats.rejected(IngestStats.Rejection.RECORD_DROPPED));
  }

  /** A bounded publisher that says how much room it has. */
  static final class BoundedWithCapacity implements DocumentPublisher, PublisherCapacity {
    final Bounded inner;

    BoundedWithCapacity(int room) {
      inner = new Bounded(room);
    }

    @Override
    public void publish(byte[] buf, int off, int len, Position pos) {
      inner.publish(buf, off, len, pos);
    }

    @Override
    public boolean tryPublish(byte[] buf, int off, int len, Position pos) {
      return inner.tryPublish(buf, off, len, pos);
    }

    @Override
    public void publishRejected(Position pos, String reason) {
      inner.publishRejected(pos, reason);
    }

    @Override
    public long freeSlots() {
      return inner.room - inner.taken.size();
    }

    @Override
    public long capacity() {
      return 10;
    }
  }

  @Test
  void aPublisherThatSaysItsRoomRefusesABatchThatDoesNotFitBeforeTakingAnything() {
    BoundedWithCapacity two = new BoundedWithCapacity(2);
    IngestStats stats = new IngestStats();
    BatchPublisher publisher = new BatchPublisher(two, Duration.ofMillis(50), stats);
    assertEquals(new BatchPublisher.Result(BatchPublisher.Outcome.FULL, 0), publisher.publish(batchOf(3)));
    assertEquals(List.of(), two.inner.taken, "nothing was taken, so a retry counts nothing twice");
    assertEquals(new BatchPublisher.Result(BatchPublisher.Outcome.PUBLISHED, 0), publisher.publish(batchOf(2)));
    assertEquals(0, stats.rejected(IngestStats.Rejection.RECORD_DROPPED));
  }
}
