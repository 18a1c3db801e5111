package io.specwatch.ingest.kafka;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.ExecutionException;
import org.apache.kafka.common.errors.ProducerFencedException;
import org.apache.kafka.common.errors.SaslAuthenticationException;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.common.errors.TopicAuthorizationException;
import org.apache.kafka.common.errors.TransactionalIdAuthorizationException;
import org.junit.jupiter.api.Test;

/** What the member's failure warning adds for failures an operator fixes in the settings. */
class MemberFailureHintTest {
  @Test
  void settingsFailuresGetARemedyWrappedOrNot() {
    assertTrue(KafkaSource.hint(new ProducerFencedException("x"), "g-1")
        .contains("another live process uses the transactional id g-1"));
    assertTrue(KafkaSource.hint(new SaslAuthenticationException("x"), "g-1")
        .contains("refused the credentials"));
    String perm = KafkaSource.hint(new ExecutionException(new TopicAuthorizationException("x")), "g-1");
    assertTrue(perm.contains("lacks a permission") && perm.contains("docs/kafka.md section 1"), perm);
    assertTrue(KafkaSource.hint(new TransactionalIdAuthorizationException("x"), "g-1")
        .contains("lacks a permission"));
    assertTrue(KafkaSource.hint(new org.apache.kafka.common.KafkaException("Failed to construct",
        new org.apache.kafka.common.config.ConfigException("security.protocol", "X")), "g-1")
        .contains("a Kafka client setting is invalid"));
  }

  @Test
  void anOutageGetsNoHint() {
    assertEquals("", KafkaSource.hint(new TimeoutException("broker down"), "g-1"));
    assertEquals("", KafkaSource.hint(new IllegalStateException("x", new RuntimeException()), "g-1"));
  }
}
