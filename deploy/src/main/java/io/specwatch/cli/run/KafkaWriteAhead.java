package io.specwatch.cli.run;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.specwatch.core.Position;
import io.specwatch.core.Violation;
import io.specwatch.core.ViolationSink;
import io.specwatch.core.checkpoint.DurableFiles;
import io.specwatch.ingest.kafka.IdlePosition;
import io.specwatch.ingest.kafka.KafkaPosition;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * The Kafka source's violations into the JSONL sinks, exactly once across crashes.
 *
 * <p>Why ahead of the commit: written after it, a crash between the commit and the write loses
 * them (a committed record's violations are never raised again). So each transaction's batch is
 * written and forced to disk just before the transaction commits ({@code KafkaSource.writeAheadTo}).
 * The price is the opposite risk: the transaction may then abort (a crash, a fenced or failed
 * member), and after the restore its records raise the same violations again. Those are skipped:
 *
 * <ul>
 *   <li>Each batch whose commit is not yet confirmed is <em>uncertain</em>. Before writing it, its
 *       lines (with the uncertain ones of earlier batches) and the file offset it starts at are
 *       saved, fsynced and renamed into place, in the state directory, one record per file sink.
 *   <li>The commit's confirmation (the source hands the committed violations over right after)
 *       makes the batch certain. A batch written while the previous one is still uncertain means
 *       that one aborted: its lines may come again.
 *   <li>A violation is deterministic given the specs and the record (same state, restored from
 *       the same checkpoint, same records in the same order), so a re-raised one is the same JSON
 *       line: a line that is among the uncertain ones already in the file is skipped, once per
 *       copy in the file (a multiset).
 *   <li>On start, the uncertain lines are those of the saved record that the file really holds
 *       from the saved offset on: a crash while writing the batch leaves only some, and only those
 *       may be skipped.
 *   <li>Once a partition's replay is past an uncertain line (a later record of that partition
 *       committed a violation), it cannot come again and is forgotten, which keeps the record
 *       small. Not with the repartition step, whose partitions interleave an input partition's
 *       records: then the uncertain lines are kept until the next start.
 * </ul>
 *
 * <p>Standard output gets the same skipping within one run, not across restarts.
 */
final class KafkaWriteAhead implements Consumer<List<Violation>> {
  private static final ObjectMapper JSON = new ObjectMapper();

  private final List<Ledger> ledgers = new ArrayList<>();
  private final boolean forgetByOffset;

  /**
   * @param sinks the JSONL sinks, already opened (cut back)
   * @param stateDir where the records of uncertain lines are kept
   * @param checkpointedLengths each file sink's length at the daemon's checkpoint (its cut-back)
   * @param repartition whether the Kafka source re-keys through the repartition step
   */
  KafkaWriteAhead(List<JsonlSinkFile> sinks, Path stateDir, Map<String, Long> checkpointedLengths,
      boolean repartition) throws IOException {
    this.forgetByOffset = !repartition;
    for (JsonlSinkFile s : sinks) {
      Ledger l = new Ledger(s, s.isFile() ? recordFile(stateDir, s.checkpointKey()) : null);
      if (l.record != null) {
        l.recover(checkpointedLengths.getOrDefault(s.checkpointKey(), -1L));
      }
      ledgers.add(l);
    }
  }

  /** The side file of a sink's crash-safe cut-back ({@link JsonlSinkRecovery}). */
  static Path keepFile(Path stateDir, String sinkKey) {
    return stateDir.resolve("jsonl-" + shortHash(sinkKey) + ".keep");
  }

  private static Path recordFile(Path stateDir, String sinkKey) {
    return stateDir.resolve("jsonl-" + shortHash(sinkKey) + ".kafka-uncertain");
  }

