package io.specwatch.ingest.kafka;

import java.util.List;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.DescribeTopicsOptions;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.errors.TopicAuthorizationException;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;

/**
 * Creates the topics specwatch needs (changelog, violations, repartition) only when they are
 * absent. Asking first matters on a locked-down cluster: there the platform team creates the
 * topics and applications get no Create permission, and a broker refuses CreateTopics for lack
 * of it before it looks at whether the topic exists, so "create, and ignore TopicExists" failed
 * for a topic that was there all along.
 */
final class KafkaTopics {
  private KafkaTopics() {}

  /**
   * A topic just created is not described by every part of the broker at once; a caller that
   * describes it next (the repartition stage checks its partition count) would fail and cost a
   * rebuild with a warning. Bounded: after 30 s the caller's own describe says what is wrong.
   */
  private static void awaitDescribed(Admin admin, String name) throws InterruptedException {
    long deadline = System.nanoTime() + java.time.Duration.ofSeconds(30).toNanos();
    while (System.nanoTime() < deadline) {
      int left = (int) Math.max(1, (deadline - System.nanoTime()) / 1_000_000);
      try {
        admin.describeTopics(List.of(name), new DescribeTopicsOptions().timeoutMs(left))
            .allTopicNames().get();
        return;
      } catch (ExecutionException e) {
        if (!(e.getCause() instanceof UnknownTopicOrPartitionException)) {
          return; // a timeout or another error: the caller's own describe reports it
        }
      }
      Thread.sleep(50); // metadata propagation of a new topic; bounded by the deadline
    }
  }

  /**
   * Makes sure {@code topic} exists: nothing when it does, else creates it (a concurrent creation
   * by another member counts as success).
   *
   * @throws ExecutionException with a {@link TopicAuthorizationException} naming the topic and
   *     the remedies when it is absent (or not visible) and may not be created
   */
  static void ensure(Admin admin, NewTopic topic) throws InterruptedException, ExecutionException {
    String name = topic.name();
    try {
      admin.describeTopics(List.of(name)).allTopicNames().get();
      return;
    } catch (ExecutionException e) {
      // Absent, or not visible to this principal (a broker hides topics one may not describe).
      if (!(e.getCause() instanceof UnknownTopicOrPartitionException)
          && !(e.getCause() instanceof TopicAuthorizationException)) {
        throw e;
      }
    }
    try {
      admin.createTopics(List.of(topic)).all().get();
      awaitDescribed(admin, name);
    } catch (ExecutionException e) {
      if (e.getCause() instanceof TopicExistsException) {
        return;
      }
      if (e.getCause() instanceof TopicAuthorizationException) {
        throw new ExecutionException(new TopicAuthorizationException("topic " + name
            + " does not exist, or this principal may not describe it, and it may not create it:"
            + " create the topic beforehand (docs/kafka.md section 1) or grant Create and Describe"
            + " on it"));
      }
      throw e;
    }
  }
}
