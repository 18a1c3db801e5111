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

/**
 * All or nothing, and the rare "committed, then stuck" case, with a publisher that has room for
 * n; and what {@link OtlpIngest} counts of it per endpoint.
 */
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

    /** Never blocks here: the batch publisher calls it only when it knows there is room. */
    @Override
    public void publishRejected(Position pos, String reason) {
      if (taken.size() >= room) {
        throw new AssertionError("publishRejected would block: no room");
      }
      taken.add("rejected " + ((LinePosition) pos).line() + ": " + reason);
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
    BatchPublisher publisher = new BatchPublisher(full, Duration.ofMillis(50));
    assertEquals(new BatchPublisher.Result(BatchPublisher.Outcome.FULL, 0), publisher.publish(batchOf(3)));
    assertEquals(List.of(), full.taken);
    full.room = 3;
    assertEquals(new BatchPublisher.Result(BatchPublisher.Outcome.PUBLISHED, 0), publisher.publish(batchOf(3)));
    assertEquals(List.of("{\"n\":1}", "{\"n\":2}", "{\"n\":3}"), full.taken);
  }

  @Test
  void aBatchThatStaysStuckAfterItsFirstDocumentReportsTheRestAsDropped() {
    Bounded two = new Bounded(2);
    BatchPublisher publisher = new BatchPublisher(two, Duration.ofMillis(50));
    assertEquals(new BatchPublisher.Result(BatchPublisher.Outcome.PUBLISHED, 3), publisher.publish(batchOf(5)));
    assertEquals(2, two.taken.size());
  }

  @Test
  void anEmptyBatchIsPublishedTrivially() {
    BatchPublisher publisher = new BatchPublisher(new Bounded(0), Duration.ZERO);
    assertEquals(BatchPublisher.Outcome.PUBLISHED, publisher.publish(new DocumentBatch(10)).outcome());
  }

  @Test
  void droppedRecordsReachTheClientAsAPartialSuccessWithTheReason() {
    IngestStats stats = new IngestStats();
    OtlpIngest ingest = new OtlpIngest(new BatchPublisher(new Bounded(2), Duration.ofMillis(50)),
        stats, 1000, new java.util.concurrent.atomic.AtomicLong());
    DocumentBatch batch = batchOf(5);
    batch.begin();
    batch.reject("log record 6: trace_id must be 16 bytes, was 3");
    OtlpIngest.Result r = ingest.publish(batch, IngestEndpoint.GRPC_LOGS);
    assertEquals(false, r.full());
    assertEquals(2, r.published());
    assertEquals(4, r.rejected(), "one unmappable record and three dropped");
    assertEquals("1 record(s) rejected: log record 6: trace_id must be 16 bytes, was 3; "
        + "3 record(s) dropped: the pipeline stayed full after the request's first records were "
        + "published", r.errorMessage());
    assertEquals(2, stats.documents(IngestEndpoint.GRPC_LOGS));
    assertEquals(1, stats.recordsRejected(IngestEndpoint.GRPC_LOGS, IngestStats.RecordRejection.REJECTED));
    assertEquals(3, stats.recordsRejected(IngestEndpoint.GRPC_LOGS, IngestStats.RecordRejection.DROPPED));
    assertEquals(0, stats.documents(IngestEndpoint.HTTP_LOGS), "counted on its own endpoint only");
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
    BatchPublisher publisher = new BatchPublisher(two, Duration.ofMillis(50));
    assertEquals(new BatchPublisher.Result(BatchPublisher.Outcome.FULL, 0), publisher.publish(batchOf(3)));
    assertEquals(List.of(), two.inner.taken, "nothing was taken, so a retry counts nothing twice");
    assertEquals(new BatchPublisher.Result(BatchPublisher.Outcome.PUBLISHED, 0), publisher.publish(batchOf(2)));
  }

  @Test
  void anUnreadableEntryIsPublishedAsRejectedInItsPlace() {
    BoundedWithCapacity room = new BoundedWithCapacity(3);
    DocumentBatch batch = new DocumentBatch(1000);
    byte[] doc = "{\"n\":1}".getBytes(StandardCharsets.UTF_8);
    batch.add(doc, 0, doc.length, new LinePosition(1));
    batch.addUnreadable(new LinePosition(2), "too big", "line 2: too big");
    batch.add(doc, 0, doc.length, new LinePosition(3));
    assertEquals(new BatchPublisher.Result(BatchPublisher.Outcome.PUBLISHED, 0),
        new BatchPublisher(room, Duration.ofMillis(50)).publish(batch));
    assertEquals(List.of("{\"n\":1}", "rejected 2: too big", "{\"n\":1}"), room.inner.taken);
    assertEquals(1, batch.flagged());
    assertEquals(List.of("line 2: too big"), batch.errors());
  }

  @Test
  void anUnreadableFirstEntryWithNoRoomTakesNothing() {
    BoundedWithCapacity none = new BoundedWithCapacity(0);
    DocumentBatch batch = new DocumentBatch(1000);
    batch.addUnreadable(new LinePosition(1), "too big", "line 1: too big");
    assertEquals(new BatchPublisher.Result(BatchPublisher.Outcome.FULL, 0),
        new BatchPublisher(none, Duration.ofMillis(50)).publish(batch));
    assertEquals(List.of(), none.inner.taken);
  }
}
