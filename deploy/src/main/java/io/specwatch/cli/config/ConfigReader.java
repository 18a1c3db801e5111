package io.specwatch.cli.config;

import io.specwatch.alert.AlertSettings;

import io.specwatch.cli.config.DaemonConfig.Admin;
import io.specwatch.cli.config.DaemonConfig.Limits;
import io.specwatch.cli.config.DaemonConfig.Reload;
import io.specwatch.cli.config.DaemonConfig.State;
import io.specwatch.cli.config.SinksConfig.AlertmanagerSink;
import io.specwatch.cli.config.SinksConfig.JsonlSink;
import io.specwatch.cli.config.SinksConfig.KafkaSink;
import io.specwatch.cli.config.SinksConfig.WebhookSink;
import io.specwatch.cli.config.SourcesConfig.FileSource;
import io.specwatch.cli.config.SourcesConfig.HttpSource;
import io.specwatch.cli.config.SourcesConfig.KafkaSource;
import io.specwatch.cli.config.SourcesConfig.OtlpSource;
import io.specwatch.ingest.http.IngestServerConfig;
import io.specwatch.ingest.kafka.KafkaSourceConfig;
import io.specwatch.ingest.kafka.KafkaSourceConfig.GroupProtocol;
import io.specwatch.ingest.kafka.KafkaSourceConfig.StartPosition;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Parses a {@code specwatch.yaml} once into a {@link DaemonConfig}, or fails with every error
 * found. The defaults below are the documented ones (docs/operations.md): with only a spec and a
 * file the daemon runs, prints violations to standard output and serves 127.0.0.1:9464.
 */
public final class ConfigReader {
  public static final int DEFAULT_ADMIN_PORT = 9464;
  public static final String LOOPBACK = "127.0.0.1";
  /** The receivers hold a body in memory whole; their own ceiling. */
  private static final int MAX_RECEIVER_BODY = IngestServerConfig.MAX_BODY_BYTES;

  private final Map<String, String> env;

  /** Reads with the process environment for {@code ${VAR}}. */
  public ConfigReader() {
    this(System.getenv());
  }

  /** Reads with the given environment (tests). */
  public ConfigReader(Map<String, String> env) {
    this.env = env;
  }

  public DaemonConfig read(Path file) throws ConfigException {
    String text;
    try {
      text = Files.readString(file, StandardCharsets.UTF_8);
    } catch (IOException | java.io.UncheckedIOException e) {
      String why = e instanceof java.nio.file.NoSuchFileException ? "no such file" : e.getMessage();
      throw new ConfigException(List.of(new ConfigError(file.toString(), 1, 1, "", "cannot read: " + why)));
    }
    return read(file, text);
  }

  /** Parses {@code text} as if it were the content of {@code file}. */
  public DaemonConfig read(Path file, String text) throws ConfigException {
    List<ConfigError> errors = new ArrayList<>();
    YamlNode root = new YamlLoader(file.toString(), errors).load(text);
    if (root == null) {
      throw new ConfigException(errors);
    }
    if (root.kind() != YamlNode.Kind.MAP) {
      errors.add(new ConfigError(file.toString(), root.line(), root.column(), "",
          "expected a map of settings (specs, sources, sinks, ...), found " + root.describe()));
      throw new ConfigException(errors);
    }
    Path base = file.toAbsolutePath().getParent();
    MapReader.Context ctx = new MapReader.Context(file.toString(), base,
        new EnvSubstitution(env), errors);
    MapReader top = new MapReader(ctx, root, "");
    DaemonConfig config = readTop(top, file, base);
    if (!errors.isEmpty()) {
      errors.sort(java.util.Comparator.comparingInt(ConfigError::line)
          .thenComparingInt(ConfigError::column));
      throw new ConfigException(errors);
    }
    return config;
  }

