package io.specwatch.load.peers;

import io.specwatch.load.bench.Engine;
import io.specwatch.load.bench.LoadRunner;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The side-by-side run: specwatch, the hand-written baselines and the peer engines (Esper 9,
 * Kafka Streams 4.1) on the identical workload in one JVM, each checked against the ground truth,
 * in one table. It lives in the test sources because the peers are test-scope dependencies (Esper
 * is GPL-2.0 and must never be in a shipped artifact); see load-tests/README.md for the command.
 */
public final class SideBySide {
  private SideBySide() {}

  /** Peers last: whatever a closed peer leaves behind cannot skew specwatch's retained heap. */
  public static final String ALL = "specwatch,monitor,pipeline,array,hashmap,esper,kstreams";

  public static Map<String, Engine.Factory> peers() {
    Map<String, Engine.Factory> peers = new LinkedHashMap<>();
    peers.put("esper", EsperEngine.factory());
    peers.put("kstreams", KafkaStreamsEngine.factory());
    return peers;
  }

  public static void main(String[] args) throws Exception {
    System.exit(LoadRunner.run(args, System.out, peers(), ALL));
  }
}
