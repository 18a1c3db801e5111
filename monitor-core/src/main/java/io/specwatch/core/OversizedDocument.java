package io.specwatch.core;

/**
 * The reason a document over the size limit is malformed, worded the same by every source (a
 * file, {@code check}, {@code /v1/events}, OTLP, Kafka), so that the same document gets the same
 * violation wherever it came from; only the setting named at the end differs.
 */
public final class OversizedDocument {
  private OversizedDocument() {}

  /**
   * {@code document of SIZE bytes exceeds the limit of LIMIT bytes (SETTING)}.
   *
   * @param setting where the limit is set, e.g. {@code --max-document-bytes} or
   *     {@code limits.max_document_bytes}
   */
  public static String reason(long size, long limit, String setting) {
    return "document of " + size + " bytes exceeds the limit of " + limit + " bytes (" + setting
        + ")";
  }
}
