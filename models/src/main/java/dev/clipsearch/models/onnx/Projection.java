package dev.clipsearch.models.onnx;

import dev.clipsearch.models.ModelLoadException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * A projection matrix read from a file of little-endian float32 values, row-major with {@code
 * inputs} rows and {@code outputs} columns: {@code out = in · W}.
 */
final class Projection {

  private final float[] weights;
  private final int inputs;
  private final int outputs;

  private Projection(float[] weights, int inputs, int outputs) {
    this.weights = weights;
    this.inputs = inputs;
    this.outputs = outputs;
  }

  static Projection load(ModelDescription.ProjectionFile file) {
    if (file == null) {
      return null;
    }
    byte[] bytes = file.file().readAllBytes();
    long expected = (long) file.inputs() * file.outputs() * Float.BYTES;
    if (bytes.length != expected) {
      throw new ModelLoadException(
          file.file().describe()
              + ": a "
              + file.inputs()
              + " x "
              + file.outputs()
              + " float32 projection needs "
              + expected
              + " bytes, the file has "
              + bytes.length);
    }
    float[] w = new float[file.inputs() * file.outputs()];
    ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer().get(w);
    for (float x : w) {
      if (!Float.isFinite(x)) {
        throw new ModelLoadException(file.file().describe() + ": holds NaN or infinite values");
      }
    }
    return new Projection(w, file.inputs(), file.outputs());
  }

  int inputs() {
    return inputs;
  }

  int outputs() {
    return outputs;
  }

  float[] apply(float[] v) {
    return Vectors.project(v, weights, outputs);
  }
}
