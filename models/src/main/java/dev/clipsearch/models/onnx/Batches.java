package dev.clipsearch.models.onnx;

/**
 * How a list of inputs is cut into model calls: at most {@code maxBatch} inputs per call, or
 * exactly the graph's batch size when its batch axis is fixed (short calls are filled with copies
 * of their first input, whose results are dropped).
 *
 * @param maxBatch the caller's batch size
 * @param fixedBatch the graph's fixed batch size, 0 when dynamic
 */
record Batches(int maxBatch, int fixedBatch) {

  /** Real inputs per call. */
  int chunk() {
    return fixedBatch > 0 ? fixedBatch : maxBatch;
  }

  /** Rows sent for a call holding {@code real} inputs. */
  int rows(int real) {
    return fixedBatch > 0 ? fixedBatch : real;
  }
}
