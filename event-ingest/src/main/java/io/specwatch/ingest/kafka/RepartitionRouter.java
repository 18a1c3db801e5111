package io.specwatch.ingest.kafka;

import io.specwatch.core.Position;
import io.specwatch.core.engine.Admission;
import io.specwatch.core.engine.AdmittedDocument;
import io.specwatch.core.engine.DedupeLimits;
import io.specwatch.core.engine.SpecInputs;
import io.specwatch.core.json.DocumentDecoder;
import io.specwatch.core.program.Program;
import java.util.BitSet;
import java.util.List;

/**
 * Decides to which partitions of the repartition topic a document goes: one copy per distinct
 * partition among {@code shardOf(entity key)} of the events it carries, for every spec, where
 * {@code shardOf} is the engine's own shard function ({@link AdmittedDocument#shardOf}), so the
 * partition a copy lands on is exactly the shard whose evaluator owns those keys. A document that
 * is malformed in any way also goes to partition 0, whose runtime alone reports malformed
 * documents, so each is reported once. Copies go per partition, not per key: two keys of one
 * document on the same partition must not apply its events twice.
 *
 * <p>Routing runs the specs' admission (matching and decoding), with its dedupe: a duplicate is
 * not forwarded at all. That memory is not checkpointed (after a restart a duplicate may be
 * forwarded), which is harmless because the second stage dedupes again, on the same partitions.
 */
final class RepartitionRouter {
  private final SpecInputs inputs;
  private final Admission[] admissions;
  private final AdmittedDocument[] admitted;
  private final int partitions;

  /**
   * A router whose dedupe memories (which keep copies from being routed twice) keep to
   * {@code dedupeLimits}: the partitions' own, so that the daemon's cap bounds them too.
   */
  RepartitionRouter(List<Program> programs, int partitions, DedupeLimits dedupeLimits) {
    this.inputs = new SpecInputs(programs, DocumentDecoder.DEFAULT_MAX_DEPTH);
    this.admissions = new Admission[programs.size()];
    this.admitted = new AdmittedDocument[programs.size()];
    for (int s = 0; s < programs.size(); s++) {
      admissions[s] = new Admission(programs.get(s), inputs.view(s), dedupeLimits);
      admitted[s] = new AdmittedDocument(programs.get(s));
    }
    this.partitions = partitions;
  }

  /** The target partitions of {@code len} bytes of {@code doc}; empty when no spec needs it. */
  BitSet route(byte[] doc, int len, Position pos) {
    BitSet targets = new BitSet(partitions);
    if (inputs.decode(doc, 0, len) != null) {
      targets.set(0); // not a JSON object: reported (once) by partition 0
      return targets;
    }
    for (int s = 0; s < admissions.length; s++) {
      AdmittedDocument d = admitted[s];
      admissions[s].admit(pos, d);
      for (int i = 0; i < d.eventCount(); i++) {
        targets.set(d.shardOf(i, partitions));
      }
      if (d.malformedCount() > 0) {
        targets.set(0);
      }
    }
    return targets;
  }
}
