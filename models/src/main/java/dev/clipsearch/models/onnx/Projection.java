package dev.clipsearch.models.onnx;

import dev.clipsearch.models.ModelLoadException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * A linear map after pooling, {@code out = activation(in · W + b)}: a projection matrix read from a
 * file of little-endian float32 values, row-major with {@code inputs} rows and {@code outputs}
 * columns (no bias, identity), or a sentence-transformers {@code Dense} layer read from
 * safetensors.
 */
final class Projection {

  /** The activation of a sentence-transformers Dense layer. */
  enum Activation {
    /** {@code torch.nn.modules.linear.Identity} */
    IDENTITY,
    /** {@code torch.nn.modules.activation.Tanh}, the Dense module's default */
    TANH
  }

  private final float[] weights;
  private final int inputs;
  private final int outputs;
  private final float[] bias;
  private final Activation activation;

  private Projection(
      float[] weights, int inputs, int outputs, float[] bias, Activation activation) {
    this.weights = weights;
    this.inputs = inputs;
    this.outputs = outputs;
    this.bias = bias;
    this.activation = activation;
  }

  /**
   * A Dense layer: its weight, stored {@code [outputs, inputs]} as torch's Linear keeps it, is
   * transposed into this class's {@code [inputs, outputs]} layout.
   */
  static Projection dense(ModelDescription.DenseFile dense) {
    if (dense == null) {
      return null;
    }
    String where = dense.file().describe();
    SafeTensors.Tensor w = SafeTensors.read(dense.file(), dense.weight());
    if (w.shape().length != 2
        || w.shape()[0] != dense.outputs()
        || w.shape()[1] != dense.inputs()) {
      throw new ModelLoadException(
          where
              + ": "
              + dense.weight()
              + " has shape "
              + java.util.Arrays.toString(w.shape())
              + ", the Dense configuration says ["
              + dense.outputs()
              + ", "
              + dense.inputs()
              + "] (out_features, in_features)");
    }
    float[] transposed = new float[dense.inputs() * dense.outputs()];
    for (int o = 0; o < dense.outputs(); o++) {
      for (int i = 0; i < dense.inputs(); i++) {
        transposed[i * dense.outputs() + o] = w.values()[o * dense.inputs() + i];
      }
    }
    requireFinite(transposed, where);
    float[] bias = null;
    if (dense.bias() != null) {
      SafeTensors.Tensor b = SafeTensors.read(dense.file(), dense.bias());
      if (b.values().length != dense.outputs()) {
        throw new ModelLoadException(
            where
                + ": "
                + dense.bias()
                + " has "
                + b.values().length
                + " values, the Dense layer "
                + dense.outputs()
                + " outputs");
      }
      bias = b.values();
      requireFinite(bias, where);
    }
    return new Projection(transposed, dense.inputs(), dense.outputs(), bias, dense.activation());
  }

  private static void requireFinite(float[] values, String where) {
    for (float x : values) {
      if (!Float.isFinite(x)) {
        throw new ModelLoadException(where + ": holds NaN or infinite values");
      }
    }
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
    requireFinite(w, file.file().describe());
    return new Projection(w, file.inputs(), file.outputs(), null, Activation.IDENTITY);
  }

  int inputs() {
    return inputs;
  }

  int outputs() {
    return outputs;
  }

  float[] apply(float[] v) {
    float[] out = Vectors.project(v, weights, outputs);
    if (bias != null) {
      for (int j = 0; j < outputs; j++) {
        out[j] += bias[j];
      }
    }
    if (activation == Activation.TANH) {
      for (int j = 0; j < outputs; j++) {
        out[j] = (float) Math.tanh(out[j]);
      }
    }
    return out;
  }
}
