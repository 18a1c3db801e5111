package io.specwatch.ingest.http;

import io.specwatch.ingest.otlp.IngestStats;

/** A request refused before its content is looked at: the status, why, and what to count. */
final class BodyError extends Exception {
  final int status;
  final IngestStats.Refusal refusal;

  BodyError(int status, IngestStats.Refusal refusal, String reason) {
    super(reason, null, false, false);
    this.status = status;
    this.refusal = refusal;
  }
}
