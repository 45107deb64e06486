package dev.clipsearch.searcher.search;

import java.util.List;

/** Arithmetic on query vectors: weighted sums, means and L2 normalization. */
final class QueryVectors {

  /** Below this length a sum is treated as the zero vector (its direction is noise). */
  static final double MIN_NORM = 1e-6;

  private QueryVectors() {}

  /** {@code sum += weight * vector}. */
  static void addScaled(float[] sum, float[] vector, double weight) {
    if (vector.length != sum.length) {
      throw new IllegalArgumentException(
          "vector of length " + vector.length + " where " + sum.length + " is expected");
    }
    for (int i = 0; i < sum.length; i++) {
      sum[i] += (float) (weight * vector[i]);
    }
  }

  /** The normalized mean of unit vectors (the same as their normalized sum), or the zero vector. */
  static float[] normalizedMean(List<float[]> vectors) {
    float[] sum = new float[vectors.getFirst().length];
    for (float[] v : vectors) {
      addScaled(sum, v, 1.0);
    }
    float[] unit = normalize(sum);
    return unit == null ? sum : unit;
  }

  /** A unit-length copy, or {@code null} when the vector is (nearly) zero. */
  static float[] normalize(float[] vector) {
    double squares = 0;
    for (float x : vector) {
      squares += (double) x * x;
    }
    double norm = Math.sqrt(squares);
    if (!(norm >= MIN_NORM)) {
      return null;
    }
    float[] out = new float[vector.length];
    for (int i = 0; i < out.length; i++) {
      out[i] = (float) (vector[i] / norm);
    }
    return out;
  }
}