  private DaemonConfig readTop(MapReader top, Path file, Path base) {
    List<Path> specs = new ArrayList<>();
    YamlNode specsNode = top.get("specs");
    for (String s : top.strings("specs")) {
      specs.add(base.resolve(s).normalize());
    }
    if (specs.isEmpty()) {
      top.error(specsNode != null ? specsNode : top.node(), "specs",
          "missing: at least one spec file (e.g. specs: [orders.sw])");
    }
    int errorsBefore = top.errorCount();
    SourcesConfig sources = sources(top.map("sources"));
    if (sources.none() && top.errorCount() == errorsBefore) {
      YamlNode at = top.get("sources") != null ? top.get("sources") : top.node();
      top.error(at, "sources", "missing: at least one source (files, stdin, kafka, otlp or http)");
    }
    SinksConfig sinks = sinks(top.map("sinks"));
    if (sources.kafka() != null) {
      refuseOwnTopicsAsInput(top, sources.kafka(), sinks.kafka());
    }
    Admin admin = admin(top.map("admin"));
    State state = state(top.map("state"), base);
    Limits limits = limits(top.map("limits"));
    Reload reload = reload(top.map("reload"));
    Duration shutdown = top.duration("shutdown_timeout", Duration.ofSeconds(30), Duration.ofSeconds(1));
    AlertSettings alerts = alerts(top.map("alerts"));
    top.finish();
    return new DaemonConfig(file, specs, sources, sinks, admin, state, limits, reload, shutdown,
        alerts);
  }

  /**
   * How violations become alerts; every key is optional and defaults to
   * {@link AlertSettings#defaults()}. Severities are label values Alertmanager routes on, so any
   * non-empty word is taken; the keys are {@code spec/rule} or {@code rule}.
   */
  private static AlertSettings alerts(MapReader m) {
    AlertSettings def = AlertSettings.defaults();
    if (m == null) {
      return def;
    }
    Duration minimum = Duration.ofSeconds(1);
    String severity = m.string("severity", def.defaultSeverity()).trim();
    YamlNode severityNode = m.get("severity");
    if (severity.isEmpty()) {
      m.error(severityNode, m.path() + ".severity", "must not be empty (e.g. warning, critical)");
      severity = def.defaultSeverity();
    }
    Map<String, String> severities = new java.util.LinkedHashMap<>();
    YamlNode perRule = m.get("severities");
    for (Map.Entry<String, String> e : m.stringMap("severities").entrySet()) {
      if (e.getValue().isBlank()) {
        m.error(perRule.entries().get(e.getKey()), m.path() + ".severities." + e.getKey(),
            "must not be empty (e.g. warning, critical)");
      } else {
        severities.put(e.getKey(), e.getValue().trim());
      }
    }
    Duration resolveAfter = m.duration("resolve_after", def.resolveAfter(), minimum);
    Duration quiet = m.duration("invariant_quiet_period", def.invariantQuietPeriod(), minimum);
    int groupAfter = m.integer("group_after", def.groupThreshold(), 1, 1_000_000);
    int examples = m.integer("example_keys", def.exampleKeys(), 0, 100);
    Duration update = m.duration("update_interval", def.updateInterval(), minimum);
    String generator = m.string("generator_url", null);
    YamlNode traceNode = m.get("trace_url");
    String trace = m.string("trace_url", null);
    if (trace != null && !trace.contains("{trace_id}")) {
      m.error(traceNode, m.path() + ".trace_url", "`" + trace + "` has no `{trace_id}` to fill in"
          + " (e.g. https://tempo.example/trace/{trace_id})");
      trace = null;
    }
    String eventsHint = m.string("events_hint", def.eventsHint());
    m.finish();
    return new AlertSettings(severity, severities, resolveAfter, quiet, groupAfter, examples,
        update, generator, trace, eventsHint.isBlank() ? def.eventsHint() : eventsHint);
  }

  private SourcesConfig sources(MapReader m) {
    if (m == null) {
      return new SourcesConfig(List.of(), false, null, null, null);
    }
    List<FileSource> files = new ArrayList<>();
    for (MapReader f : m.maps("files")) {
      Path path = f.requiredString("path", "the JSONL file to read") == null ? null : f.path("path", null);
      boolean follow = f.bool("follow", true);
      f.finish();
      if (path != null) {
        files.add(new FileSource(path, follow));
      }
    }
    boolean stdin = m.bool("stdin", false);
    KafkaSource kafka = null;
    MapReader k = m.map("kafka");
    if (k != null) {
      kafka = kafkaSource(k);
    }
    OtlpSource otlp = null;
    MapReader o = m.map("otlp");
    if (o != null) {
      otlp = new OtlpSource(o.string("host", LOOPBACK), o.port("http_port", 4318), o.port("grpc_port", 4317),
          receiver(o));
      o.finish();
    }
    HttpSource http = null;
    MapReader h = m.map("http");
    if (h != null) {
      http = new HttpSource(h.string("host", LOOPBACK), h.port("port", 8080), receiver(h));
      h.finish();
    }
    m.finish();
    return new SourcesConfig(files, stdin, kafka, otlp, http);
  }

