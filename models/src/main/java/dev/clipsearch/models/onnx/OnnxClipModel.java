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
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A CLIP model on ONNX Runtime: one text session and one or more image sessions ({@link
 * RuntimeOptions#encoderSessions()}), created once at load and shared by every thread ({@code
 * OrtSession.run} is thread-safe). Load it through {@link dev.clipsearch.models.ClipModels#load}.
 */
public final class OnnxClipModel implements ClipModel {

  private static final Logger LOG = LoggerFactory.getLogger(OnnxClipModel.class);

  private final ModelSpec spec;
  private final ModelLayout layout;
  private final Device device;
  private final RuntimeOptions runtime;
  private final List<OrtSession> sessions;
  private final OnnxImageEncoder images;
  private final OnnxTextEncoder texts;
  private final AtomicBoolean closed = new AtomicBoolean();

  private OnnxClipModel(
      ModelSpec spec,
      ModelLayout layout,
      RuntimeOptions runtime,
      List<OrtSession> sessions,
      OnnxImageEncoder images,
      OnnxTextEncoder texts) {
    this.spec = spec;
    this.layout = layout;
    this.runtime = runtime;
    this.device = runtime.device();
    this.sessions = sessions;
    this.images = images;
    this.texts = texts;
  }

  /**
   * Loads the model in {@code dir}; see {@link dev.clipsearch.models.ClipModels#load(Path,
   * RuntimeOptions, ClassLoader)}. Choices left to the device ({@link RuntimeOptions#byDevice()})
   * are made for the device tried first; when {@code auto} falls back from CUDA to the CPU and the
   * CPU would choose otherwise, the model is loaded again with the CPU's choices.
   */
  public static OnnxClipModel load(Path dir, RuntimeOptions options, ClassLoader resources) {
    long start = System.nanoTime();
    Device first = Sessions.firstChoice(options.device());
    Set<Variant> offered = ModelDirectory.offered(dir);
    RuntimeOptions planned = options.resolvedOn(first, options.variantOn(first, offered));
    OnnxClipModel model = load(dir, planned.withDevice(options.device()), resources, start);
    if (!model.device.equals(first)) {
      RuntimeOptions onCpu = options.resolvedOn(Device.CPU, options.variantOn(Device.CPU, offered));
      if (!onCpu.equals(model.runtime)) {
        model.close();
        model = load(dir, onCpu, resources, start);
      }
    }
    return model;
  }

  /** Loads with every choice made except, for {@code auto}, the device. */
  private static OnnxClipModel load(
      Path dir, RuntimeOptions options, ClassLoader resources, long start) {
    ModelDescription desc = ModelDirectory.read(dir, options.variant(), resources);
    TextTokenizer tokenizer = TokenizerFiles.load(desc.text().tokenizer());
    String fingerprint = ModelFingerprint.of(desc.fingerprintedFiles());
    OrtEnvironment env = OrtEnvironment.getEnvironment();
    List<Sessions.Planned> plan = new ArrayList<>();
    for (int i = 0; i < options.encoderSessions(); i++) {
      plan.add(new Sessions.Planned(desc.image().onnx(), Sessions.Role.IMAGE_BATCHES));
    }
    plan.add(new Sessions.Planned(desc.text().onnx(), Sessions.Role.TEXT_QUERIES));
    Sessions.Opened opened = Sessions.open(env, plan, options);
    List<OrtSession> sessions = opened.sessions();
    int imageSessions = options.encoderSessions();
    try {
      OnnxImageEncoder images =
          OnnxImageEncoder.bind(
              env,
              sessions.subList(0, imageSessions),
              desc.image(),
              options.batchSize(),
              desc.dimension());
      OnnxTextEncoder texts =
          OnnxTextEncoder.bind(
              env,
              sessions.get(imageSessions),
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
              desc.logitScale(),
              desc.scores());
      RuntimeOptions runtime = options.withDevice(opened.device());
      LOG.info(
          "loaded model {} ({} layout, {}, dimension {}, scores {}) from {} on {} ({}) in {} ms",
          spec.id(),
          desc.layout(),
          options.variant(),
          spec.dimension(),
          spec.scores(),
          dir,
          opened.device(),
          runtime.describe(),
          (System.nanoTime() - start) / 1_000_000);
      return new OnnxClipModel(spec, desc.layout(), runtime, sessions, images, texts);
    } catch (RuntimeException e) {
      Sessions.closeAll(sessions);
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

  /**
   * The options the model runs with, every choice made: the device in use, the batch size, the
   * encoder sessions, the variant (its precision) and the intra-op threads.
   */
  public RuntimeOptions runtime() {
    return runtime;
  }

  @Override
  public int imageEncoderSessions() {
    return images.sessions();
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
