package dev.clipsearch.models.onnx;

import ai.onnxruntime.OnnxJavaType;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import dev.clipsearch.models.InferenceException;
import dev.clipsearch.models.ModelLoadException;
import dev.clipsearch.models.onnx.ModelDescription.Pooling;
import dev.clipsearch.models.onnx.ModelDescription.TextTower;
import dev.clipsearch.models.text.TextTokenizer;
import java.nio.IntBuffer;
import java.nio.LongBuffer;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Runs a text tower: tokenizes, pads, feeds the graph, pools and projects. Everything about the
 * graph's inputs is read from the session: the id input's name and element type (int32 or int64),
 * whether it wants an {@code attention_mask} or {@code token_type_ids}, and whether its sequence
 * axis is fixed (then every text is padded to that length) or dynamic (then a batch is padded to
 * its longest text, or to the context length when the tower says so, as SigLIP's does). Immutable
 * and thread-safe.
 */
final class OnnxTextEncoder {

  static final String ATTENTION_MASK = "attention_mask";
  static final String TOKEN_TYPE_IDS = "token_type_ids";
  static final String INPUT_IDS = "input_ids";
  static final String LAST_HIDDEN_STATE = "last_hidden_state";

  private final OrtEnvironment env;
  private final OrtSession session;
  private final String file;
  private final TextTokenizer tokenizer;
  private final int contextLength;
  private final int fixedLength;
  private final TensorSpec ids;
  private final TensorSpec mask;
  private final TensorSpec typeIds;
  private final String outputName;
  private final int outputWidth;
  private final Pooling pooling;
  private final boolean normalizeBeforeProjection;
  private final Projection projection;
  private final Batches batches;

  private OnnxTextEncoder(
      OrtEnvironment env,
      OrtSession session,
      TextTower tower,
      TextTokenizer tokenizer,
      TensorSpec ids,
      TensorSpec mask,
      TensorSpec typeIds,
      TensorSpec output,
      int outputWidth,
      Projection projection,
      int maxBatch) {
    this.env = env;
    this.session = session;
    this.file = tower.onnx().describe();
    this.tokenizer = tokenizer;
    int graphLength = ids.fixed(1);
    this.contextLength =
        graphLength > 0 ? Math.min(graphLength, tower.contextLength()) : tower.contextLength();
    // SigLIP: every text padded to the context, as the model was trained
    this.fixedLength = graphLength == 0 && tower.padToContext() ? contextLength : graphLength;
    this.ids = ids;
    this.mask = mask;
    this.typeIds = typeIds;
    this.outputName = output.name();
    this.outputWidth = outputWidth;
    this.pooling = tower.pooling();
    this.normalizeBeforeProjection = tower.normalizeBeforeProjection();
    this.projection = projection;
    this.batches = new Batches(maxBatch, ids.fixed(0));
  }

  /**
   * Checks the graph against the tower's description and binds its inputs and output.
   *
   * @param dimensionHint the embedding length the configuration declares, 0 if none
   */
  static OnnxTextEncoder bind(
      OrtEnvironment env,
      OrtSession session,
      TextTower tower,
      TextTokenizer tokenizer,
      int maxBatch,
      int dimensionHint) {
    String file = tower.onnx().describe();
    List<TensorSpec> inputs = TensorSpec.inputs(session, file);
    TensorSpec mask = null;
    TensorSpec typeIds = null;
    TensorSpec ids = null;
    if (tower.input() != null) {
      ids = TensorSpec.named(inputs, tower.input(), file, "input");
    }
    for (TensorSpec in : inputs) {
      if (in == ids) {
        continue;
      }
      switch (in.name()) {
        case ATTENTION_MASK -> mask = in;
        case TOKEN_TYPE_IDS -> typeIds = in;
        default -> {
          if (ids != null) {
            throw new ModelLoadException(
                file
                    + ": unsupported text input "
                    + in.describe()
                    + "; expected token ids, attention_mask and token_type_ids. Inputs found: "
                    + TensorSpec.describe(inputs));
          }
          ids = in;
        }
      }
    }
    if (ids == null) {
      throw new ModelLoadException(
          file + ": no token id input; inputs found: " + TensorSpec.describe(inputs));
    }
    for (TensorSpec in : new TensorSpec[] {ids, mask, typeIds}) {
      if (in != null && (!in.isInteger() || in.rank() != 2)) {
        throw new ModelLoadException(
            file + ": text input " + in.describe() + " must be an int32 or int64 [batch, tokens]");
      }
    }
    Projection projection =
        tower.dense() != null
            ? Projection.dense(tower.dense())
            : Projection.load(tower.projection());
    int width = projection != null ? projection.inputs() : dimensionHint;
    String wanted =
        tower.output() == null && tower.pooling() == Pooling.MEAN
            ? LAST_HIDDEN_STATE
            : tower.output();
    int rank = tower.pooling() == Pooling.MEAN ? 3 : 2;
    TensorSpec output =
        Outputs.choose(TensorSpec.outputs(session, file), wanted, rank, width, file);
    int outputWidth = Outputs.width(output, width, projection, file);
    return new OnnxTextEncoder(
        env,
        session,
        tower,
        tokenizer,
        ids,
        mask,
        typeIds,
        output,
        outputWidth,
        projection,
        maxBatch);
  }

  int dimension() {
    return projection != null ? projection.outputs() : outputWidth;
  }

  /** The most tokens a text keeps, start and end tokens included. */
  int contextLength() {
    return contextLength;
  }

  /** Whether {@code text} fits the context without being cut (see {@link #encode}). */
  boolean fits(String text) {
    // One token more than the context is enough to tell: a longer text is cut to that length.
    return tokenizer.encode(text, contextLength + 1).length <= contextLength;
  }

  float[][] encode(List<String> texts) {
    int[][] tokens = new int[texts.size()][];
    for (int i = 0; i < tokens.length; i++) {
      String text = texts.get(i);
      if (text == null) {
        throw new IllegalArgumentException("text " + i + " is null");
      }
      tokens[i] = tokenizer.encode(text, contextLength);
      if (tokens[i].length == 0 || tokens[i].length > contextLength) {
        throw new IllegalStateException(
            "tokenizer returned "
                + tokens[i].length
                + " ids for text "
                + i
                + ", limit "
                + contextLength);
      }
    }
    float[][] out = new float[tokens.length][];
    for (int from = 0; from < tokens.length; from += batches.chunk()) {
      run(tokens, from, Math.min(batches.chunk(), tokens.length - from), out);
    }
    return out;
  }

  private void run(int[][] tokens, int from, int real, float[][] out) {
    int rows = batches.rows(real);
    int length = fixedLength;
    if (length == 0) {
      for (int r = 0; r < real; r++) {
        length = Math.max(length, tokens[from + r].length);
      }
    }
    int[] idValues = new int[rows * length];
    int[] maskValues = new int[rows * length];
    java.util.Arrays.fill(idValues, tokenizer.padId());
    for (int r = 0; r < rows; r++) {
      int[] t = tokens[from + (r < real ? r : 0)];
      System.arraycopy(t, 0, idValues, r * length, t.length);
      java.util.Arrays.fill(maskValues, r * length, r * length + t.length, 1);
    }
    long[] shape = {rows, length};
    try (OnnxTensor idTensor = intTensor(ids, idValues, shape);
        OnnxTensor maskTensor = mask == null ? null : intTensor(mask, maskValues, shape);
        OnnxTensor typeTensor =
            typeIds == null ? null : intTensor(typeIds, new int[rows * length], shape);
        OrtSession.Result result =
            session.run(feeds(idTensor, maskTensor, typeTensor), Set.of(outputName))) {
      float[] values =
          pooling == Pooling.MEAN
              ? Results.floats(result, outputName, rows, outputWidth, file, length)
              : Results.floats(result, outputName, rows, outputWidth, file);
      for (int r = 0; r < real; r++) {
        float[] v;
        if (pooling == Pooling.MEAN) {
          v = Vectors.meanPool(values, r, length, outputWidth, tokens[from + r].length);
        } else {
          v = new float[outputWidth];
          System.arraycopy(values, r * outputWidth, v, 0, outputWidth);
        }
        if (projection != null) {
          v = projection.apply(normalizeBeforeProjection ? Vectors.l2Normalize(v) : v);
        }
        out[from + r] = Vectors.l2Normalize(v);
      }
    } catch (OrtException e) {
      throw new InferenceException(
          file + ": inference failed on a batch of " + rows + " texts: " + Sessions.oneLine(e), e);
    }
  }

  private Map<String, OnnxTensor> feeds(
      OnnxTensor idTensor, OnnxTensor maskTensor, OnnxTensor typeTensor) {
    Map<String, OnnxTensor> feeds = new HashMap<>();
    feeds.put(ids.name(), idTensor);
    if (maskTensor != null) {
      feeds.put(mask.name(), maskTensor);
    }
    if (typeTensor != null) {
      feeds.put(typeIds.name(), typeTensor);
    }
    return feeds;
  }

  private OnnxTensor intTensor(TensorSpec spec, int[] values, long[] shape) throws OrtException {
    if (spec.type() == OnnxJavaType.INT32) {
      return OnnxTensor.createTensor(env, IntBuffer.wrap(values), shape);
    }
    long[] wide = new long[values.length];
    for (int i = 0; i < values.length; i++) {
      wide[i] = values[i];
    }
    return OnnxTensor.createTensor(env, LongBuffer.wrap(wide), shape);
  }
}
