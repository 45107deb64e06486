package dev.clipsearch.sampledata.catalog;

import dev.clipsearch.common.io.Digests;

/**
 * The seeded draws that give a product its price and brand. Built on SHA-256 rather than {@code
 * java.util.Random} so the values are fixed by the algorithm's specification, the same on every
 * JDK.
 */
final class SeededDraws {

  private SeededDraws() {}

  /** A uniform draw in [0, 1) fixed by {@code purpose} and {@code key}. */
  static double unitFraction(String purpose, String key) {
    return (draw(purpose, key) >>> 11) * 0x1.0p-53;
  }

  /** A uniform draw in [0, bound) fixed by {@code purpose} and {@code key}. */
  static int index(String purpose, String key, int bound) {
    return (int) Long.remainderUnsigned(draw(purpose, key), bound);
  }

  private static long draw(String purpose, String key) {
    byte[] hash = Digests.sha256(purpose + "\0" + key);
    long value = 0;
    for (int i = 0; i < Long.BYTES; i++) {
      value = (value << 8) | (hash[i] & 0xff);
    }
    return value;
  }
}
