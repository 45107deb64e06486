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
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.nio.ShortBuffer;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;

/**
 * Runs an image tower: CHW float tensors in, normalized vectors out. The input's name, element type
 * (float or float16) and fixed axes are read from the session. Thread-safe.
 *
 * <p>It holds one or more sessions of the same graph, each with an input buffer of its own: a
 * direct, native-order buffer sized for a full batch, allocated on first use and reused by every
 * later batch (the tensor is created over it, so ONNX Runtime reads the pixels where they are,
 * without the per-batch array, copy and direct buffer of {@code OnnxTensor.createTensor} on a heap
 * array). A call takes an idle session for all its batches, so up to {@link #sessions()} calls run
 * at once; a call that finds none idle runs on the first session with buffers of its own, as every
 * call did before buffers were reused. The vectors are the same bits either way.
 *
 * <p>ONNX Runtime's Java API (1.23) has no IO binding ({@code OrtIoBinding} exists in the C, C++,
 * C# and Python APIs only), so on CUDA the input is still copied from this host buffer to the
 * device by each run; what the Java API offers, pinned outputs ({@code run(inputs, names,
 * pinnedOutputs)}), is not used: the vectors are 0.3 % of a batch's bytes.
 */
final class OnnxImageEncoder {

  private final OrtEnvironment env;
  private final List<OrtSession> sessions;
  private final BlockingQueue<Slot> idle;
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
      List<OrtSession> sessions,
      String file,
      TensorSpec input,
      int size,
      TensorSpec output,
      int outputWidth,
      Projection projection,
      int maxBatch) {
    this.env = env;
    this.sessions = List.copyOf(sessions);
    this.idle = new ArrayBlockingQueue<>(sessions.size());
    for (OrtSession session : sessions) {
      idle.add(new Slot(session));
    }
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
   * @param sessions one or more sessions of the tower's graph
   * @param dimensionHint the embedding length the configuration declares, 0 if none
   */
  static OnnxImageEncoder bind(
      OrtEnvironment env,
      List<OrtSession> sessions,
      ImageTower tower,
      int maxBatch,
      int dimensionHint) {
    if (sessions.isEmpty()) {
      throw new IllegalArgumentException("an image encoder needs at least one session");
    }
    OrtSession session = sessions.get(0);
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
        env, sessions, file, input, side, output, outputWidth, projection, maxBatch);
  }

  /** How many calls can encode at once, each on its own session. */
  int sessions() {
    return sessions.size();
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
    Slot slot = idle.poll();
    try {
      for (int from = 0; from < pixels.size(); from += batches.chunk()) {
        int real = Math.min(batches.chunk(), pixels.size() - from);
        run(slot, pixels, from, real, out);
      }
    } finally {
      if (slot != null) {
        idle.add(slot);
      }
    }
    return out;
  }

  /** Runs one batch on {@code slot}, or on the first session with fresh buffers when null. */
  private void run(Slot slot, List<float[]> pixels, int from, int real, float[][] out) {
    int rows = batches.rows(real);
    long[] shape = {rows, 3, size, size};
    OrtSession session = slot != null ? slot.session : sessions.get(0);
    try (OnnxTensor tensor =
            slot != null
                ? slot.pixelTensor(pixels, from, real, rows, shape)
                : pixelTensor(gather(pixels, from, real, rows), shape);
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

  /** The rows of one call in one array; short calls are padded with their first input. */
  private float[] gather(List<float[]> pixels, int from, int real, int rows) {
    int length = 3 * size * size;
    float[] data = new float[rows * length];
    for (int r = 0; r < rows; r++) {
      System.arraycopy(pixels.get(from + (r < real ? r : 0)), 0, data, r * length, length);
    }
    return data;
  }

  /** A tensor over a fresh copy of {@code data}: for calls that found no idle session. */
  private OnnxTensor pixelTensor(float[] data, long[] shape) throws OrtException {
    FloatBuffer buffer = FloatBuffer.wrap(data);
    if (fp16) {
      return OnnxTensor.createTensor(
          env, Fp16Conversions.convertFloatBufferToFp16Buffer(buffer), shape, OnnxJavaType.FLOAT16);
    }
    return OnnxTensor.createTensor(env, buffer, shape);
  }

  /** A session and its input buffer; used by one call at a time. */
  private final class Slot {
    final OrtSession session;
    private ByteBuffer input;

    Slot(OrtSession session) {
      this.session = session;
    }

    /**
     * The rows of one call written into this slot's buffer (float16 when the graph wants it, by the
     * same conversion as {@link Fp16Conversions#convertFloatBufferToFp16Buffer}), and a tensor over
     * exactly those rows.
     */
    OnnxTensor pixelTensor(List<float[]> pixels, int from, int real, int rows, long[] shape)
        throws OrtException {
      int length = 3 * size * size;
      int bytesPerValue = fp16 ? 2 : 4;
      long needed = (long) batches.rows(batches.chunk()) * length * bytesPerValue;
      if (needed > Integer.MAX_VALUE) {
        throw new IllegalArgumentException(
            "a batch of " + batches.chunk() + " images does not fit in one buffer; use fewer");
      }
      if (input == null) {
        input = ByteBuffer.allocateDirect((int) needed).order(ByteOrder.nativeOrder());
      }
      if (fp16) {
        ShortBuffer values = input.asShortBuffer();
        for (int r = 0; r < rows; r++) {
          float[] p = pixels.get(from + (r < real ? r : 0));
          int base = r * length;
          for (int i = 0; i < length; i++) {
            values.put(base + i, Fp16Conversions.floatToFp16(p[i]));
          }
        }
        return OnnxTensor.createTensor(
            env, values.slice(0, rows * length), shape, OnnxJavaType.FLOAT16);
      }
      FloatBuffer values = input.asFloatBuffer();
      for (int r = 0; r < rows; r++) {
        values.put(r * length, pixels.get(from + (r < real ? r : 0)), 0, length);
      }
      return OnnxTensor.createTensor(env, values.slice(0, rows * length), shape);
    }
  }
}
