package io.specwatch.cli.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.specwatch.cli.config.ConfigException;
import io.specwatch.cli.config.ConfigReader;
import io.specwatch.cli.config.DaemonConfig;
import io.specwatch.spec.CompileResult;
import io.specwatch.spec.SourceFile;
import io.specwatch.spec.SpecCompiler;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The packaging files hold together: each Kubernetes manifest parses, its specwatch container
 * runs the config file its ConfigMap holds, that config is valid (with the container's
 * environment), its specs are in the ConfigMap and compile, the probes hit the admin port and
 * paths the config serves, and the state directory is on a writable volume. The systemd unit
 * runs the same command, reloads with SIGHUP and waits long enough for a clean stop.
 */
class PackagingTest {
  private static final Path DEPLOY = locate();
  private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
  private static final Pattern ENV_REF = Pattern.compile("\\$\\{([A-Za-z_][A-Za-z0-9_]*)(:-[^}]*)?}");

  private static Path locate() {
    Path here = Path.of("").toAbsolutePath();
    return Files.isDirectory(here.resolve("kubernetes")) ? here : here.resolve("deploy");
  }

  private static List<JsonNode> documents(Path file) throws IOException {
    List<JsonNode> docs = new ArrayList<>();
    try (var it = YAML.readerFor(JsonNode.class).readValues(Files.readString(file))) {
      while (it.hasNext()) {
        docs.add((JsonNode) it.next());
      }
    }
    return docs;
  }

  private static JsonNode kind(List<JsonNode> docs, String kind) {
    return docs.stream().filter(d -> d.path("kind").asText().equals(kind)).findFirst()
        .orElseThrow(() -> new AssertionError("no " + kind));
  }

  @ParameterizedTest
  @ValueSource(strings = {"sidecar.yaml", "consumer-group.yaml"})
  void aManifestsSpecwatchContainerRunsAValidConfigFromItsConfigMap(String name) throws Exception {
    List<JsonNode> docs = documents(DEPLOY.resolve("kubernetes").resolve(name));
    JsonNode configMap = kind(docs, "ConfigMap");
    JsonNode pod = kind(docs, "Deployment").path("spec").path("template").path("spec");
    JsonNode container = null;
    for (JsonNode c : pod.path("containers")) {
      if (c.path("name").asText().equals("specwatch")) {
        container = c;
      }
    }
    assertNotNull(container, "a container named specwatch");

    // The config file named on the command line is a key of the mounted ConfigMap.
    List<String> args = new ArrayList<>();
    container.path("args").forEach(a -> args.add(a.asText()));
    assertEquals("run", args.get(0));
    Path configPath = Path.of(args.get(args.indexOf("--config") + 1));
    Map<String, String> mounts = new HashMap<>();
    Map<String, Boolean> readOnly = new HashMap<>();
    for (JsonNode m : container.path("volumeMounts")) {
      mounts.put(m.path("name").asText(), m.path("mountPath").asText());
      readOnly.put(m.path("name").asText(), m.path("readOnly").asBoolean(false));
    }
    String configVolume = null;
    for (JsonNode v : pod.path("volumes")) {
      if (v.path("configMap").path("name").asText().equals(configMap.path("metadata").path("name").asText())) {
        configVolume = v.path("name").asText();
      }
    }
    assertNotNull(configVolume, "the ConfigMap is a volume of the pod");
    assertEquals(Path.of(mounts.get(configVolume)), configPath.getParent(), "the config is read from the ConfigMap's mount");
    String configText = configMap.path("data").path(configPath.getFileName().toString()).asText(null);
    assertNotNull(configText, "the ConfigMap has the key " + configPath.getFileName());

    // Every ${VAR} the config uses is set in the container's environment.
    Map<String, String> env = new HashMap<>();
    container.path("env").forEach(e -> env.put(e.path("name").asText(), e.path("value").asText()));
    Matcher m = ENV_REF.matcher(configText);
    while (m.find()) {
      assertTrue(m.group(2) != null || env.containsKey(m.group(1)), "${" + m.group(1) + "} is set in the container");
    }
    DaemonConfig config = new ConfigReader(env).read(configPath, configText);

    // Its specs are keys of the same ConfigMap, and they compile.
    for (Path spec : config.specs()) {
      assertEquals(configPath.getParent(), spec.getParent(), spec + " is in the ConfigMap's folder");
      String source = configMap.path("data").path(spec.getFileName().toString()).asText(null);
      assertNotNull(source, "the ConfigMap has the spec " + spec.getFileName());
      CompileResult compiled = SpecCompiler.compile(List.of(new SourceFile(spec.toString(), source)));
      assertTrue(compiled.ok(), () -> compiled.diagnostics().toString());
    }

    // Probes hit what the admin endpoint serves, on the container port that is the admin port.
    assertTrue(config.admin().enabled());
    assertEquals("0.0.0.0", config.admin().host(), "the kubelet probes the pod IP");
    Map<String, Integer> ports = new HashMap<>();
    container.path("ports").forEach(p -> ports.put(p.path("name").asText(), p.path("containerPort").asInt()));
    JsonNode readiness = container.path("readinessProbe").path("httpGet");
    JsonNode liveness = container.path("livenessProbe").path("httpGet");
    assertEquals("/readyz", readiness.path("path").asText());
    assertEquals("/healthz", liveness.path("path").asText());
    for (JsonNode probe : List.of(readiness, liveness)) {
      JsonNode port = probe.path("port");
      int number = port.isInt() ? port.asInt() : ports.getOrDefault(port.asText(), -1);
      assertEquals(config.admin().port(), number, "probe port");
    }
    JsonNode annotations = kind(docs, "Deployment").path("spec").path("template").path("metadata").path("annotations");
    assertEquals(String.valueOf(config.admin().port()), annotations.path("prometheus.io/port").asText());

    // The state directory is on a writable volume.
    boolean writable = false;
    for (Map.Entry<String, String> mount : mounts.entrySet()) {
      if (config.state().directory().startsWith(mount.getValue()) && !readOnly.get(mount.getKey())) {
        writable = true;
      }
    }
    assertTrue(writable, "state.directory " + config.state().directory() + " is on a writable mount");

    // A clean stop fits in the grace period.
    long grace = pod.path("terminationGracePeriodSeconds").asLong(30);
    assertTrue(config.shutdownTimeout().toSeconds() < grace, "shutdown_timeout < terminationGracePeriodSeconds");
  }

