package io.specwatch.core.engine;

import io.specwatch.core.json.DocumentView;
import io.specwatch.core.json.JsonKind;

/**
 * A key or id packed for a table's comparisons ({@link PackedKey} for instances, {@link PackedId}
 * for the dedupe memory), read from a document in one place: the contract's rule that a key or
 * id is a JSON string, or a JSON integer taken as its decimal text ({@code 42} and {@code "42"}
 * are the same), lives in {@link #packFrom}. Unescaped ASCII and integers are packed from the
 * document's bytes without making a {@code String}; anything else goes through its string.
 */
abstract class PackedText {
  /** The decimal digits of an integer, written from the end. */
  private final byte[] digits = new byte[DecimalText.MAX_LENGTH];

  /** Packs {@code text}. */
  abstract void pack(String text);

  /** Packs the text {@code bytes[from, to)}, which must be ASCII, as {@link #pack} would. */
  abstract void packAscii(byte[] bytes, int from, int to);

  /** Packs the decimal text of {@code value} (what {@code Long.toString} gives). */
  final void packLong(long value) {
    packAscii(digits, DecimalText.write(value, digits), digits.length);
  }

  /**
   * Packs the key or id at {@code path} of the document {@code view} is bound to; returns false,
   * packing nothing, when there is none there (missing, or neither a string nor an integer).
   */
  final boolean packFrom(DocumentView view, int path) {
    if (view.isAsciiBytes(path)) {
      packAscii(view.buf(), view.start(path), view.end(path));
      return true;
    }
    if (view.kind(path) == JsonKind.INT) {
      packLong(view.longValue(path));
      return true;
    }
    String text = view.keyText(path);
    if (text == null) {
      return false;
    }
    pack(text);
    return true;
  }
}
