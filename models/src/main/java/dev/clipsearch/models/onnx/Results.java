package dev.clipsearch.models.onnx;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OnnxValue;
import ai.onnxruntime.OrtSession;
import dev.clipsearch.models.InferenceException;
import java.nio.FloatBuffer;
import java.util.Arrays;

/** Reads a float (or float16, widened) output of a run, checking its shape. */
final class Results {

  private Results() {}

  /**
   * The output's values, row-major; its shape must be {@code [rows, ...middle, width]}.
   *
   * @param middle sizes between the batch axis and the last one (the token axis of 3-D outputs)
   */
  static float[] floats(
      OrtSession.Result result, String name, int rows, int width, String file, int... middle) {
    OnnxValue value =
        result
            .get(name)
            .orElseThrow(() -> new IllegalStateException(file + ": run returned no " + name));
    if (!(value instanceof OnnxTensor tensor)) {
      throw new IllegalStateException(file + ": output " + name + " is not a tensor");
    }
    long[] shape = tensor.getInfo().getShape();
    long[] expected = new long[2 + middle.length];
    expected[0] = rows;
    for (int i = 0; i < middle.length; i++) {
      expected[1 + i] = middle[i];
    }
    expected[expected.length - 1] = width;
    if (!Arrays.equals(shape, expected)) {
      throw new InferenceException(
          file
              + ": output "
              + name
              + " has shape "
              + Arrays.toString(shape)
              + ", expected "
              + Arrays.toString(expected),
          null);
    }
    FloatBuffer buffer = tensor.getFloatBuffer();
    float[] values = new float[buffer.remaining()];
    buffer.get(values);
    return values;
  }
}
