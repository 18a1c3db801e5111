package io.specwatch.ingest.kafka;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.specwatch.core.Violation;
import io.specwatch.core.engine.Monitor;
import io.specwatch.core.program.Program;
import io.specwatch.spec.CompileResult;
import io.specwatch.spec.SourceFile;
import io.specwatch.spec.SpecCompiler;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.record.TimestampType;
import org.junit.jupiter.api.Test;

/** Record key, headers and coordinates reach specs under {@code _kafka}, and only when used. */
class KafkaEnvelopeTest {
  private static final String SPEC = """
      spec tenants
      input { time ts }
      entity Tenant key _kafka.key {
        logins: int
        region: string
      }
      event login for Tenant when type == "login" and _kafka.headers["source"] == "sso" {
        region: string = _kafka.headers["region"]
        partition: int = _kafka.partition
      }
      /// Tenants log in from one region only.
      on login(e) requires region == "" or region == e.region { region = e.region; logins += 1 }
      """;

  @Test
  void keyHeadersAndCoordinatesArePathsUnderKafka() {
    List<Program> programs = compile(SPEC);
    KafkaEnvelope envelope = new KafkaEnvelope(programs);
    assertTrue(envelope.needed());
    Monitor m = new Monitor(programs);
    List<Violation> out = new ArrayList<>();
    feed(m, envelope, record(0, "t-1", "{\"type\":\"login\",\"ts\":1000}", "sso", "eu"), out);
    feed(m, envelope, record(1, "t-1", " { \"type\":\"login\",\"ts\":2000 }", "sso", "eu"), out);
    feed(m, envelope, record(2, "t-1", "{\"type\":\"login\",\"ts\":3000}", "password", "us"), out);
    feed(m, envelope, record(3, "t-1", "{\"type\":\"login\",\"ts\":4000}", "sso", "us"), out);
    feed(m, envelope, record(4, "t-2", "{}", "sso", "us"), out);
    assertEquals(1, out.size(), out.toString());
    String v = out.get(0).toJson();
    assertTrue(v.contains("\"key\":\"t-1\""), v);
    assertTrue(v.contains("\"offset\":3"), v);
    assertTrue(v.contains("\"logins\":2,\"region\":\"eu\""), v);
  }

  @Test
  void withoutKafkaPathsTheValueIsUsedAsItIs() {
    List<Program> programs = compile(SPEC.replace("_kafka.key", "tenant")
        .replace(" and _kafka.headers[\"source\"] == \"sso\"", "")
        .replace("_kafka.headers[\"region\"]", "region").replace("_kafka.partition", "p"));
    KafkaEnvelope envelope = new KafkaEnvelope(programs);
    assertFalse(envelope.needed());
    ConsumerRecord<byte[], byte[]> r = record(0, "k", "{\"a\":1}", "sso", "eu");
    assertSame(r.value(), envelope.document(r));
    assertEquals(r.value().length, envelope.length());
  }

  private static void feed(Monitor m, KafkaEnvelope env, ConsumerRecord<byte[], byte[]> r,
      List<Violation> out) {
    byte[] doc = env.document(r);
    m.accept(doc, 0, env.length(), new KafkaPosition(r.topic(), r.partition(), r.offset()), out::add);
  }

  private static ConsumerRecord<byte[], byte[]> record(long offset, String key, String value,
      String source, String region) {
    RecordHeaders h = new RecordHeaders();
    h.add("source", source.getBytes(StandardCharsets.UTF_8));
    h.add("region", region.getBytes(StandardCharsets.UTF_8));
    return new ConsumerRecord<>("logins", 0, offset, 1L, TimestampType.CREATE_TIME, 0, 0,
        key.getBytes(StandardCharsets.UTF_8), value.getBytes(StandardCharsets.UTF_8), h,
        Optional.empty());
  }

  private static List<Program> compile(String text) {
    CompileResult r = SpecCompiler.compile(List.of(new SourceFile("t.sw", text)));
    assertTrue(r.ok(), r.diagnostics().toString());
    return r.programs();
  }
}