  /**
   * {@code sources.kafka}: the Kafka source's settings, one to one (docs/kafka.md section 1).
   * The commit interval stays under half the transaction timeout specwatch gives its producer
   * (10 s): a transaction open longer is aborted by the broker, and the member would fail over
   * and over.
   */
  private static KafkaSource kafkaSource(MapReader k) {
    String bootstrap = k.requiredString("bootstrap_servers", "host:port of one or more brokers");
    List<String> topics = k.strings("topics");
    String pattern = k.string("topic_pattern", null);
    if (topics.isEmpty() == (pattern == null)) {
      k.error(k.node(), k.path() + ".topics", topics.isEmpty()
          ? "missing: at least one topic to consume (topics), or a regular expression"
              + " (topic_pattern)"
          : "give topics or topic_pattern, not both");
    }
    if (pattern != null) {
      try {
        java.util.regex.Pattern.compile(pattern);
      } catch (java.util.regex.PatternSyntaxException e) {
        k.error(k.get("topic_pattern"), k.path() + ".topic_pattern",
            "`" + pattern + "` is not a regular expression: " + e.getDescription());
      }
    }
    String group = k.string("group_id", "specwatch");
    StartPosition start = k.choice("start_position", StartPosition.COMMITTED);
    GroupProtocol protocol = k.choice("group_protocol", GroupProtocol.CLASSIC);
    Map<String, String> properties = clientProperties(k, SOURCE_OWN_KEYS);
    KafkaClientSettings.checkSource(k, properties);
    Duration commit = k.duration("commit_interval", KafkaSource.DEFAULT_COMMIT_INTERVAL,
        Duration.ofMillis(1), Duration.ofSeconds(5));
    Duration checkpoint = k.duration("checkpoint_interval", KafkaSource.DEFAULT_CHECKPOINT_INTERVAL,
        Duration.ofMillis(100));
    String changelog = k.string("changelog_topic", null);
    int changelogPartitions = k.integer("changelog_partitions", 4, 1, 10_000);
    short replication = (short) k.integer("replication_factor", 1, 1, Short.MAX_VALUE);
    String transactionalId = k.string("transactional_id", null);
    int applyThreads = k.integer("apply_threads", 0, 0, 256);
    Duration idle = k.duration("idle_partition_timeout", Duration.ZERO, Duration.ZERO);
    boolean repartition = k.bool("repartition", false);
    int repartitionPartitions = k.integer("repartition_partitions", 4, 1, 10_000);
    k.finish();
    return new KafkaSource(bootstrap, topics, pattern, group, start, protocol, properties, commit,
        checkpoint, changelog, changelogPartitions, replication, transactionalId, applyThreads,
        idle,
        repartition, repartitionPartitions);
  }

  /**
   * The Kafka source must not read the topics it writes: its violations would come back as
   * documents (and make more), and with repartition on, the first stage would copy its own
   * copies without end. A pattern such as {@code audit.*} with the group {@code audit-monitor}
   * is enough to do it.
   */
  private static void refuseOwnTopicsAsInput(MapReader top, KafkaSource k, KafkaSink sink) {
    if (sink != null && sink.topic() == null || k.groupId() == null) {
      return; // the missing setting is reported where it was read
    }
    List<String> own = KafkaSourceConfig.ownTopics(k.groupId(),
        sink != null ? sink.topic() : k.groupId() + ".violations", k.changelogTopic(),
        k.repartition());
    java.util.regex.Pattern pattern = null;
    if (k.topicPattern() != null) {
      try {
        pattern = java.util.regex.Pattern.compile(k.topicPattern());
      } catch (java.util.regex.PatternSyntaxException e) {
        return; // reported where it was read
      }
    }
    List<String> read = new ArrayList<>();
    for (String topic : own) {
      if (k.topics().contains(topic) || pattern != null && pattern.matcher(topic).matches()) {
        read.add("`" + topic + "`");
      }
    }
    if (!read.isEmpty()) {
      String key = pattern != null ? "topic_pattern" : "topics";
      YamlNode kafkaNode = top.get("sources").entries().get("kafka");
      top.error(kafkaNode.entries().getOrDefault(key, kafkaNode), "sources.kafka." + key,
          "includes " + String.join(", ", read) + ", written by specwatch itself (violations,"
          + " changelog, repartition): it would read its own output; narrow the "
          + (pattern != null ? "pattern" : "list") + " or rename the group or topic");
    }
  }

