package io.specwatch.engine;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.specwatch.core.Position;
import io.specwatch.core.Violation;
import io.specwatch.core.ViolationSink;
import io.specwatch.core.program.Program;
import io.specwatch.spec.CompileResult;
import io.specwatch.spec.SourceFile;
import io.specwatch.spec.SpecCompiler;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/** A small accounts spec with an invariant and a deadline, and the documents the engine tests feed it. */
final class AccountsSpec {
  static final String SOURCE = """
      spec accounts
      input {
        time at
        id eid
        dedupe within 1h
        lateness 0s
      }
      entity Account key account {
        balance: int = 0
        closed: bool = false
        ends when closed
      }
      event deposit for Account when type == "deposit" { amount: int = amount }
      event close for Account when type == "close"
      /// Deposits go to open accounts.
      on deposit(e) requires not closed { balance += e.amount }
      on close { closed = true }
      /// A balance is never negative.
      invariant non_negative: balance >= 0
      /// A deposited account is closed within a minute.
      deadline settle: after deposit expect close within 1m
      """;

  private AccountsSpec() {}

  static Program program() {
    CompileResult r = SpecCompiler.compile(List.of(new SourceFile("accounts.sw", SOURCE)));
    assertTrue(r.ok(), () -> r.diagnostics().toString());
    return r.programs().get(0);
  }

  static byte[] deposit(String eid, String account, long at, long amount) {
    return ("{\"type\":\"deposit\",\"eid\":\"" + eid + "\",\"account\":\"" + account + "\",\"at\":"
        + at + ",\"amount\":" + amount + "}").getBytes(StandardCharsets.UTF_8);
  }

  static byte[] close(String eid, String account, long at) {
    return ("{\"type\":\"close\",\"eid\":\"" + eid + "\",\"account\":\"" + account + "\",\"at\":"
        + at + "}").getBytes(StandardCharsets.UTF_8);
  }

  /** A position with trace context, as an OTLP position has. */
  record TracedPosition(String traceId) implements Position {
    @Override
    public void appendJsonMembers(StringBuilder sb) {
      sb.append("\"trace_id\":\"").append(traceId).append('"');
    }

    @Override
    public boolean carriesTraceContext() {
      return true;
    }
  }

  /** Records violations and invariant-holds signals, in the order received, as text. */
  static final class Recorder implements ViolationSink {
    final List<Violation> violations = new ArrayList<>();
    final List<String> events = new ArrayList<>();

    @Override
    public synchronized void accept(Violation v) {
      violations.add(v);
      events.add(v.kind().label() + " " + v.rule() + " " + v.key());
    }

    @Override
    public synchronized void invariantHolds(String spec, String rule, String entity, String key,
        Position pos, long time) {
      events.add("holds " + rule + " " + key + " " + spec + "/" + entity + " at " + time);
    }

    synchronized List<String> events() {
      return List.copyOf(events);
    }

    synchronized List<Violation> violations() {
      return List.copyOf(violations);
    }
  }
}
