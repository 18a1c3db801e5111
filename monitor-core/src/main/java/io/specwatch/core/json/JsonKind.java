package io.specwatch.core.json;

/** What a path led to in a document. JSON null counts as missing. */
public final class JsonKind {
  public static final byte MISSING = 0;
  public static final byte STRING = 1;
  /** A number written without fraction or exponent that fits 64 bits. */
  public static final byte INT = 2;
  /** Any other number (a fraction, an exponent, or too large for 64 bits). */
  public static final byte OTHER_NUMBER = 3;
  public static final byte BOOL = 4;
  public static final byte OBJECT = 5;
  public static final byte ARRAY = 6;

  private JsonKind() {}
}
