package dev.clipsearch.models.onnx;

import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtSession;
import dev.clipsearch.models.ClipModel;
import dev.clipsearch.models.Device;
import dev.clipsearch.models.ModelLoadException;
import dev.clipsearch.models.ModelSpec;
import dev.clipsearch.models.RuntimeOptions;
import dev.clipsearch.models.Variant;
import dev.clipsearch.models.image.PreprocessConfig;
import dev.clipsearch.models.text.TextTokenizer;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A CLIP model on ONNX Runtime: one session per tower, created once at load and shared by every
 * thread ({@code OrtSession.run} is thread-safe). Load it through {@link
 * dev.clipsearch.models.ClipModels#load}.
 */
public final class OnnxClipModel implements ClipModel {

  private static final Logger LOG = LoggerFactory.getLogger(OnnxClipModel.class);

  private final ModelSpec spec;
  private final ModelLayout layout;
  private final Device device;
  private final List<OrtSession> sessions;
  private final OnnxImageEncoder images;
  private final OnnxTextEncoder texts;
  private final AtomicBoolean closed = new AtomicBoolean();

  private OnnxClipModel(
      ModelSpec spec,
      ModelLayout layout,
      Device device,
      List<OrtSession> sessions,
      OnnxImageEncoder images,
      OnnxTextEncoder texts) {
    this.spec = spec;
    this.layout = layout;
    this.device = device;
    this.sessions = sessions;
    this.images = images;
    this.texts = texts;
  }

  /**
   * Loads the model in {@code dir}; see {@link dev.clipsearch.models.ClipModels#load(Path,
   * RuntimeOptions, ClassLoader)}.
   */
  public static OnnxClipModel load(Path dir, RuntimeOptions options, ClassLoader resources) {
    long start = System.nanoTime();
    ModelDescription desc = ModelDirectory.read(dir, options.variant(), resources);
    TextTokenizer tokenizer = TokenizerFiles.load(desc.text().tokenizer());
    String fingerprint = ModelFingerprint.of(desc.fingerprintedFiles());
    OrtEnvironment env = OrtEnvironment.getEnvironment();
    Sessions.Opened opened =
        Sessions.open(env, List.of(desc.image().onnx(), desc.text().onnx()), options);
    try {
      OnnxImageEncoder images =
          OnnxImageEncoder.bind(
              env, opened.sessions().get(0), desc.image(), options.batchSize(), desc.dimension());
      OnnxTextEncoder texts =
          OnnxTextEncoder.bind(
              env,
              opened.sessions().get(1),
              desc.text(),
              tokenizer,
              options.batchSize(),
              desc.dimension());
      if (images.dimension() != texts.dimension()
          || (desc.dimension() > 0 && desc.dimension() != images.dimension())) {
        throw new ModelLoadException(
            "model "
                + dir
                + ": the towers disagree on the embedding dimension: image "
                + images.dimension()
                + ", text "
                + texts.dimension()
                + (desc.dimension() > 0 ? ", configuration " + desc.dimension() : ""));
      }
      ModelSpec spec =
          new ModelSpec(
              modelId(desc.name(), fingerprint),
              images.dimension(),
              texts.contextLength(),
              desc.image().preprocess(),
              desc.logitScale());
      LOG.info(
          "loaded model {} ({} layout, {}, dimension {}) from {} on {} in {} ms",
          spec.id(),
          desc.layout(),
          options.variant(),
          spec.dimension(),
          dir,
          opened.device(),
          (System.nanoTime() - start) / 1_000_000);
      return new OnnxClipModel(
          spec, desc.layout(), opened.device(), opened.sessions(), images, texts);
    } catch (RuntimeException e) {
      Sessions.closeAll(opened.sessions());
      throw e;
    }
  }

  /**
   * The image preprocessing the model in {@code dir} declares, read from its configuration files
   * alone (no ONNX session is created); see {@link
   * dev.clipsearch.models.ClipModels#preprocessing(Path)}.
   */
  public static PreprocessConfig preprocessing(Path dir, ClassLoader resources) {
    return ModelDirectory.read(dir, Variant.FP32, resources).image().preprocess();
  }

  /**
   * {@code name-fingerprint}: the name lower-cased with anything but letters, digits, '.', '_' and
   * '-' replaced by '-', then the content fingerprint of the model's files.
   */
  static String modelId(String name, String fingerprint) {
    String clean =
        name.toLowerCase(java.util.Locale.ROOT)
            .replaceAll("[^a-z0-9._-]+", "-")
            .replaceAll("^[-.]+|[-.]+$", "");
    if (clean.length() > 64) {
      clean = clean.substring(0, 64);
    }
    return (clean.isEmpty() ? "model" : clean) + "-" + fingerprint;
  }

  @Override
  public ModelSpec spec() {
    return spec;
  }

  /** The device the sessions run on: {@code cpu} or {@code cuda:N}, never {@code auto}. */
  public Device device() {
    return device;
  }

  /** The directory layout the model was read from. */
  public ModelLayout layout() {
    return layout;
  }

  @Override
  public float[][] encodeTexts(List<String> batch) {
    requireOpen();
    return texts.encode(batch);
  }

  @Override
  public boolean fitsContext(String text) {
    return texts.fits(text);
  }

  @Override
  public float[][] encodeImages(List<float[]> pixelTensors) {
    requireOpen();
    return images.encode(pixelTensors);
  }

  private void requireOpen() {
    if (closed.get()) {
      throw new IllegalStateException("model " + spec.id() + " is closed");
    }
  }

  /** Closes the sessions; calling it again does nothing. Encoding after close fails. */
  @Override
  public void close() {
    if (closed.compareAndSet(false, true)) {
      Sessions.closeAll(sessions);
    }
  }

  @Override
  public String toString() {
    return "OnnxClipModel[" + spec.id() + ", " + layout + ", " + device + "]";
  }
}
