package dev.clipsearch.models.onnx;

import ai.onnxruntime.OnnxJavaType;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import ai.onnxruntime.platform.Fp16Conversions;
import dev.clipsearch.models.InferenceException;
import dev.clipsearch.models.ModelLoadException;
import dev.clipsearch.models.onnx.ModelDescription.ImageTower;
import java.nio.FloatBuffer;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Runs an image tower: CHW float tensors in, normalized vectors out. The input's name, element type
 * (float or float16) and fixed axes are read from the session. Immutable and thread-safe.
 */
final class OnnxImageEncoder {

  private final OrtEnvironment env;
  private final OrtSession session;
  private final String file;
  private final String inputName;
  private final boolean fp16;
  private final int size;
  private final String outputName;
  private final int outputWidth;
  private final Projection projection;
  private final Batches batches;

  private OnnxImageEncoder(
      OrtEnvironment env,
      OrtSession session,
      String file,
      TensorSpec input,
      int size,
      TensorSpec output,
      int outputWidth,
      Projection projection,
      int maxBatch) {
    this.env = env;
    this.session = session;
    this.file = file;
    this.inputName = input.name();
    this.fp16 = input.type() == OnnxJavaType.FLOAT16;
    this.size = size;
    this.outputName = output.name();
    this.outputWidth = outputWidth;
    this.projection = projection;
    this.batches = new Batches(maxBatch, input.fixed(0));
  }

  /**
   * Checks the graph against the tower's description and binds its input and output.
   *
   * @param dimensionHint the embedding length the configuration declares, 0 if none
   */
  static OnnxImageEncoder bind(
      OrtEnvironment env, OrtSession session, ImageTower tower, int maxBatch, int dimensionHint) {
    String file = tower.onnx().describe();
    List<TensorSpec> inputs = TensorSpec.inputs(session, file);
    TensorSpec input;
    if (tower.input() != null) {
      input = TensorSpec.named(inputs, tower.input(), file, "input");
    } else if (inputs.size() == 1) {
      input = inputs.get(0);
    } else {
      throw new ModelLoadException(
          file
              + ": an image tower takes one pixel input; name it in the manifest. Inputs found: "
              + TensorSpec.describe(inputs));
    }
    for (TensorSpec other : inputs) {
      if (other != input) {
        throw new ModelLoadException(
            file + ": unsupported extra input " + other.describe() + " besides " + input.name());
      }
    }
    int side = tower.preprocess().size();
    if (!input.isFloat()
        || input.rank() != 4
        || (input.fixed(1) != 0 && input.fixed(1) != 3)
        || (input.fixed(2) != 0 && input.fixed(2) != side)
        || (input.fixed(3) != 0 && input.fixed(3) != side)) {
      throw new ModelLoadException(
          file
              + ": pixel input "
              + input.describe()
              + " is not a float [batch, 3, "
              + side
              + ", "
              + side
              + "] tensor as the preprocessing configuration says");
    }
    Projection projection = Projection.load(tower.projection());
    int width = projection != null ? projection.inputs() : dimensionHint;
    TensorSpec output =
        Outputs.choose(TensorSpec.outputs(session, file), tower.output(), 2, width, file);
    int outputWidth = Outputs.width(output, width, projection, file);
    return new OnnxImageEncoder(
        env, session, file, input, side, output, outputWidth, projection, maxBatch);
  }

  int dimension() {
    return projection != null ? projection.outputs() : outputWidth;
  }

  float[][] encode(List<float[]> pixels) {
    int length = 3 * size * size;
    for (int i = 0; i < pixels.size(); i++) {
      float[] p = pixels.get(i);
      if (p == null || p.length != length) {
        throw new IllegalArgumentException(
            "image "
                + i
                + ": expected a 3x"
                + size
                + "x"
                + size
                + " tensor of "
                + length
                + " floats, got "
                + (p == null ? "null" : p.length + " floats"));
      }
    }
    float[][] out = new float[pixels.size()][];
    for (int from = 0; from < pixels.size(); from += batches.chunk()) {
      int real = Math.min(batches.chunk(), pixels.size() - from);
      run(pixels, from, real, out);
    }
    return out;
  }

  private void run(List<float[]> pixels, int from, int real, float[][] out) {
    int rows = batches.rows(real);
    int length = 3 * size * size;
    float[] data = new float[rows * length];
    for (int r = 0; r < rows; r++) {
      System.arraycopy(pixels.get(from + (r < real ? r : 0)), 0, data, r * length, length);
    }
    long[] shape = {rows, 3, size, size};
    try (OnnxTensor tensor = pixelTensor(data, shape);
        OrtSession.Result result = session.run(Map.of(inputName, tensor), Set.of(outputName))) {
      float[] values = Results.floats(result, outputName, rows, outputWidth, file);
      for (int r = 0; r < real; r++) {
        float[] v = new float[outputWidth];
        System.arraycopy(values, r * outputWidth, v, 0, outputWidth);
        out[from + r] = Vectors.l2Normalize(projection == null ? v : projection.apply(v));
      }
    } catch (OrtException e) {
      throw new InferenceException(
          file + ": inference failed on a batch of " + rows + " images: " + Sessions.oneLine(e), e);
    }
  }

  private OnnxTensor pixelTensor(float[] data, long[] shape) throws OrtException {
    FloatBuffer buffer = FloatBuffer.wrap(data);
    if (fp16) {
      return OnnxTensor.createTensor(
          env, Fp16Conversions.convertFloatBufferToFp16Buffer(buffer), shape, OnnxJavaType.FLOAT16);
    }
    return OnnxTensor.createTensor(env, buffer, shape);
  }
}
