package io.specwatch.load.bench;

import java.util.HashSet;
import java.util.Set;

/**
 * The hand-written floor: the four payment rules written directly in Java over primitive arrays
 * indexed by the payment's number (what a team would write for one fixed spec, with dense integer
 * keys), and a binary heap of (expiry, payment) packed in two {@code long}/{@code int} arrays for
 * the settle deadline, disarmed lazily.
 */
public final class ArrayBaseline implements Engine {
  private static final byte NONE = 0;
  private static final byte AUTHORIZED = 1;
  private static final byte CAPTURED = 2;
  private static final byte REFUNDED = 3;
  private static final byte FAILED = 4;

  private final PaymentsWorkload w;
  private byte[] status = new byte[1 << 16];
  private long[] authorized = new long[1 << 16];
  private long[] captured = new long[1 << 16];
  private long[] refunded = new long[1 << 16];
  /** The armed settle expiry, or Long.MIN_VALUE when disarmed. */
  private long[] expiry = new long[1 << 16];
  private long[] heapExpiry = new long[1 << 12];
  private int[] heapKey = new int[1 << 12];
  private int heapSize;
  private long maxTs = Long.MIN_VALUE;
  private long live;
  private final Set<String> verdicts = new HashSet<>();

  public ArrayBaseline(PaymentsWorkload w) {
    this.w = w;
  }

  public static Factory factory() {
    return new Factory() {
      @Override
      public String name() {
        return "hand-written Java, primitive arrays";
      }

      @Override
      public Engine create(PaymentsWorkload w) {
        return new ArrayBaseline(w);
      }
    };
  }

  @Override
  public void process(int i) {
    int k = w.keyId[i];
    long t = w.ts[i];
    if (k >= status.length) {
      grow(k);
    }
    if (t > maxTs) {
      maxTs = t;
    }
    // Also when the watermark did not move: a late authorization may be behind it already.
    fireBefore(maxTs - PaymentsWorkload.LATENESS_MILLIS);
    byte s = status[k];
    long amt = w.amount[i];
    switch (w.type[i]) {
      case PaymentsWorkload.AUTHORIZED -> {
        if (s != NONE) {
          violation("authorized", k);
          return;
        }
        live++;
        status[k] = AUTHORIZED;
        authorized[k] = amt;
        arm(k, t + PaymentsWorkload.SETTLE_MILLIS);
      }
      case PaymentsWorkload.CAPTURED -> {
        if (s != AUTHORIZED && s != CAPTURED) {
          violation("captured", k);
          return;
        }
        long before = captured[k];
        captured[k] = before + amt;
        status[k] = CAPTURED;
        expiry[k] = Long.MIN_VALUE;
        if (before <= authorized[k] && before + amt > authorized[k]) {
          violation(PaymentsWorkload.INVARIANT_RULE, k);
        }
      }
      case PaymentsWorkload.REFUNDED -> {
        if (s != CAPTURED) {
          violation("refunded", k);
          return;
        }
        refunded[k] += amt;
        if (refunded[k] == captured[k]) {
          status[k] = REFUNDED;
        }
      }
      default -> {
        if (s != NONE && s != AUTHORIZED) {
          violation("failed", k);
          return;
        }
        if (s == NONE) {
          live++;
        }
        status[k] = FAILED;
        expiry[k] = Long.MIN_VALUE;
      }
    }
  }

  private void violation(String rule, int k) {
    verdicts.add(PaymentsWorkload.verdict(rule, w.keys[k]));
  }

  private void arm(int k, long at) {
    expiry[k] = at;
    if (heapSize == heapExpiry.length) {
      heapExpiry = java.util.Arrays.copyOf(heapExpiry, heapSize * 2);
      heapKey = java.util.Arrays.copyOf(heapKey, heapSize * 2);
    }
    int i = heapSize++;
    while (i > 0) {
      int parent = (i - 1) >>> 1;
      if (heapExpiry[parent] <= at) {
        break;
      }
      heapExpiry[i] = heapExpiry[parent];
      heapKey[i] = heapKey[parent];
      i = parent;
    }
    heapExpiry[i] = at;
    heapKey[i] = k;
  }

  /** Fires every armed deadline whose expiry is before the watermark. */
  private void fireBefore(long watermark) {
    while (heapSize > 0 && heapExpiry[0] < watermark) {
      long at = heapExpiry[0];
      int k = heapKey[0];
      removeTop();
      if (expiry[k] == at) { // still armed with this expiry: not disarmed since
        expiry[k] = Long.MIN_VALUE;
        violation(PaymentsWorkload.DEADLINE_RULE, k);
      }
    }
  }

  private void removeTop() {
    int last = --heapSize;
    long at = heapExpiry[last];
    int key = heapKey[last];
    int i = 0;
    while (true) {
      int child = 2 * i + 1;
      if (child >= heapSize) {
        break;
      }
      if (child + 1 < heapSize && heapExpiry[child + 1] < heapExpiry[child]) {
        child++;
      }
      if (heapExpiry[child] >= at) {
        break;
      }
      heapExpiry[i] = heapExpiry[child];
      heapKey[i] = heapKey[child];
      i = child;
    }
    heapExpiry[i] = at;
    heapKey[i] = key;
  }

  private void grow(int k) {
    int n = Math.max(status.length * 2, k + 1);
    status = java.util.Arrays.copyOf(status, n);
    authorized = java.util.Arrays.copyOf(authorized, n);
    captured = java.util.Arrays.copyOf(captured, n);
    refunded = java.util.Arrays.copyOf(refunded, n);
    expiry = java.util.Arrays.copyOf(expiry, n);
  }

  @Override
  public Set<String> verdicts() {
    return verdicts;
  }

  @Override
  public long liveInstances() {
    return live;
  }
}
