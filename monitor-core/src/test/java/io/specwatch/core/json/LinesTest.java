package io.specwatch.core.json;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class LinesTest {
  /**
   * The word-at-a-time newline search against a byte loop, on bytes chosen to trip it up: LF,
   * bytes one off from it (0x09, 0x0B), LF with the high bit (0x8A), 0x00, 0x01, 0xFF, at every
   * start and end offset, so both the word loop and the tail are hit.
   */
  @Test
  void theNewlineSearchFindsTheFirstLfWhereverItIs() {
    byte[] alphabet = {'\n', 0x09, 0x0B, (byte) 0x8A, 0, 1, (byte) 0xFF, 'a', '"'};
    SplittableRandom rnd = new SplittableRandom(11);
    for (int round = 0; round < 3000; round++) {
      byte[] b = new byte[rnd.nextInt(40)];
      int lfRate = 1 + rnd.nextInt(30);
      for (int i = 0; i < b.length; i++) {
        b[i] = rnd.nextInt(lfRate) == 0 ? (byte) '\n' : alphabet[1 + rnd.nextInt(alphabet.length - 1)];
      }
      for (int from = 0; from <= b.length; from++) {
        for (int to = from; to <= b.length; to++) {
          int expected = to;
          for (int i = from; i < to; i++) {
            if (b[i] == '\n') {
              expected = i;
              break;
            }
          }
          assertEquals(expected, Lines.nextNewline(b, from, to), "from " + from + " to " + to);
        }
      }
    }
  }
}
