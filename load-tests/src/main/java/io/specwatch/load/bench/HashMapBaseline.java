package io.specwatch.load.bench;

import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.Set;

/**
 * The four payment rules written directly in idiomatic Java: a {@code HashMap} from the key text
 * to a small state object, and a {@code PriorityQueue} of armed deadlines, disarmed lazily. This
 * is what "just write it by hand" usually looks like with string keys.
 */
public final class HashMapBaseline implements Engine {
  private enum Status { AUTHORIZED, CAPTURED, REFUNDED, FAILED }

  private static final class Payment {
    Status status;
    long authorized;
    long captured;
    long refunded;
    /** The armed settle expiry, or Long.MIN_VALUE. */
    long expiry = Long.MIN_VALUE;
  }

  private record Armed(long expiry, String key, Payment payment) {}

  private final PaymentsWorkload w;
  private final Map<String, Payment> payments = new HashMap<>();
  private final PriorityQueue<Armed> deadlines =
      new PriorityQueue<>((a, b) -> Long.compare(a.expiry, b.expiry));
  private long maxTs = Long.MIN_VALUE;
  private final Set<String> verdicts = new HashSet<>();

  public HashMapBaseline(PaymentsWorkload w) {
    this.w = w;
  }

  public static Factory factory() {
    return new Factory() {
      @Override
      public String name() {
        return "hand-written Java, HashMap";
      }

      @Override
      public Engine create(PaymentsWorkload w) {
        return new HashMapBaseline(w);
      }
    };
  }

  @Override
  public void process(int i) {
    String key = w.key(i);
    long t = w.ts[i];
    maxTs = Math.max(maxTs, t);
    long watermark = maxTs - PaymentsWorkload.LATENESS_MILLIS;
    while (!deadlines.isEmpty() && deadlines.peek().expiry < watermark) {
      Armed a = deadlines.poll();
      if (a.payment.expiry == a.expiry) {
        a.payment.expiry = Long.MIN_VALUE;
        verdicts.add(PaymentsWorkload.verdict(PaymentsWorkload.DEADLINE_RULE, a.key));
      }
    }
    Payment p = payments.get(key);
    long amt = w.amount[i];
    switch (w.type[i]) {
      case PaymentsWorkload.AUTHORIZED -> {
        if (p != null) {
          violation("authorized", key);
          return;
        }
        p = new Payment();
        p.status = Status.AUTHORIZED;
        p.authorized = amt;
        p.expiry = t + PaymentsWorkload.SETTLE_MILLIS;
        payments.put(key, p);
        deadlines.add(new Armed(p.expiry, key, p));
      }
      case PaymentsWorkload.CAPTURED -> {
        if (p == null || (p.status != Status.AUTHORIZED && p.status != Status.CAPTURED)) {
          violation("captured", key);
          return;
        }
        boolean held = p.captured <= p.authorized;
        p.captured += amt;
        p.status = Status.CAPTURED;
        p.expiry = Long.MIN_VALUE;
        if (held && p.captured > p.authorized) {
          violation(PaymentsWorkload.INVARIANT_RULE, key);
        }
      }
      case PaymentsWorkload.REFUNDED -> {
        if (p == null || p.status != Status.CAPTURED) {
          violation("refunded", key);
          return;
        }
        p.refunded += amt;
        if (p.refunded == p.captured) {
          p.status = Status.REFUNDED;
        }
      }
      default -> {
        if (p != null && p.status != Status.AUTHORIZED) {
          violation("failed", key);
          return;
        }
        if (p == null) {
          p = new Payment();
          payments.put(key, p);
        }
        p.status = Status.FAILED;
        p.expiry = Long.MIN_VALUE;
      }
    }
  }

  private void violation(String rule, String key) {
    verdicts.add(PaymentsWorkload.verdict(rule, key));
  }

  @Override
  public Set<String> verdicts() {
    return verdicts;
  }

  @Override
  public long liveInstances() {
    return payments.size();
  }
}
