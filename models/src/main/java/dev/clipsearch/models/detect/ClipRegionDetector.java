package dev.clipsearch.models.detect;

import dev.clipsearch.models.ClipModel;
import dev.clipsearch.models.image.BicubicResizer;
import dev.clipsearch.models.image.ClipImagePreprocessor;
import dev.clipsearch.models.image.DecodedImage;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Zero-shot detection with any CLIP model and no detection model: {@link RegionProposals} windows
 * are cropped from the image, encoded in batches by the model's image tower, and each crop's
 * similarities to the labels and to a few background prompts go through a softmax at the model's
 * logit scale. A label's probability in a window is that detection's score; windows above the
 * threshold go through per-label NMS (if the options ask), best first.
 *
 * <p>The background prompts give the softmax somewhere to put a window that shows no label, so a
 * window mostly filled by its object beats a larger one holding the object and much else. Images
 * whose shorter side exceeds {@link Config#workingSide} are first resized (PIL bicubic) so that it
 * equals it; boxes are mapped back to the original's pixels.
 *
 * <p>Works with every {@link ClipModel}, including the offline {@code clipsearch-emoji-mini}. Cost:
 * one image-tower pass per window (about 200 for the default windows on a 4:3 image). Thread-safe;
 * does not close the model, which its owner shares.
 */
public final class ClipRegionDetector implements Detector {

  /**
   * How the detector proposes and scores windows.
   *
   * @param windowFractions window sides as fractions of the image's shorter side
   * @param stride window step as a fraction of the window side
   * @param backgroundPrompts texts that stand for "none of the labels"
   * @param workingSide images with a larger shorter side are downscaled to it first
   * @param batchSize crops per image-tower call
   */
  public record Config(
      double[] windowFractions,
      double stride,
      List<String> backgroundPrompts,
      int workingSide,
      int batchSize) {

    /** Default background prompts: scenery without an object. */
    public static final List<String> DEFAULT_BACKGROUNDS =
        List.of(
            "background",
            "an empty wall",
            "a floor",
            "a texture",
            "an empty room",
            "a blurry photo",
            "a pattern");

    public Config {
      windowFractions = windowFractions.clone();
      RegionProposals.windows(1, 1, windowFractions, stride); // validates both
      backgroundPrompts = List.copyOf(backgroundPrompts);
      if (workingSide < 16) {
        throw new IllegalArgumentException("working side must be >= 16, got " + workingSide);
      }
      if (batchSize < 1) {
        throw new IllegalArgumentException("batch size must be >= 1, got " + batchSize);
      }
    }

    /** Windows of 20% to 90% of the shorter side, a third of a window apart; 480 px. */
    public static Config defaults() {
      return new Config(
          new double[] {0.2, 0.28, 0.38, 0.52, 0.7, 0.9}, 1.0 / 3, DEFAULT_BACKGROUNDS, 480, 32);
    }

    @Override
    public double[] windowFractions() {
      return windowFractions.clone();
    }
  }

  private final ClipModel model;
  private final Config config;
  private final ClipImagePreprocessor preprocessor;
  private final float[][] backgrounds;

  /** A detector on {@code model} (not closed by this detector) with the given configuration. */
  public ClipRegionDetector(ClipModel model, Config config) {
    this.model = Objects.requireNonNull(model, "model");
    this.config = Objects.requireNonNull(config, "config");
    this.preprocessor = new ClipImagePreprocessor(model.spec().preprocess());
    this.backgrounds =
        config.backgroundPrompts().isEmpty()
            ? new float[0][]
            : model.encodeTexts(config.backgroundPrompts());
  }

  /** The configuration. */
  public Config config() {
    return config;
  }

  @Override
  public String name() {
    return "clip-regions:" + model.id();
  }

  @Override
  public List<Detection> detect(DecodedImage image, List<String> labels, DetectOptions options) {
    Detector.checkLabels(labels);
    Objects.requireNonNull(options, "options");
    float[][] texts = model.encodeTexts(labels);
    double scale = 1;
    DecodedImage working = image;
    int shortSide = Math.min(image.width(), image.height());
    if (shortSide > config.workingSide()) {
      scale = (double) shortSide / config.workingSide();
      working =
          BicubicResizer.resize(
              image,
              Math.max(1, (int) Math.round(image.width() / scale)),
              Math.max(1, (int) Math.round(image.height() / scale)));
    }
    List<Box> windows =
        RegionProposals.windows(
            working.width(), working.height(), config.windowFractions(), config.stride());
    float logitScale = model.spec().logitScale();
    double sx = (double) image.width() / working.width();
    double sy = (double) image.height() / working.height();
    List<Detection> candidates = new ArrayList<>();
    for (int start = 0; start < windows.size(); start += config.batchSize()) {
      List<Box> batch =
          windows.subList(start, Math.min(windows.size(), start + config.batchSize()));
      List<float[]> tensors = new ArrayList<>(batch.size());
      for (Box box : batch) {
        tensors.add(preprocessor.preprocess(crop(working, box)));
      }
      float[][] vectors = model.encodeImages(tensors);
      for (int i = 0; i < batch.size(); i++) {
        double[] probabilities = softmax(vectors[i], texts, logitScale);
        Box w = batch.get(i);
        Box original = new Box(w.x0() * sx, w.y0() * sy, w.x1() * sx, w.y1() * sy);
        for (int label = 0; label < labels.size(); label++) {
          if (probabilities[label] > options.threshold()) {
            candidates.add(
                new Detection(labels.get(label), label, (float) probabilities[label], original));
          }
        }
      }
    }
    return NonMaxSuppression.finish(candidates, options);
  }

  /** Softmax over the labels then the backgrounds; the labels' probabilities. */
  private double[] softmax(float[] image, float[][] labels, float logitScale) {
    int n = labels.length + backgrounds.length;
    double[] logits = new double[n];
    double max = Double.NEGATIVE_INFINITY;
    for (int k = 0; k < n; k++) {
      float[] text = k < labels.length ? labels[k] : backgrounds[k - labels.length];
      double dot = 0;
      for (int d = 0; d < image.length; d++) {
        dot += image[d] * text[d];
      }
      logits[k] = logitScale * dot;
      max = Math.max(max, logits[k]);
    }
    double sum = 0;
    for (int k = 0; k < n; k++) {
      logits[k] = Math.exp(logits[k] - max);
      sum += logits[k];
    }
    double[] probabilities = new double[labels.length];
    for (int k = 0; k < labels.length; k++) {
      probabilities[k] = logits[k] / sum;
    }
    return probabilities;
  }

  /** The pixels of an integer box inside the image. */
  static DecodedImage crop(DecodedImage image, Box box) {
    int x0 = (int) box.x0();
    int y0 = (int) box.y0();
    int w = (int) box.x1() - x0;
    int h = (int) box.y1() - y0;
    int channels = image.channels();
    byte[] out = new byte[w * h * channels];
    for (int y = 0; y < h; y++) {
      System.arraycopy(
          image.pixels(),
          ((y0 + y) * image.width() + x0) * channels,
          out,
          y * w * channels,
          w * channels);
    }
    return new DecodedImage(w, h, channels, out);
  }

  /** Nothing to release: the model belongs to the caller. */
  @Override
  public void close() {}
}
