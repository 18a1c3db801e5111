package io.specwatch.cli.run;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.specwatch.ingest.http.IngestServer;
import io.specwatch.ingest.otlp.IngestEndpoint;
import io.specwatch.ingest.otlp.IngestStats;
import io.specwatch.ingest.otlp.IngestStats.RecordRejection;
import io.specwatch.ingest.otlp.IngestStats.Refusal;
import java.util.List;
import java.util.function.ToLongFunction;

/**
 * The network receivers' counters ({@link IngestStats}) as Micrometer meters, with Prometheus
 * names:
 * <ul>
 *   <li>{@code specwatch_ingest_requests_total{protocol,endpoint}}: requests received;
 *   <li>{@code specwatch_ingest_requests_refused_total{protocol,endpoint,reason}}: every refusal,
 *       whoever made it (gRPC's own included), e.g. {@code reason="too_large"};
 *   <li>{@code specwatch_ingest_documents_total{protocol,endpoint}}: documents published;
 *   <li>{@code specwatch_ingest_records_rejected_total{protocol,endpoint,reason}}: records of
 *       taken requests not taken ({@code rejected}, {@code malformed}, {@code dropped}).
 * </ul>
 * Labels come from a fixed set ({@link IngestEndpoint}), never from a request. Each series an
 * endpoint can produce is registered at start, at 0, so a rate over it sees the first refusal;
 * endpoints of a protocol no receiver serves are left out. The daemon may run two receivers (the
 * OTLP one and the plain {@code /v1/events} one): their counts are summed.
 */
final class IngestMeters {
  private IngestMeters() {}

  static void bind(MeterRegistry registry, List<IngestServer> receivers) {
    boolean http = receivers.stream().anyMatch(r -> r.httpPort() >= 0);
    boolean grpc = receivers.stream().anyMatch(r -> r.grpcPort() >= 0);
    for (IngestEndpoint e : IngestEndpoint.values()) {
      if (!(e.protocol().equals("http") ? http : grpc)) {
        continue;
      }
      Tags where = Tags.of("protocol", e.protocol(), "endpoint", e.label());
      counter(registry, "specwatch.ingest.requests", where, receivers, s -> s.requests(e),
          "Requests received by the network receivers, whatever their outcome.");
      for (Refusal r : e.possibleRefusals()) {
        counter(registry, "specwatch.ingest.requests.refused", where.and("reason", r.label()),
            receivers, s -> s.refused(e, r),
            "Requests refused, by reason (malformed, too_large, unauthorized, pipeline_full, ...).");
      }
      if (e.source() == null) {
        continue; // "other" paths and methods publish nothing
      }
      counter(registry, "specwatch.ingest.documents", where, receivers, s -> s.documents(e),
          "Documents the network receivers published into the pipeline.");
      for (RecordRejection r : RecordRejection.values()) {
        counter(registry, "specwatch.ingest.records.rejected", where.and("reason", r.label()),
            receivers, s -> s.recordsRejected(e, r),
            "Records of accepted requests not taken as documents, by reason.");
      }
    }
  }

  private static void counter(MeterRegistry registry, String name, Tags tags,
      List<IngestServer> receivers, ToLongFunction<IngestStats> count, String description) {
    // A function counter holds its state object weakly and freezes once it is collected: the
    // registry itself is the state object (alive while it is scraped) and the lambda holds the
    // receivers, so the counts stay live whoever else keeps the list.
    FunctionCounter.builder(name, registry, reg -> {
      long sum = 0;
      for (IngestServer r : receivers) {
        sum += count.applyAsLong(r.stats());
      }
      return sum;
    }).tags(tags).description(description).register(registry);
  }
}
