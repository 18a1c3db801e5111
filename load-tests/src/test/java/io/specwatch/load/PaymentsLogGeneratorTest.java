package io.specwatch.load;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.specwatch.load.model.MJson;
import io.specwatch.load.model.MTime;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PaymentsLogGeneratorTest {
  private static byte[] generate(PaymentsLogGenerator.Options o) throws Exception {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    PaymentsLogGenerator.write(o, out);
    return out.toByteArray();
  }

  @Test
  void sameOptionsSameBytes() throws Exception {
    PaymentsLogGenerator.Options o = new PaymentsLogGenerator.Options().lines(20_000).entities(300).seed(42);
    byte[] a = generate(o);
    assertArrayEquals(a, generate(o));
    assertFalse(java.util.Arrays.equals(a, generate(
        new PaymentsLogGenerator.Options().lines(20_000).entities(300).seed(43))));
    PaymentsLogGenerator.Options longLived = new PaymentsLogGenerator.Options().lines(20_000)
        .entities(300).seed(42).longLived(true);
    byte[] b = generate(longLived);
    assertArrayEquals(b, generate(longLived));
    assertFalse(java.util.Arrays.equals(a, b));
  }

  @Test
  void iteratorGivesExactlyTheRequestedLines() {
    PaymentsLogGenerator g = new PaymentsLogGenerator(
        new PaymentsLogGenerator.Options().lines(1234).entities(50).seed(1));
    int n = 0;
    while (g.hasNext()) {
      assertTrue(g.next().length > 0);
      n++;
    }
    assertEquals(1234, n);
    assertEquals(1234, g.truth().lines);
  }

  /** The log is what its documentation says: sizes, ids, times, lateness, faults as counted. */
  @Test
  void realisticLogWithCountedFaults() throws Exception {
    PaymentsLogGenerator.Options o = new PaymentsLogGenerator.Options().lines(60_000).entities(1000)
        .seed(7).faultRate(0.01);
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    PaymentsLogGenerator.Truth truth = PaymentsLogGenerator.write(o, out);
    List<String> lines = List.of(out.toString(StandardCharsets.UTF_8).split("\n"));
    assertEquals(60_000, lines.size());

    long bytes = 0;
    long notJson = 0;
    long badTime = 0;
    long maxTs = Long.MIN_VALUE;
    long late = 0;
    Map<String, Integer> idCount = new HashMap<>();
    Set<String> payments = new HashSet<>();
    Set<String> types = new HashSet<>();
    for (String line : lines) {
      bytes += line.length() + 1;
      Object doc;
      try {
        doc = MJson.parse(line);
      } catch (MJson.Bad e) {
        notJson++;
        continue;
      }
      Map<?, ?> m = (Map<?, ?>) doc;
      boolean resent = idCount.merge((String) m.get("event_id"), 1, Integer::sum) > 1;
      types.add((String) m.get("type"));
      if (m.get("payment_id") instanceof String p) {
        payments.add(p);
      }
      Long ts = MTime.of(m.get("ts"));
      if (ts == null) {
        badTime++;
        continue;
      }
      if (ts < maxTs && !resent) { // a resend keeps its time: it is not "late"
        late++;
        assertTrue(maxTs - ts <= o.maxLateMillis, "a document is later than the bound: " + line);
      }
      maxTs = Math.max(maxTs, ts);
    }
    double average = bytes / (double) lines.size();
    assertTrue(average >= 150 && average <= 210, "average line length " + average);
    assertEquals(truth.truncated, notJson);
    long duplicates = idCount.values().stream().mapToLong(c -> c - 1).sum();
    assertEquals(truth.duplicates, duplicates);
    assertTrue(badTime > 0 && badTime < truth.wrongType, "invalid times: " + badTime);
    assertTrue(late > 0.5 * truth.lateDocuments, "late documents: " + late + " of " + truth);
    assertEquals(Set.of("payment.authorized", "payment.captured", "payment.refunded", "payment.failed"),
        types);
    assertTrue(payments.size() > 20_000, "payments: " + payments.size());
    assertTrue(truth.overCaptures > 0 && truth.capturesWithoutAuthorization > 0
        && truth.refundsAfterFailure > 0 && truth.neverSettledFired > 0 && truth.wrongType > 0,
        truth.toString());
    assertEquals(truth.maxTs, maxTs);
  }

  /**
   * With long-lived payments the log holds about {@code entities} payments in all (a faulty one is
   * replaced), each with many documents, and still every fault is counted.
   */
  @Test
  void longLivedPaymentsLiveTheWholeLog() throws Exception {
    PaymentsLogGenerator.Options o = new PaymentsLogGenerator.Options().lines(50_000).entities(500)
        .seed(5).faultRate(0.02).longLived(true);
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    PaymentsLogGenerator.Truth truth = PaymentsLogGenerator.write(o, out);
    Map<String, Integer> perPayment = new HashMap<>();
    Map<String, Integer> refunds = new HashMap<>();
    for (String line : out.toString(StandardCharsets.UTF_8).split("\n")) {
      Object doc;
      try {
        doc = MJson.parse(line);
      } catch (MJson.Bad e) {
        continue; // a truncated copy
      }
      Map<?, ?> m = (Map<?, ?>) doc;
      if (m.get("payment_id") instanceof String p) {
        perPayment.merge(p, 1, Integer::sum);
        if ("payment.refunded".equals(m.get("type"))) {
          refunds.merge(p, 1, Integer::sum);
        }
      }
    }
    assertEquals(truth.payments, perPayment.size());
    assertTrue(truth.payments >= 500 && truth.payments < 550, "payments: " + truth);
    long busy = perPayment.values().stream().filter(n -> n >= 50).count();
    assertTrue(busy > 450, busy + " payments with 50 or more documents of " + perPayment.size());
    assertTrue(refunds.size() > 400, "payments with refunds: " + refunds.size());
    assertTrue(truth.overCaptures > 0 && truth.capturesWithoutAuthorization > 0
        && truth.refundsAfterFailure > 0 && truth.neverSettled > 0, truth.toString());
  }

  @Test
  void commandLine(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("log.jsonl");
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    PrintStream errs = new PrintStream(err, true, StandardCharsets.UTF_8);
    int status = PaymentsLogGenerator.run(new String[] {"--lines", "2k", "--entities", "100",
        "--seed", "3", "--out", file.toString()}, System.out, errs);
    assertEquals(0, status, err.toString(StandardCharsets.UTF_8));
    assertEquals(2000, Files.readAllLines(file).size());
    assertArrayEquals(Files.readAllBytes(file),
        generate(new PaymentsLogGenerator.Options().lines(2000).entities(100).seed(3)));
    assertEquals(2, PaymentsLogGenerator.run(new String[] {"--lines", "10"}, System.out, errs));
    assertEquals(2, PaymentsLogGenerator.run(new String[] {"--bogus"}, System.out, errs));
  }
}
