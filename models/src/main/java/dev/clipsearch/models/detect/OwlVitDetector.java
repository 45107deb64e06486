package dev.clipsearch.models.detect;

import ai.onnxruntime.NodeInfo;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OnnxValue;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import ai.onnxruntime.TensorInfo;
import dev.clipsearch.models.Device;
import dev.clipsearch.models.InferenceException;
import dev.clipsearch.models.ModelLoadException;
import dev.clipsearch.models.RuntimeOptions;
import dev.clipsearch.models.Variant;
import dev.clipsearch.models.image.DecodedImage;
import dev.clipsearch.models.text.ClipBpeTokenizer;
import dev.clipsearch.models.text.TextTokenizer;
import dev.clipsearch.models.text.Tokenizers;
import java.nio.FloatBuffer;
import java.nio.LongBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Zero-shot detection with an OWL-ViT ONNX export on ONNX Runtime.
 *
 * <p>The directory is a Hugging Face one: the graph at {@code onnx/model.onnx} (transformers.js,
 * with {@code onnx/model_quantized.onnx} for {@link Variant#QUANTIZED}) or {@code model.onnx} at
 * the root (optimum), plus {@code config.json}, {@code preprocessor_config.json} and the CLIP BPE
 * {@code tokenizer.json}; sizes come from {@link OwlVitConfig}. The graph's contract: inputs {@code
 * pixel_values [images, 3, S, S]}, {@code input_ids} and {@code attention_mask [queries, L]}
 * (int64); outputs {@code logits [images, patches, queries]} and {@code pred_boxes [images,
 * patches, 4]} (also {@code text_embeds} and {@code image_embeds}, unused here).
 *
 * <p>Each call runs one image with all its labels: {@link OwlVitPreprocessor}, {@link
 * OwlVitQueries}, the session, {@link OwlVitPostprocessor}, then NMS as the options ask. Runs on
 * the CPU (the fp16 variant, meant for GPUs, is not supported). Thread-safe: one session serves
 * every thread.
 */
public final class OwlVitDetector implements Detector {

  static final List<String> INPUTS = List.of("pixel_values", "input_ids", "attention_mask");
  static final List<String> OUTPUTS = List.of("logits", "pred_boxes");

  private final Path dir;
  private final Path modelFile;
  private final OwlVitConfig config;
  private final OwlVitPreprocessor preprocessor;
  private final TextTokenizer tokenizer;
  private final OrtEnvironment env;
  private final OrtSession session;

  private OwlVitDetector(
      Path dir,
      Path modelFile,
      OwlVitConfig config,
      TextTokenizer tokenizer,
      OrtEnvironment env,
      OrtSession session) {
    this.dir = dir;
    this.modelFile = modelFile;
    this.config = config;
    this.preprocessor = new OwlVitPreprocessor(config.preprocess());
    this.tokenizer = tokenizer;
    this.env = env;
    this.session = session;
  }

  /**
   * Loads the OWL-ViT model in {@code dir}.
   *
   * @throws ModelLoadException naming the file when a file is missing, a config is wrong, the
   *     tokenizer is not CLIP's BPE, or the graph lacks an input or output of the contract
   */
  public static OwlVitDetector load(Path dir, RuntimeOptions options) {
    Objects.requireNonNull(dir, "dir");
    if (!Files.isDirectory(dir)) {
      throw new ModelLoadException("OWL-ViT model directory not found: " + dir);
    }
    // a variant left to the device is the CPU's, fp32: the detector runs on the CPU only
    Variant variant = options.variant() == null ? Variant.FP32 : options.variant();
    if (variant == Variant.FP16) {
      throw new ModelLoadException(
          "the fp16 variant of an OWL-ViT model is not supported (use fp32 or quantized): " + dir);
    }
    if (options.device().kind() == Device.Kind.CUDA) {
      throw new ModelLoadException(
          "the OWL-ViT detector runs on the CPU only; device " + options.device() + " requested");
    }
    // Not asked for: the fp32 graph, else the quantized one (a cache directory of the q8 variant,
    // `models fetch owlvit-base-patch32 --variant q8`, holds only that).
    Path modelFile =
        options.variant() == null
                && !hasModelFile(dir, Variant.FP32)
                && hasModelFile(dir, Variant.QUANTIZED)
            ? modelFile(dir, Variant.QUANTIZED)
            : modelFile(dir, variant);
    OwlVitConfig config = OwlVitConfig.read(dir);
    TextTokenizer tokenizer = Tokenizers.load(dir.resolve("tokenizer.json"));
    if (!(tokenizer instanceof ClipBpeTokenizer)) {
      throw new ModelLoadException(
          dir.resolve("tokenizer.json") + ": OWL-ViT needs CLIP's BPE tokenizer, not WordPiece");
    }
    OrtEnvironment env = OrtEnvironment.getEnvironment();
    OrtSession session;
    try (OrtSession.SessionOptions so = new OrtSession.SessionOptions()) {
      so.setOptimizationLevel(OrtSession.SessionOptions.OptLevel.ALL_OPT);
      if (options.intraOpThreads() > 0) {
        so.setIntraOpNumThreads(options.intraOpThreads());
      }
      session = env.createSession(modelFile.toString(), so);
    } catch (OrtException e) {
      throw new ModelLoadException(modelFile + ": ONNX Runtime cannot load it: " + e, e);
    }
    try {
      checkContract(session, modelFile, config);
    } catch (ModelLoadException | OrtException e) {
      close(session);
      throw e instanceof ModelLoadException m
          ? m
          : new ModelLoadException(modelFile + ": cannot read its inputs: " + e, e);
    }
    return new OwlVitDetector(dir, modelFile, config, tokenizer, env, session);
  }

  private static boolean hasModelFile(Path dir, Variant variant) {
    try {
      modelFile(dir, variant);
      return true;
    } catch (ModelLoadException e) {
      return false;
    }
  }

  /** The graph of a directory, by layout: onnx/model.onnx (transformers.js), model.onnx. */
  static Path modelFile(Path dir, Variant variant) {
    String name = variant == Variant.QUANTIZED ? "model_quantized.onnx" : "model.onnx";
    for (Path candidate : List.of(dir.resolve("onnx").resolve(name), dir.resolve(name))) {
      if (Files.isRegularFile(candidate)) {
        return candidate;
      }
    }
    throw new ModelLoadException(
        dir
            + " holds no OWL-ViT graph: expected onnx/"
            + name
            + " (transformers.js) or "
            + name
            + " (optimum)");
  }

  private static void checkContract(OrtSession session, Path file, OwlVitConfig config)
      throws OrtException {
    Map<String, NodeInfo> inputs = session.getInputInfo();
    for (String name : INPUTS) {
      if (!inputs.containsKey(name)) {
        throw new ModelLoadException(
            file + ": the graph has no input " + name + " (inputs: " + inputs.keySet() + ")");
      }
    }
    Map<String, NodeInfo> outputs = session.getOutputInfo();
    for (String name : OUTPUTS) {
      if (!outputs.containsKey(name)) {
        throw new ModelLoadException(
            file + ": the graph has no output " + name + " (outputs: " + outputs.keySet() + ")");
      }
    }
    if (inputs.get("pixel_values").getInfo() instanceof TensorInfo info) {
      long[] shape = info.getShape();
      if (shape.length != 4
          || (shape[2] > 0 && shape[2] != config.imageSize())
          || (shape[3] > 0 && shape[3] != config.imageSize())) {
        throw new ModelLoadException(
            file
                + ": pixel_values has shape "
                + java.util.Arrays.toString(shape)
                + ", the configs say "
                + config.imageSize()
                + " x "
                + config.imageSize());
      }
    }
  }

  /** The model's configuration. */
  public OwlVitConfig config() {
    return config;
  }

  @Override
  public String name() {
    return "owlvit:" + dir.toAbsolutePath().normalize().getFileName();
  }

  @Override
  public List<Detection> detect(DecodedImage image, List<String> labels, DetectOptions options) {
    Detector.checkLabels(labels);
    Objects.requireNonNull(options, "options");
    OwlVitQueries queries =
        OwlVitQueries.encode(tokenizer, labels, config.queryLength(), config.padId());
    Raw raw = infer(preprocessor.preprocess(image), queries);
    List<Detection> detections =
        OwlVitPostprocessor.postProcess(
            raw.logits(),
            raw.boxes(),
            queries.padded(config.padId()),
            labels,
            image.width(),
            image.height(),
            options.threshold());
    return NonMaxSuppression.finish(detections, options);
  }

  /**
   * The graph's raw outputs for one image.
   *
   * @param logits {@code patches * queries}
   * @param boxes {@code patches * 4}
   * @param patches the patch count
   */
  record Raw(float[] logits, float[] boxes, int patches) {}

  /** Runs the graph on one preprocessed image and its queries. */
  Raw infer(float[] pixels, OwlVitQueries queries) {
    int size = config.imageSize();
    long[] idShape = {queries.count(), queries.length()};
    try (OnnxTensor pixelValues =
            OnnxTensor.createTensor(env, FloatBuffer.wrap(pixels), new long[] {1, 3, size, size});
        OnnxTensor inputIds =
            OnnxTensor.createTensor(env, LongBuffer.wrap(queries.inputIds()), idShape);
        OnnxTensor mask =
            OnnxTensor.createTensor(env, LongBuffer.wrap(queries.attentionMask()), idShape);
        OrtSession.Result result =
            session.run(
                Map.of("pixel_values", pixelValues, "input_ids", inputIds, "attention_mask", mask),
                java.util.Set.copyOf(OUTPUTS))) {
      float[] logits = floats(result, "logits");
      float[] boxes = floats(result, "pred_boxes");
      long[] logitShape = shape(result, "logits");
      long[] boxShape = shape(result, "pred_boxes");
      if (logitShape.length != 3
          || logitShape[0] != 1
          || logitShape[2] != queries.count()
          || boxShape.length != 3
          || boxShape[1] != logitShape[1]
          || boxShape[2] != 4) {
        throw new InferenceException(
            modelFile
                + ": outputs logits "
                + java.util.Arrays.toString(logitShape)
                + " and pred_boxes "
                + java.util.Arrays.toString(boxShape)
                + " do not match [1, patches, "
                + queries.count()
                + "] and [1, patches, 4]",
            null);
      }
      return new Raw(logits, boxes, (int) logitShape[1]);
    } catch (OrtException e) {
      throw new InferenceException(
          modelFile + ": inference failed for " + queries.count() + " queries: " + e, e);
    }
  }

  private static float[] floats(OrtSession.Result result, String name) {
    OnnxValue value = result.get(name).orElseThrow();
    FloatBuffer buffer = ((OnnxTensor) value).getFloatBuffer();
    float[] out = new float[buffer.remaining()];
    buffer.get(out);
    return out;
  }

  private static long[] shape(OrtSession.Result result, String name) {
    return ((TensorInfo) result.get(name).orElseThrow().getInfo()).getShape();
  }

  @Override
  public void close() {
    close(session);
  }

  private static void close(OrtSession session) {
    try {
      session.close();
    } catch (OrtException e) {
      // nothing left to release
    }
  }
}