  @Test
  void theSidecarSendsOtlpOverLocalhostToThePortSpecwatchListensOn() throws Exception {
    List<JsonNode> docs = documents(DEPLOY.resolve("kubernetes/sidecar.yaml"));
    JsonNode pod = kind(docs, "Deployment").path("spec").path("template").path("spec");
    assertEquals(2, pod.path("containers").size(), "the service and specwatch in one pod");
    String endpoint = null;
    for (JsonNode e : pod.path("containers").get(0).path("env")) {
      if (e.path("name").asText().equals("OTEL_EXPORTER_OTLP_ENDPOINT")) {
        endpoint = e.path("value").asText();
      }
    }
    String configText = kind(docs, "ConfigMap").path("data").path("specwatch.yaml").asText();
    DaemonConfig config = new ConfigReader(Map.of("ALERTMANAGER_URL", "http://am:9093"))
        .read(Path.of("/etc/specwatch/specwatch.yaml"), configText);
    assertEquals("127.0.0.1", config.sources().otlp().host());
    assertEquals("http://127.0.0.1:" + config.sources().otlp().httpPort(), endpoint);
  }

  @Test
  void theConsumerGroupRunsSeveralReplicasOnAKafkaSource() throws Exception {
    List<JsonNode> docs = documents(DEPLOY.resolve("kubernetes/consumer-group.yaml"));
    assertTrue(kind(docs, "Deployment").path("spec").path("replicas").asInt() > 1);
    String configText = kind(docs, "ConfigMap").path("data").path("specwatch.yaml").asText();
    DaemonConfig config = new ConfigReader(Map.of("KAFKA_BOOTSTRAP_SERVERS", "k:9092"))
        .read(Path.of("/etc/specwatch/specwatch.yaml"), configText);
    assertNotNull(config.sources().kafka());
    assertFalse(config.sources().kafka().groupId().isBlank());
  }

