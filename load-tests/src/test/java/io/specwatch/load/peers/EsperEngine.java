package io.specwatch.load.peers;

import com.espertech.esper.common.client.EPCompiled;
import com.espertech.esper.common.client.configuration.Configuration;
import com.espertech.esper.compiler.client.CompilerArguments;
import com.espertech.esper.compiler.client.EPCompilerProvider;
import com.espertech.esper.runtime.client.EPDeployment;
import com.espertech.esper.runtime.client.EPEventService;
import com.espertech.esper.runtime.client.EPRuntime;
import com.espertech.esper.runtime.client.EPRuntimeProvider;
import com.espertech.esper.runtime.client.EPStatement;
import io.specwatch.load.bench.Engine;
import io.specwatch.load.bench.PaymentsWorkload;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Esper 9 (GPL-2.0, test scope only) running the four payment rules in EPL: a table of payments
 * keyed by payment id, one {@code on ... merge} per event type holding the state machine, and a
 * pattern timer per authorization for the settle deadline. Time is external: before each event
 * the runtime's clock is advanced to the watermark (largest event time minus 2 minutes), so the
 * timers fire exactly when specwatch's deadlines do, before the event that moved the watermark.
 */
public final class EsperEngine implements Engine {
  /** Assignments in {@code update set} apply in order: the status is computed first. */
  static final String EPL = """
      @public @buseventtype create objectarray schema PayEvent(type int, pkey string, amount long, ts long);
      create objectarray schema Armed(pkey string, expiry long);
      create objectarray schema Verdict(rule string, pkey string);
      @public create table Pay(pkey string primary key, status int, authorized long, captured long, refunded long);

      // status: 1 authorized, 2 captured, 3 refunded, 4 failed (3 and 4 have ended)
      on PayEvent(type = 0) as e merge Pay as p where p.pkey = e.pkey
        when not matched then
          insert select e.pkey as pkey, 1 as status, e.amount as authorized, 0L as captured, 0L as refunded
          then insert into Armed select e.pkey as pkey, e.ts + 600000L as expiry
        when matched then
          insert into Verdict select 'authorized' as rule, e.pkey as pkey;

      on PayEvent(type = 1) as e merge Pay as p where p.pkey = e.pkey
        when not matched then
          insert into Verdict select 'captured' as rule, e.pkey as pkey
        when matched and p.status in (1, 2) then
          insert into Verdict select 'capture_within_authorization' as rule, e.pkey as pkey
            where p.captured <= p.authorized and p.captured + e.amount > p.authorized
          then update set p.status = 2, p.captured = p.captured + e.amount
        when matched and p.status not in (1, 2) then
          insert into Verdict select 'captured' as rule, e.pkey as pkey;

      on PayEvent(type = 2) as e merge Pay as p where p.pkey = e.pkey
        when not matched then
          insert into Verdict select 'refunded' as rule, e.pkey as pkey
        when matched and p.status = 2 then
          update set p.status = case when p.refunded + e.amount = p.captured then 3 else 2 end,
                     p.refunded = p.refunded + e.amount
        when matched and p.status != 2 then
          insert into Verdict select 'refunded' as rule, e.pkey as pkey;

      on PayEvent(type = 3) as e merge Pay as p where p.pkey = e.pkey
        when not matched then
          insert select e.pkey as pkey, 4 as status, 0L as authorized, 0L as captured, 0L as refunded
        when matched and p.status = 1 then
          update set p.status = 4
        when matched and p.status != 1 then
          insert into Verdict select 'failed' as rule, e.pkey as pkey;

      // The deadline: a timer per authorization, due when the clock (the watermark) is past the
      // expiry; still authorized then means neither captured nor failed.
      insert into Verdict select 'settle' as rule, a.pkey as pkey
        from pattern [every a=Armed -> timer:interval((a.expiry + 1 - current_timestamp()) / 1000.0)]
        where Pay[a.pkey].status = 1;

      @name('verdicts') select rule, pkey from Verdict;
      """;

  private static final AtomicInteger RUNTIMES = new AtomicInteger();

  private final PaymentsWorkload w;
  private final EPRuntime runtime;
  private final EPEventService events;
  private final Set<String> verdicts = new HashSet<>();
  private long maxTs = Long.MIN_VALUE;

  public EsperEngine(PaymentsWorkload w) throws Exception {
    this.w = w;
    Configuration config = new Configuration();
    config.getRuntime().getThreading().setInternalTimerEnabled(false);
    config.getRuntime().getExecution().setPrioritized(false);
    EPCompiled compiled = EPCompilerProvider.getCompiler().compile(EPL, new CompilerArguments(config));
    runtime = EPRuntimeProvider.getRuntime("specwatch-bench-" + RUNTIMES.incrementAndGet(), config);
    // With the internal timer disabled the clock is external: only advanceTime moves it.
    events = runtime.getEventService();
    EPDeployment d = runtime.getDeploymentService().deploy(compiled);
    for (EPStatement s : d.getStatements()) {
      if (s.getName().equals("verdicts")) {
        s.addListener((newEvents, oldEvents, statement, rt) -> {
          for (var e : newEvents) {
            verdicts.add(PaymentsWorkload.verdict((String) e.get("rule"), (String) e.get("pkey")));
          }
        });
      }
    }
  }

  public static Factory factory() {
    return new Factory() {
      @Override
      public String name() {
        return "Esper 9.0.0 (table + merge + timer)";
      }

      @Override
      public Engine create(PaymentsWorkload w) throws Exception {
        return new EsperEngine(w);
      }
    };
  }

  @Override
  public void process(int i) {
    long t = w.ts[i];
    if (t > maxTs) {
      maxTs = t;
      long watermark = t - PaymentsWorkload.LATENESS_MILLIS;
      events.advanceTime(watermark);
    }
    events.sendEventObjectArray(new Object[] {(int) w.type[i], w.key(i), w.amount[i], t}, "PayEvent");
  }

  @Override
  public void close() {
    runtime.destroy();
  }

  @Override
  public Set<String> verdicts() {
    return verdicts;
  }

  @Override
  public long liveInstances() {
    // Rows of the table; finish() has not run yet when the runner asks.
    try {
      CompilerArguments args = new CompilerArguments(runtime.getConfigurationDeepCopy());
      args.getPath().add(runtime.getRuntimePath());
      EPCompiled q = EPCompilerProvider.getCompiler().compileQuery("select count(*) as n from Pay", args);
      return ((Number) runtime.getFireAndForgetService().executeQuery(q).getArray()[0].get("n"))
          .longValue();
    } catch (Exception e) {
      throw new IllegalStateException("cannot count Esper's table rows", e);
    }
  }
}
