package io.specwatch.ingest.kafka;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import org.junit.jupiter.api.Test;

class SecretTextTest {
  @Test
  void passwordsAndJaasOptionValuesAreHiddenButTheStructureStays() {
    Map<String, String> props = Map.of(
        "sasl.jaas.config", "org.apache.kafka.common.security.plain.PlainLoginModule required "
            + "username=\"monitor\" password=my secret;",
        "ssl.truststore.password", "tru5tme",
        "security.protocol", "SASL_SSL");
    String message = "Value not specified for key 'secret' in JAAS config "
        + "org.apache.kafka.common.security.plain.PlainLoginModule required username=\"monitor\"; "
        + "truststore tru5tme; protocol SASL_SSL";
    String out = SecretText.redact(message, props);
    assertFalse(out.contains("secret'") || out.contains("monitor") || out.contains("tru5tme"), out);
    assertTrue(out.contains("PlainLoginModule required username="), "the structure stays: " + out);
    assertTrue(out.contains("protocol SASL_SSL"), "not a secret: " + out);
  }

  @Test
  void nothingToHideLeavesTheMessageAlone() {
    assertEquals("broker down", SecretText.redact("broker down", Map.of("linger.ms", "5")));
    assertEquals(null, SecretText.redact(null, Map.of()));
  }
}
