package io.specwatch.cli.config;

import java.util.Collection;

/**
 * "Did you mean" for unknown keys: the known key at the smallest edit distance, if it is close
 * enough to be a typo (the same rule as the spec compiler's suggestions: at most a third of the
 * typed length, and at least one edit allowed).
 */
final class Suggestions {
  private Suggestions() {}

  /** The closest known name, or null when none is plausibly what was meant. */
  static String closest(String typed, Collection<String> known) {
    String best = null;
    int bestDistance = Integer.MAX_VALUE;
    for (String k : known) {
      int d = distance(typed.toLowerCase(java.util.Locale.ROOT), k);
      if (d < bestDistance) {
        best = k;
        bestDistance = d;
      }
    }
    int allowed = Math.max(1, typed.length() / 3);
    return bestDistance <= allowed ? best : null;
  }

  /**
   * Edit distance where swapping two adjacent letters is one edit (optimal string alignment):
   * {@code prot} for {@code port} is the commonest typo in hand-written keys.
   */
  static int distance(String a, String b) {
    int[][] d = new int[a.length() + 1][b.length() + 1];
    for (int i = 0; i <= a.length(); i++) {
      d[i][0] = i;
    }
    for (int j = 0; j <= b.length(); j++) {
      d[0][j] = j;
    }
    for (int i = 1; i <= a.length(); i++) {
      for (int j = 1; j <= b.length(); j++) {
        int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
        d[i][j] = Math.min(Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1), d[i - 1][j - 1] + cost);
        if (i > 1 && j > 1 && a.charAt(i - 1) == b.charAt(j - 2) && a.charAt(i - 2) == b.charAt(j - 1)) {
          d[i][j] = Math.min(d[i][j], d[i - 2][j - 2] + 1);
        }
      }
    }
    return d[a.length()][b.length()];
  }
}