  @Test
  void theSystemdUnitRunsTheDaemonReloadsWithHupAndWaitsForACleanStop() throws Exception {
    Map<String, String> unit = new HashMap<>();
    for (String line : Files.readAllLines(DEPLOY.resolve("systemd/specwatch.service"))) {
      int eq = line.indexOf('=');
      if (!line.startsWith("#") && eq > 0) {
        unit.putIfAbsent(line.substring(0, eq), line.substring(eq + 1));
      }
    }
    assertTrue(unit.get("ExecStart").matches(".*java .*-jar \\S+specwatch\\.jar run --config /etc/specwatch/specwatch\\.yaml"),
        unit.get("ExecStart"));
    assertEquals("/bin/kill -HUP $MAINPID", unit.get("ExecReload"));
    assertEquals("SIGTERM", unit.get("KillSignal"));
    long timeoutStop = Long.parseLong(unit.get("TimeoutStopSec").replace("s", ""));
    assertTrue(timeoutStop > 30, "TimeoutStopSec above the default shutdown_timeout of 30s");
    assertEquals("yes", unit.get("DynamicUser"));
    assertEquals("2", unit.get("RestartPreventExitStatus"), "a config error is not retried");
    assertEquals("specwatch", unit.get("StateDirectory"));
  }

  @Test
  void theExampleConfigurationIsValidAndNeedsOnlyASpecAndAFile() throws Exception {
    Path example = DEPLOY.getParent().resolve("examples/daemon/specwatch.yaml");
    DaemonConfig config = new ConfigReader(Map.of()).read(example);
    assertEquals(1, config.specs().size());
    assertTrue(Files.exists(config.specs().get(0)), config.specs().get(0).toString());
    assertTrue(Files.exists(config.sources().files().get(0).path()));
  }

  @Test
  void theSecuredKafkaExampleIsValidAndTakesItsPasswordsFromTheEnvironment() throws Exception {
    Path example = DEPLOY.getParent().resolve("examples/kafka-secured/specwatch.yaml");
    DaemonConfig config = new ConfigReader(Map.of("KAFKA_PASSWORD", "pw-1",
        "KAFKA_TRUSTSTORE_PASSWORD", "pw-2")).read(example);
    assertTrue(Files.exists(config.specs().get(0)), config.specs().get(0).toString());
    assertEquals("SASL_SSL", config.sources().kafka().properties().get("security.protocol"));
    assertTrue(config.sources().kafka().properties().get("sasl.jaas.config").contains("password=\"pw-1\""));
    assertEquals("pw-2", config.sources().kafka().properties().get("ssl.truststore.password"));
    // The sink's own producer gets only its own properties: the same security settings.
    assertEquals("SASL_SSL", config.sinks().kafka().properties().get("security.protocol"));
    assertTrue(config.sinks().kafka().properties().get("sasl.jaas.config").contains("password=\"pw-1\""));
    ConfigException unset = assertThrows(ConfigException.class,
        () -> new ConfigReader(Map.of("KAFKA_TRUSTSTORE_PASSWORD", "pw-2")).read(example));
    assertTrue(unset.getMessage().contains("KAFKA_PASSWORD"), unset.getMessage());
  }

  @Test
  void theSidecarExampleConfigurationIsValidAndTakesItsTokenFromTheEnvironment() throws Exception {
    Path example = DEPLOY.getParent().resolve("examples/checkout-sidecar/specwatch.yaml");
    DaemonConfig config =
        new ConfigReader(Map.of("SPECWATCH_INGEST_TOKEN", "s3cret")).read(example);
    assertEquals(1, config.specs().size());
    assertTrue(Files.exists(config.specs().get(0)), config.specs().get(0).toString());
    assertNotNull(config.sources().otlp(), "the sidecar receives OTLP");
    assertEquals("127.0.0.1", config.sources().otlp().host());
    // Without the variable it must refuse to start rather than run unauthenticated.
    ConfigException unset = assertThrows(ConfigException.class,
        () -> new ConfigReader(Map.of()).read(example));
    assertTrue(unset.getMessage().contains("SPECWATCH_INGEST_TOKEN"), unset.getMessage());
  }
}
