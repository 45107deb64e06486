package dev.clipsearch.models.onnx;

/** The arithmetic after the graph: pooling, projection, normalization. Pure functions. */
final class Vectors {

  private Vectors() {}

  /**
   * Mean of the first {@code validTokens} rows of one batch item of a {@code [batch, tokens,
   * width]} tensor, flattened in {@code hidden}; the padding rows after them are ignored, as a
   * mask-aware mean pooling does for right-padded batches.
   */
  static float[] meanPool(float[] hidden, int item, int tokens, int width, int validTokens) {
    if (validTokens < 1 || validTokens > tokens) {
      throw new IllegalArgumentException("valid tokens " + validTokens + " outside 1.." + tokens);
    }
    double[] sum = new double[width];
    int base = item * tokens * width;
    for (int t = 0; t < validTokens; t++) {
      int row = base + t * width;
      for (int j = 0; j < width; j++) {
        sum[j] += hidden[row + j];
      }
    }
    float[] out = new float[width];
    for (int j = 0; j < width; j++) {
      out[j] = (float) (sum[j] / validTokens);
    }
    return out;
  }

  /** {@code v · W} for W with {@code v.length} rows and {@code outputs} columns, row-major. */
  static float[] project(float[] v, float[] weights, int outputs) {
    if ((long) v.length * outputs != weights.length) {
      throw new IllegalArgumentException(
          "projection of " + weights.length + " weights cannot map " + v.length + " to " + outputs);
    }
    float[] out = new float[outputs];
    for (int i = 0; i < v.length; i++) {
      float x = v[i];
      int row = i * outputs;
      for (int j = 0; j < outputs; j++) {
        out[j] += x * weights[row + j];
      }
    }
    return out;
  }

  /** Scales {@code v} to unit length in place and returns it; a zero vector stays zero. */
  static float[] l2Normalize(float[] v) {
    double sq = 0;
    for (float x : v) {
      sq += (double) x * x;
    }
    if (sq > 0) {
      float inv = (float) (1.0 / Math.sqrt(sq));
      for (int i = 0; i < v.length; i++) {
        v[i] *= inv;
      }
    }
    return v;
  }
}