  private static String shortHash(String s) {
    try {
      byte[] d = java.security.MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(d, 0, 8);
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Writes one transaction's batch to every sink, before it commits; throws if it cannot. */
  @Override
  public void accept(List<Violation> batch) {
    List<Line> lines = new ArrayList<>(batch.size());
    for (Violation v : batch) {
      lines.add(Line.of(v.toJson(), v.position()));
    }
    for (Ledger l : ledgers) {
      try {
        l.write(lines);
      } catch (IOException e) {
        // Thrown into the Kafka source: the transaction is not committed, the member rebuilds.
        throw new UncheckedIOException("cannot write ahead to the JSONL sink " + l.sink.name(), e);
      }
    }
  }

  /** The Kafka source's post-commit hand-over: confirms the batch written ahead. */
  ViolationSink confirmations() {
    return new ViolationSink() {
      @Override
      public void accept(Violation v) {
        for (Ledger l : ledgers) {
          l.confirmed(v.position());
        }
      }
    };
  }

  /** For tests: how many uncertain lines a sink holds. */
  int uncertain(int sink) {
    return ledgers.get(sink).uncertain.size();
  }

  /** A violation line and where it was raised (partition and offset, when known). */
  record Line(String json, String partition, long offset) {
    static Line of(String json, Position p) {
      if (p instanceof KafkaPosition k) {
        return new Line(json, k.topic() + "/" + k.partition(), k.offset());
      }
      if (p instanceof IdlePosition i) {
        return new Line(json, i.topic() + "/" + i.partition(), i.afterOffset());
      }
      return new Line(json, null, -1);
    }

    static Line parse(String json) {
      try {
        JsonNode n = JSON.readTree(json);
        if (n.has("topic") && n.has("partition")) {
          long offset = n.has("offset") ? n.path("offset").asLong() : n.path("idle_after_offset").asLong();
          return new Line(json, n.path("topic").asText() + "/" + n.path("partition").asInt(), offset);
        }
      } catch (IOException e) {
        // not a whole line: no position to forget it by
      }
      return new Line(json, null, -1);
    }
  }

  /** One sink's uncertain lines, and the record of them on disk (null for standard output). */
  private final class Ledger {
    final JsonlSinkFile sink;
    final Path record;
    /** Uncertain lines in the file: line -> copies still to skip. */
    final Map<String, Uncertain> uncertain = new HashMap<>();
    /** The last batch written, until its commit is confirmed. */
    final List<Line> pending = new ArrayList<>();
    /** Where in the file the oldest uncertain line may be. */
    long from = -1;

    Ledger(JsonlSinkFile sink, Path record) {
      this.sink = sink;
      this.record = record;
    }

    /** Start: the saved uncertain lines that the file really holds from the saved offset on. */
    void recover(long checkpointedLength) throws IOException {
      if (!Files.exists(record)) {
        return;
      }
      List<String> saved = Files.readAllLines(record, StandardCharsets.UTF_8);
      if (saved.isEmpty() || !saved.get(0).startsWith("from ")) {
        return; // never written whole (it is renamed into place): nothing uncertain
      }
      long savedFrom = Long.parseLong(saved.get(0).substring(5));
      Map<String, Integer> wanted = new HashMap<>();
      for (String s : saved.subList(1, saved.size())) {
        wanted.merge(s, 1, Integer::sum);
      }
      // The cut-back only removed lines that are not Kafka's, past the checkpoint: every kept
      // line that was at or past savedFrom is now at or past min(savedFrom, the checkpoint).
      from = checkpointedLength >= 0 ? Math.min(savedFrom, checkpointedLength) : savedFrom;
      List<String> inFile = new ArrayList<>();
      JsonlSinkRecovery.readLines(Path.of(sink.checkpointKey()), Math.max(0, from), inFile);
      for (String line : inFile) {
        Integer n = wanted.get(line);
        if (n != null && n > 0) {
          wanted.put(line, n - 1);
          uncertain.computeIfAbsent(line, k -> new Uncertain(Line.parse(k))).copies++;
        }
      }
      save();
    }

    void write(List<Line> batch) throws IOException {
      if (!pending.isEmpty()) {
        // The previous batch was written but its commit never confirmed: it aborted, and its
        // records are being applied again.
        for (Line l : pending) {
          uncertain.computeIfAbsent(l.json(), k -> new Uncertain(l)).copies++;
        }
        pending.clear();
      }
      List<Line> fresh = new ArrayList<>(batch.size());
      List<String> text = new ArrayList<>(batch.size());
      for (Line l : batch) {
        Uncertain u = uncertain.get(l.json());
        if (u != null) {
          if (--u.copies == 0) {
            uncertain.remove(l.json());
          }
          continue; // already in the file: raised again after an abort
        }
        fresh.add(l);
        text.add(l.json());
      }
      if (fresh.isEmpty()) {
        return;
      }
      try {
        sink.writeAhead(text, start -> {
          if (uncertain.isEmpty() || from < 0) {
            from = start;
          }
          pending.addAll(fresh);
          if (record != null) {
            try {
              save();
            } catch (IOException e) {
              throw new UncheckedIOException(e);
            }
          }
        });
      } catch (IOException | UncheckedIOException e) {
        // Not written, or only in part: none of it may be skipped when raised again (a line
        // that did reach the file may then be repeated; the next start's recovery, which reads
        // the file, is exact again).
        pending.clear();
        throw e;
      }
    }

    /** A violation the source committed: its batch is certain; replays are past its offset. */
    void confirmed(Position p) {
      pending.clear();
      if (!forgetByOffset || uncertain.isEmpty()) {
        return;
      }
      Line at = Line.of("", p);
      if (at.partition() == null) {
        return;
      }
      for (Iterator<Uncertain> it = uncertain.values().iterator(); it.hasNext(); ) {
        Line u = it.next().line;
        if (at.partition().equals(u.partition()) && u.offset() < at.offset()) {
          it.remove(); // the replay of this partition is past it: it cannot be raised again
        }
      }
    }

    /** Saves the uncertain lines and the pending batch, durably ({@link DurableFiles}). */
    private void save() throws IOException {
      StringBuilder sb = new StringBuilder("from ").append(from).append('\n');
      for (Uncertain u : uncertain.values()) {
        for (int i = 0; i < u.copies; i++) {
          sb.append(u.line.json()).append('\n');
        }
      }
      for (Line l : pending) {
        sb.append(l.json()).append('\n');
      }
      DurableFiles.replace(record, sb.toString().getBytes(StandardCharsets.UTF_8));
    }
  }

  /** An uncertain line and how many copies of it the file holds that may still come again. */
  private static final class Uncertain {
    final Line line;
    int copies;

    Uncertain(Line line) {
      this.line = line;
    }
  }
}