  /**
   * Client properties that have their own key here, or that specwatch's guarantees rest on: a
   * second place to set them would be a second truth (a {@code group.id} unlike {@code group_id}
   * would read one group's offsets and write another's changelog).
   */
  private static final Map<String, String> SOURCE_OWN_KEYS = Map.ofEntries(
      Map.entry("bootstrap.servers", "set bootstrap_servers instead"),
      Map.entry("group.id", "set group_id instead"),
      Map.entry("group.protocol", "set group_protocol instead"),
      Map.entry("transactional.id", "set transactional_id instead"),
      Map.entry("auto.offset.reset", "set start_position instead"),
      Map.entry("enable.auto.commit", "offsets are committed in specwatch's transactions"),
      Map.entry("isolation.level", "specwatch reads read_committed, or it would apply records of "
          + "aborted transactions"),
      Map.entry("transaction.timeout.ms", "commit_interval is bounded by the 10 s specwatch sets"),
      Map.entry("acks", "transactions need acks=all"),
      Map.entry("enable.idempotence", "transactions need an idempotent producer"),
      Map.entry("key.deserializer", "specwatch reads the bytes itself"),
      Map.entry("value.deserializer", "specwatch reads the bytes itself"),
      Map.entry("key.serializer", "specwatch writes the bytes itself"),
      Map.entry("value.serializer", "specwatch writes the bytes itself"));
  private static final Map<String, String> SINK_OWN_KEYS = Map.of(
      "bootstrap.servers", "set bootstrap_servers instead",
      "key.serializer", "the sink writes the bytes itself",
      "value.serializer", "the sink writes the bytes itself",
      "transactional.id", "the sink's producer is not transactional (the Kafka source's is)",
      "enable.idempotence", "the sink's producer is idempotent, so its retries never duplicate",
      "acks", "the sink waits for all in-sync replicas (acks=all), so an acknowledged violation is"
          + " not lost");

  /**
   * {@code properties}: Kafka client settings passed unchanged. Values are never echoed in an
   * error, since they may be passwords ({@code sasl.jaas.config}).
   */
  private static Map<String, String> clientProperties(MapReader k, Map<String, String> ownKeys) {
    Map<String, String> properties = k.stringMap("properties");
    YamlNode node = k.get("properties");
    for (String key : properties.keySet()) {
      String why = ownKeys.get(key);
      if (why != null) {
        k.error(node.keyNode(key), k.path() + ".properties." + key, "not settable here: " + why);
      }
    }
    properties.keySet().removeAll(ownKeys.keySet());
    return properties;
  }

  /** The request settings both receivers share: token, body limits, threads, retry, commit. */
  private static ReceiverSettings receiver(MapReader m) {
    ReceiverSettings def = ReceiverSettings.defaults();
    String token = m.string("token", null);
    int request = (int) m.bytes("max_request_bytes", def.maxRequestBytes(), 1, MAX_RECEIVER_BODY);
    YamlNode inflatedNode = m.get("max_decompressed_bytes");
    // Unset, it grows with max_request_bytes (4x, as the defaults) so raising one limit is enough.
    long inflatedDefault = Math.min(MAX_RECEIVER_BODY, Math.max(def.maxDecompressedBytes(), 4L * request));
    int inflated = (int) m.bytes("max_decompressed_bytes", inflatedDefault, 1, MAX_RECEIVER_BODY);
    if (inflated < request) {
      m.error(inflatedNode, m.path() + ".max_decompressed_bytes", "`" + inflated
          + "` is below max_request_bytes (" + request + "): a body that fits as sent would not fit inflated");
      inflated = request;
    }
    int threads = m.integer("threads", def.threads(), 1, 256);
    Duration retryAfter = m.duration("retry_after", def.retryAfter(), Duration.ofSeconds(1));
    Duration commitTimeout = m.duration("commit_timeout", def.commitTimeout(), Duration.ZERO);
    return new ReceiverSettings(token, request, inflated, threads, retryAfter, commitTimeout);
  }

