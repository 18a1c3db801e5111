package io.specwatch.cli.run;

import io.specwatch.cli.config.DaemonConfig;
import io.specwatch.cli.config.ReceiverSettings;
import io.specwatch.cli.config.SinksConfig;
import io.specwatch.cli.config.SourcesConfig;
import io.specwatch.core.DocumentPublisher;
import io.specwatch.core.ViolationSink;
import io.specwatch.core.program.Program;
import io.specwatch.ingest.http.IngestServer;
import io.specwatch.ingest.http.IngestServerConfig;
import io.specwatch.ingest.kafka.KafkaSource;
import io.specwatch.ingest.kafka.KafkaSourceConfig;
import java.io.IOException;
import java.io.PrintStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * The sources that listen or consume rather than read a file: the OTLP receivers and the plain
 * HTTP endpoint (event-ingest's {@link IngestServer}, publishing into the monitor loop), and the
 * Kafka consumer group (event-ingest's {@link KafkaSource}).
 *
 * <p>The Kafka source is different in kind: each partition it is assigned has its own monitor,
 * restored from and checkpointed to a changelog topic, and its violations are written to the
 * violations topic in the same transaction as its offsets. So it does not publish into the
 * daemon's monitor; it hands its violations, once committed, to the daemon's other sinks.
 */
final class NetworkSources {
  private final List<IngestServer> receivers = new ArrayList<>();
  private volatile KafkaSource kafka;
  /** Set once {@link #start} has started everything: before, nothing can have caught up. */
  private volatile boolean started;
  /** Where the Kafka source's meters go ({@link KafkaSourceMeters}), or null. */
  private io.micrometer.core.instrument.MeterRegistry kafkaMeters;
  /** The specs of the last reload, if one came before the Kafka source started. */
  private List<Program> reloadedPrograms;
  /** The daemon's JSONL write-ahead for the Kafka source's violations, or null. */
  private java.util.function.Consumer<List<io.specwatch.core.Violation>> kafkaWriteAhead;

  /**
   * Hands each Kafka transaction's violations to {@code beforeCommit} just before it commits
   * (see {@link KafkaSource#writeAheadTo}); call before {@link #start}.
   */
  void writeKafkaViolationsAheadTo(java.util.function.Consumer<List<io.specwatch.core.Violation>> beforeCommit) {
    this.kafkaWriteAhead = beforeCommit;
  }

  /** Registers the Kafka source's meters ({@code specwatch_kafka_...}) here; call before {@link #start}. */
  void bindKafkaMetersTo(io.micrometer.core.instrument.MeterRegistry registry) {
    this.kafkaMeters = registry;
  }

  /**
   * A spec reload reaches the Kafka source: its partitions' runtimes take {@code programs},
   * keeping the state of the specs named in {@code kept} ({@link KafkaSource#reloadSpecs}).
   * Called on the monitor thread after the daemon's own monitor was swapped; returns at once.
   */
  synchronized void reloadSpecs(List<Program> programs, java.util.Set<String> kept) {
    if (kafka != null) {
      kafka.reloadSpecs(programs, kept);
    } else {
      reloadedPrograms = programs; // the source has not started: it starts with these
    }
  }

  /**
   * Starts what the configuration asks for; on a failure to bind, stops what was started and
   * throws.
   */
  synchronized void start(DaemonConfig config, List<Program> programs, DocumentPublisher publisher,
      ViolationSink committedKafkaViolations, PrintStream log) throws IOException {
    SourcesConfig s = config.sources();
    int maxBytes = config.limits().maxDocumentBytes();
    try {
      if (s.otlp() != null) {
        IngestServer server = IngestServer.start(receiver(s.otlp().host(), off(s.otlp().httpPort()),
            off(s.otlp().grpcPort()), maxBytes, s.otlp().receiver()), publisher);
        receivers.add(server);
        log.println("specwatch run: OTLP receivers on " + s.otlp().host() + " http " + server.httpPort()
            + " grpc " + server.grpcPort());
      }
      if (s.http() != null) {
        IngestServer server = IngestServer.start(
            receiver(s.http().host(), s.http().port(), -1, maxBytes, s.http().receiver()), publisher);
        receivers.add(server);
        log.println("specwatch run: POST /v1/events on " + s.http().host() + ":" + server.httpPort());
      }
    } catch (IOException | RuntimeException e) {
      stopReceivers(Duration.ofSeconds(1));
      throw e instanceof IOException io ? io : new IOException(e.getMessage(), e);
    }
    if (kafkaMeters != null && !receivers.isEmpty()) {
      IngestMeters.bind(kafkaMeters, receivers); // specwatch_ingest_*, on the same /metrics registry
    }
    if (s.kafka() != null) {
      if (reloadedPrograms != null) {
        programs = reloadedPrograms;
      }
      SinksConfig.KafkaSink sink = config.sinks().kafka();
      String topic = sink != null ? sink.topic() : s.kafka().groupId() + ".violations";
      String transactionalId = s.kafka().transactionalId() != null ? s.kafka().transactionalId()
          : KafkaMemberId.of(config.state().directory(), s.kafka().groupId());
      kafka = new KafkaSource(kafkaSourceConfig(s.kafka(), topic, transactionalId,
          config.limits().maxDocumentBytes(),
          // Per partition (each partition's runtime is capped on its own; docs/kafka.md).
          LiveInstanceCap.perPartition(config.limits(), programs.size()),
          DedupeIdCap.perPartition(config.limits(), programs.size())),
          programs, committedKafkaViolations);
      if (kafkaWriteAhead != null) {
        kafka.writeAheadTo(kafkaWriteAhead);
      }
      if (kafkaMeters != null) {
        KafkaSourceMeters.bind(kafka, kafkaMeters);
      }
      kafka.start();
      log.println("specwatch run: Kafka consumer group " + s.kafka().groupId() + " on "
          + (s.kafka().topicPattern() != null ? "topics matching " + s.kafka().topicPattern()
              : s.kafka().topics()) + ", violations to " + topic + ", transactional id "
          + transactionalId);
    }
    started = true;
  }

  /** The Kafka source's settings from the daemon's: one to one, plus what the daemon decides. */
  static KafkaSourceConfig kafkaSourceConfig(SourcesConfig.KafkaSource k, String violationsTopic,
      String transactionalId, int maxDocumentBytes, long maxLiveInstancesPerPartition,
      long maxDedupeIdsPerPartition) {
    return new KafkaSourceConfig(k.bootstrapServers(), k.groupId(), k.topics(),
        k.topicPattern() == null ? null : Pattern.compile(k.topicPattern()), k.startPosition(),
        k.groupProtocol(), k.properties(), violationsTopic, k.changelogTopic(),
        k.changelogPartitions(), k.replicationFactor(), k.commitInterval(), transactionalId,
        maxDocumentBytes, k.idlePartitionTimeout(), k.checkpointInterval(), k.repartition(),
        k.repartitionPartitions(), maxLiveInstancesPerPartition, maxDedupeIdsPerPartition,
        k.applyThreads());
  }

  /**
   * A receiver as configured: address, ports, request settings, and the daemon's document limit
   * ({@code limits.max_document_bytes}, the same for every source).
   */
  static IngestServerConfig receiver(String host, int httpPort, int grpcPort, int maxBytes,
      ReceiverSettings r) {
    return new IngestServerConfig(host, httpPort, grpcPort, r.bearerToken(), r.maxRequestBytes(),
        r.maxDecompressedBytes(), maxBytes, r.threads(), r.retryAfter(), r.commitTimeout());
  }

  /** A configured port of 0 means off; the receivers' own convention for off is -1. */
  private static int off(int port) {
    return port == 0 ? -1 : port;
  }

  /**
   * Whether the Kafka member (if any) has joined and consumed the backlog its partitions had
   * when assigned ({@link KafkaSource#caughtUp}); receivers are always caught up. False until
   * {@link #start} has run (the admin endpoint answers before the sources start).
   */
  boolean caughtUp() {
    KafkaSource k = kafka;
    return started && (k == null || k.caughtUp());
  }

  /** Stops taking input: receivers refuse new requests and finish those in flight; Kafka commits. */
  void stop(Duration timeout) throws InterruptedException {
    stopReceivers(timeout);
    if (kafka != null) {
      kafka.stop(timeout);
    }
  }

  private void stopReceivers(Duration grace) {
    for (IngestServer r : receivers) {
      r.stop(grace);
    }
  }
}
