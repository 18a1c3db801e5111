package io.specwatch.ingest.otlp;

/**
 * Optional for a {@link io.specwatch.core.DocumentPublisher} that receivers publish into: how
 * much room it has now. With it, a request that does not fit is refused (429) before anything of
 * it is published, instead of being committed and then waiting for room. The pipeline's ring is
 * asked directly; another publisher (the daemon's monitor loop, a bounded queue) implements this.
 */
public interface PublisherCapacity {
  /** Documents that could be published now without waiting. */
  long freeSlots();

  /** Documents the publisher holds when full. */
  long capacity();
}