  private SinksConfig sinks(MapReader m) {
    if (m == null) {
      return new SinksConfig(List.of(new JsonlSink(null)), null, List.of(), null);
    }
    List<JsonlSink> jsonl = new ArrayList<>();
    for (MapReader j : m.maps("jsonl")) {
      String p = j.requiredString("path", "a file to append to, or `-` for standard output");
      if (p != null) {
        jsonl.add(new JsonlSink(p.equals("-") ? null : j.path("path", null)));
      }
      j.finish();
    }
    AlertmanagerSink am = null;
    MapReader a = m.map("alertmanager");
    if (a != null) {
      List<URI> urls = new ArrayList<>();
      YamlNode urlsNode = a.get("urls");
      List<String> texts = a.strings("urls");
      for (String u : texts) {
        URI uri = a.url(a.path() + ".urls", urlsNode, u);
        if (uri != null) {
          urls.add(uri);
        }
      }
      if (texts.isEmpty()) {
        a.error(a.node(), a.path() + ".urls", "missing: at least one Alertmanager URL (e.g. http://127.0.0.1:9093)");
      }
      am = new AlertmanagerSink(urls, a.duration("resend_interval", Duration.ofMinutes(1), Duration.ofSeconds(1)),
          a.duration("timeout", Duration.ofSeconds(10), Duration.ofMillis(100)));
      a.finish();
    }
    List<WebhookSink> hooks = new ArrayList<>();
    for (MapReader w : m.maps("webhook")) {
      URI url = w.has("url") ? w.url("url") : null;
      if (!w.has("url")) {
        w.error(w.node(), w.path() + ".url", "missing: the URL to POST violations to");
      }
      hooks.add(new WebhookSink(url, w.string("hmac_secret", null)));
      w.finish();
    }
    KafkaSink kafka = null;
    MapReader k = m.map("kafka");
    if (k != null) {
      Map<String, String> properties = clientProperties(k, SINK_OWN_KEYS);
      KafkaClientSettings.checkSink(k, properties);
      kafka = new KafkaSink(k.requiredString("bootstrap_servers", "host:port of one or more brokers"),
          k.requiredString("topic", "the topic to write violations to"), properties);
      k.finish();
    }
    m.finish();
    if (jsonl.isEmpty() && am == null && hooks.isEmpty() && kafka == null) {
      jsonl.add(new JsonlSink(null));
    }
    return new SinksConfig(jsonl, am, hooks, kafka);
  }

  private Admin admin(MapReader m) {
    if (m == null) {
      return new Admin(true, LOOPBACK, DEFAULT_ADMIN_PORT);
    }
    Admin admin = new Admin(m.bool("enabled", true), m.string("host", LOOPBACK), m.port("port", DEFAULT_ADMIN_PORT));
    m.finish();
    return admin;
  }

  private State state(MapReader m, Path base) {
    Path defaultDir = base.resolve("specwatch-state");
    if (m == null) {
      return new State(defaultDir, Duration.ofSeconds(10));
    }
    State s = new State(m.path("directory", defaultDir),
        m.duration("interval", Duration.ofSeconds(10), Duration.ofMillis(100)));
    m.finish();
    return s;
  }

  private Limits limits(MapReader m) {
    Limits def = new Limits(1 << 20, 500, 1 << 14, 1, Limits.AUTO);
    if (m == null) {
      return def;
    }
    int maxBytes = (int) m.bytes("max_document_bytes", def.maxDocumentBytes(), 1, 64L << 20);
    int depth = m.integer("max_nesting_depth", def.maxNestingDepth(), 1, 10_000);
    YamlNode ringNode = m.get("ring_size");
    int ring = m.integer("ring_size", def.ringSize(), 2, 1 << 24);
    if (ringNode != null && Integer.bitCount(ring) != 1) {
      m.error(ringNode, m.path() + ".ring_size", "`" + ring + "` is not a power of two: allowed 2, 4, ... 16777216");
      ring = def.ringSize();
    }
    int evaluators = m.integer("evaluators", def.evaluators(), 1, 256);
    long live = cap(m, "max_live_instances", "instances");
    long ids = cap(m, "max_dedupe_ids", "event ids");
    m.finish();
    return new Limits(maxBytes, depth, ring, evaluators, live, ids);
  }

  /** {@code auto} (the default), 0 (no cap) or a positive cap per spec, of {@code what}. */
  private static long cap(MapReader m, String key, String what) {
    YamlNode node = m.get(key);
    String text = m.string(key, "auto").trim();
    if (text.equals("auto")) {
      return Limits.AUTO;
    }
    try {
      long v = Long.parseLong(text);
      if (v >= 0) {
        return v;
      }
    } catch (NumberFormatException e) {
      // reported below
    }
    m.error(node, m.path() + "." + key, "`" + text + "` is not a cap: allowed `auto` "
        + "(from the heap), 0 (no cap) or a whole number of " + what + " per spec");
    return Limits.AUTO;
  }

  private Reload reload(MapReader m) {
    if (m == null) {
      return new Reload(true);
    }
    Reload r = new Reload(m.bool("watch", true));
    m.finish();
    return r;
  }
}
