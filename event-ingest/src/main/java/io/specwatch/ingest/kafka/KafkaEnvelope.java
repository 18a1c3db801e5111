package io.specwatch.ingest.kafka;

import io.specwatch.core.json.JsonText;
import io.specwatch.core.program.DocPath;
import io.specwatch.core.program.Program;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;

/**
 * Makes a record's key, headers and coordinates visible to specs as one more member of the
 * document, {@value #MEMBER}: {@code _kafka.key}, {@code _kafka.headers["trace-id"]},
 * {@code _kafka.topic}, {@code _kafka.partition}, {@code _kafka.offset}, {@code _kafka.timestamp}
 * (epoch ms). The record value stays the document itself, so a spec written for files reads Kafka
 * records unchanged and {@code specwatch check} over the values gives the same verdicts.
 *
 * <p>The member is spliced in front of the value's own members only when some spec reads a path
 * under {@value #MEMBER}: otherwise the value's bytes are used as they are, with no copy. Key and
 * header values are decoded as UTF-8 text. Should a value carry its own {@value #MEMBER} member,
 * it wins (the document's last duplicate member wins), which is documented in docs/kafka.md.
 */
public final class KafkaEnvelope {
  public static final String MEMBER = "_kafka";

  private final boolean needed;
  private final ByteArrayOutputStream buf = new ByteArrayOutputStream(1024);
  private final StringBuilder meta = new StringBuilder(256);

  public KafkaEnvelope(List<Program> programs) {
    boolean any = false;
    for (Program p : programs) {
      for (DocPath path : p.paths()) {
        DocPath.Segment first = path.segments().get(0);
        any |= first.isKey() && MEMBER.equals(first.key());
      }
    }
    this.needed = any;
  }

  /** Whether some spec reads record metadata (and documents are therefore rewritten). */
  public boolean needed() {
    return needed;
  }

  /**
   * The document for {@code record}: its value, with the {@value #MEMBER} member spliced in when
   * specs read it and the value is a JSON object. Returns a buffer valid until the next call;
   * its length is {@link #length()}.
   */
  public byte[] document(ConsumerRecord<byte[], byte[]> record) {
    byte[] value = record.value();
    if (!needed) {
      length = value.length;
      return value;
    }
    int open = skipSpace(value, 0);
    if (open >= value.length || value[open] != '{') {
      length = value.length; // not an object: the decoder reports it as malformed, unchanged
      return value;
    }
    int next = skipSpace(value, open + 1);
    boolean empty = next < value.length && value[next] == '}';
    meta.setLength(0);
    meta.append("{\"").append(MEMBER).append("\":{\"topic\":");
    JsonText.appendString(meta, record.topic());
    meta.append(",\"partition\":").append(record.partition())
        .append(",\"offset\":").append(record.offset())
        .append(",\"timestamp\":").append(record.timestamp())
        .append(",\"key\":");
    JsonText.appendString(meta, record.key() == null ? null
        : new String(record.key(), StandardCharsets.UTF_8));
    meta.append(",\"headers\":{");
    boolean first = true;
    for (Header h : record.headers()) {
      if (!first) {
        meta.append(',');
      }
      first = false;
      JsonText.appendString(meta, h.key());
      meta.append(':');
      JsonText.appendString(meta, h.value() == null ? null
          : new String(h.value(), StandardCharsets.UTF_8));
    }
    meta.append("}}").append(empty ? "" : ",");
    buf.reset();
    byte[] m = meta.toString().getBytes(StandardCharsets.UTF_8);
    buf.write(m, 0, m.length);
    buf.write(value, open + 1, value.length - open - 1);
    length = buf.size();
    return buf.toByteArray();
  }

  private int length;

  /** Length of the last {@link #document} result. */
  public int length() {
    return length;
  }

  private static int skipSpace(byte[] b, int i) {
    while (i < b.length && (b[i] == ' ' || b[i] == '\t' || b[i] == '\n' || b[i] == '\r')) {
      i++;
    }
    return i;
  }
}
