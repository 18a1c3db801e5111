package io.specwatch.cli.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.specwatch.core.LinePosition;
import io.specwatch.core.Violation;
import io.specwatch.core.engine.Monitor;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The three outcomes of a spec reload, on a monitor loop driven from the test thread (the loop
 * is not started, so the test plays the monitor thread). An order is placed and paid, then the
 * spec is reloaded, then the order ships: shipping is allowed only from Paid, so whether the
 * instance survived the reload decides whether a violation is raised.
 */
class SpecReloadTest {
  static final String ORDERS = """
      spec orders
      input { time at; id event_id }
      entity Order key order_id {
        status: enum { Placed, Paid, Shipped } = Placed
        total: int
        ends when status == Shipped
      }
      event placed  for Order when type == "placed" { total: int }
      event paid    for Order when type == "paid"
      event shipped for Order when type == "shipped"
      on placed(e) { total = e.total }
      /// Payment happens once, on a placed order.
      on paid requires status == Placed { status = Paid }
      /// Only a paid order ships.
      on shipped requires status == Paid { status = Shipped }
      """;

  @TempDir
  Path dir;

  private Path spec;
  private final List<Violation> violations = new ArrayList<>();
  private final ByteArrayOutputStream logBytes = new ByteArrayOutputStream();
  private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
  private final DaemonMeters metrics = new DaemonMeters(registry);
  private MonitorLoop loop;
  private SpecReload reload;
  private long line;

  @BeforeEach
  void placeAndPayAnOrder() throws Exception {
    spec = dir.resolve("orders.sw");
    Files.writeString(spec, ORDERS);
    SpecLoader loader = new SpecLoader(List.of(spec));
    SpecLoader.Loaded loaded = loader.load();
    assertTrue(loaded.ok(), loaded::diagnostics);
    loop = new MonitorLoop(new Monitor(loaded.programs()), Map.of(), 16, 500, violations::add, () -> { });
    reload = new SpecReload(loader, loop, metrics, new PrintStream(logBytes, true, StandardCharsets.UTF_8));
    feed("{\"event_id\":\"1\",\"type\":\"placed\",\"at\":1000,\"order_id\":\"o-1\",\"total\":5}");
    feed("{\"event_id\":\"2\",\"type\":\"paid\",\"at\":2000,\"order_id\":\"o-1\"}");
    assertEquals(List.of(), violations);
  }

  private void feed(String json) {
    byte[] b = json.getBytes(StandardCharsets.UTF_8);
    loop.monitor().accept(b, 0, b.length, new LinePosition(++line), violations::add);
  }

  private void ship() {
    feed("{\"event_id\":\"3\",\"type\":\"shipped\",\"at\":3000,\"order_id\":\"o-1\"}");
  }

  private String log() {
    return logBytes.toString(StandardCharsets.UTF_8);
  }

  @Test
  void aSpecWhoseLayoutIsUnchangedKeepsItsInstances() throws Exception {
    // A new doc comment and a handler that now also checks the total: same entities, same state.
    Files.writeString(spec, ORDERS.replace("/// Only a paid order ships.",
        "/// Only a paid order with a total ships.").replace("requires status == Paid",
        "requires status == Paid, total > 0"));
    reload.run();
    assertEquals(1, metrics.reloads("orders", "kept"));
    assertTrue(log().contains("specs reloaded: orders kept"), log());
    ship();
    assertEquals(List.of(), violations, "the paid order was kept, so it may ship");
  }

  @Test
  void aSpecWhoseLayoutChangedStartsItsInstancesAfreshAndSaysSo() throws Exception {
    Files.writeString(spec, ORDERS.replace("total: int\n", "total: int\n  note: string\n"));
    reload.run();
    assertEquals(1, metrics.reloads("orders", "restarted"));
    assertTrue(log().contains("spec `orders` changed its state layout; its instances start afresh"), log());
    assertTrue(registry.scrape().contains(
        "specwatch_spec_reloads_total{outcome=\"restarted\",spec=\"orders\"} 1"), registry::scrape);
    ship();
    assertEquals(1, violations.size(), "a fresh instance is Placed, and Placed orders do not ship");
    assertEquals("shipped", violations.get(0).rule());
  }

  @Test
  void aSpecThatDoesNotCompileIsRejectedWithItsDiagnosticsAndTheRunningOneStays() throws Exception {
    Monitor running = loop.monitor();
    Files.writeString(spec, ORDERS.replace("requires status == Paid", "requires status == Payd"));
    reload.run();
    assertSame(running, loop.monitor());
    assertEquals(1, metrics.reloads("orders", "rejected"));
    assertTrue(log().contains(spec + ":15:"), log());
    assertTrue(log().contains("unknown name `Payd` (did you mean `Paid`?)"), log());
    assertTrue(log().contains("reload rejected"), log());
    ship();
    assertEquals(List.of(), violations, "the running spec, with its instances, still judges");
  }
}
