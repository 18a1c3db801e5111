package io.specwatch.spec.check;

import io.specwatch.spec.parse.Token;

/** A semantic error at a token; thrown to abandon the current declaration or clause. */
final class CheckError extends RuntimeException {
  final Token at;

  CheckError(Token at, String message) {
    super(message, null, false, false);
    this.at = at;
  }
}
