package io.specwatch.ingest.kafka;

import io.specwatch.core.program.Program;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * A specwatch Kafka member in its own JVM, for the crash tests: {@code bootstrap group topic
 * violationsTopic spec transactionalId [repartitionPartitions]}; with the last argument the
 * repartition step is on. Runs until killed (the tests kill it with SIGKILL).
 */
public final class KafkaMemberProcess {
  private KafkaMemberProcess() {}

  public static void main(String[] args) throws Exception {
    List<Program> programs = TestSpecs.compile(Path.of(args[4]));
    KafkaSourceConfig config = KafkaSourceConfig.of(args[0], args[1], List.of(args[2]), args[3])
        .withTransactionalId(args[5])
        .withClientProperties(Map.of("session.timeout.ms", "6000", "heartbeat.interval.ms", "1000"));
    if (args.length > 6) {
      config = config.withRepartition(true, Integer.parseInt(args[6]))
          .withStartPosition(KafkaSourceConfig.StartPosition.EARLIEST);
    }
    KafkaSource source = new KafkaSource(config, programs, null);
    source.start();
    System.out.println("started");
    System.out.flush();
    while (true) {
      Thread.sleep(Duration.ofSeconds(1).toMillis()); // idle main thread; the source runs alone
      System.out.println("records=" + source.stats().records.get()
          + " commits=" + source.stats().commits.get());
    }
  }
}
